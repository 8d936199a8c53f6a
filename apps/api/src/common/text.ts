/** Small text helpers shared by the services. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in a URL are checked before they reach SQL, so a malformed one answers 404 like an unknown one. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
