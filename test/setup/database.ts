import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Overridable so two test runs on one server (two work trees) do not drop each other's template.
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? 'ogi_desk_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Tests only ever create, use and drop databases whose name says `test`. */
export function assertTestDatabaseName(name: string): void {
  if (!/^[a-z0-9_]*test[a-z0-9_]*$/.test(name)) throw new Error(`refusing to touch database "${name}": its name must contain "test"`);
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: Client, name: string): Promise<void> {
  assertTestDatabaseName(name);
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
