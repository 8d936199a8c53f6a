/** One text message to an applicant's mobile phone. `reference` identifies the notice (a gateway may deduplicate on it). */
export interface SmsMessage {
  to: string;
  text: string;
  reference: string;
}

/**
 * Where SMS notices go: the outbox's adapter port. The service ships an HTTP adapter (below); a provider with another
 * protocol is another implementation of this interface, provided under SMS_GATEWAY.
 */
export interface SmsGateway {
  /** Resolves once the gateway accepted the message; rejects (with a message in words) otherwise. */
  send(message: SmsMessage): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

/**
 * An HTTP gateway (SMS_GATEWAY_URL): `POST` JSON `{ to, text, reference }`, `Authorization: Bearer SMS_GATEWAY_TOKEN`
 * when set; any 2xx answer is acceptance. The shape most city SMS platforms and relays take; adapt here otherwise.
 */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly token?: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // The answer's body is the gateway's business; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

/** HH:MM-HH:MM (Asia/Shanghai), wrapping midnight when the end is earlier than the start; empty: never quiet. */
export function withinQuietHours(spec: string, now: Date): boolean {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(spec);
  if (!match) return false;
  const [, startHour, startMinute, endHour, endMinute] = match.map(Number);
  const start = startHour * 60 + startMinute;
  const end = endHour * 60 + endMinute;
  const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(now)
    .split(':')
    .map(Number);
  const current = (hour % 24) * 60 + minute;
  if (start === end) return false;
  return start < end ? current >= start && current < end : current >= start || current < end;
}
