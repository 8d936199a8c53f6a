import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../setup/test-app';
import { createDeskClient, type DeskClient } from '@desk/api-client';

/** An answer as the tests read it: the status, the parsed body (JSON, or the bytes of a file) and the headers. */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, string>;
}

/**
 * A call of the typed client made once, when first awaited or checked: `await call.expect(201)` checks the status and
 * gives the answer; `.expect((answer) => …)` runs a check on it. Chains like the checks the tests wrote before.
 */
export class Called implements PromiseLike<Answer> {
  private answer?: Promise<Answer>;

  constructor(private readonly call: () => Promise<Answer>) {}

  then<A = Answer, B = never>(onFulfilled?: ((value: Answer) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return (this.answer ??= this.call()).then(onFulfilled, onRejected);
  }

  expect(check: number | ((answer: Answer) => void)): Called {
    return new Called(async () => {
      const answer = await this.then((value) => value);
      if (typeof check === 'function') check(answer);
      else if (answer.status !== check) throw new Error(`expected ${check}, got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
      return answer;
    });
  }
}

/** The address the test's service listens on, for the typed client (it talks HTTP like an integrator's program). */
async function addressOf(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One typed call turned into an Answer; files are read as bytes. */
function typed(t: TestApp, token: string, parseAs: 'json' | 'arrayBuffer', request: (client: DeskClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>): Called {
  return new Called(async () => {
    const client = createDeskClient(await addressOf(t), token);
    const { data, error, response } = await request(client);
    const body = parseAs === 'arrayBuffer' && data instanceof ArrayBuffer ? Buffer.from(data) : (data ?? error ?? null);
    return { status: response.status, body, headers: Object.fromEntries(response.headers.entries()) };
  });
}

/**
 * The platform's side of the integration, as an integrator calls it: through the typed client generated from the
 * OpenAPI document (libs/api-client, `npm run openapi:client`), one function per operation (tag `integration`).
 */
export function platformClient(t: TestApp, secret: string) {
  const call = (request: (client: DeskClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>) => typed(t, secret, 'json', request);
  return {
    importApplication: (body: Record<string, unknown>) => call((client) => client.POST('/api/integration/applications', { body: body as never })),
    applicationStatus: (externalRef: string) => call((client) => client.GET('/api/integration/applications/{externalRef}', { params: { path: { externalRef } } })),
    /** A letter by the link a callback or the status gave (a path, or a full URL under PUBLIC_BASE_URL). */
    letter: (link: string) => {
      const [, externalRef, letterId] = /\/api\/integration\/applications\/([^/]+)\/letters\/([^/?]+)/.exec(link) ?? [];
      if (!externalRef) throw new Error(`not a letter link of the integration API: ${link}`);
      return typed(t, secret, 'arrayBuffer', (client) =>
        client.GET('/api/integration/applications/{externalRef}/letters/{letterId}', { params: { path: { externalRef: decodeURIComponent(externalRef), letterId } }, parseAs: 'arrayBuffer' }),
      );
    },
  };
}

/** The administrator's operations on API clients and callbacks (tag `integration-admin`), signed in as `username`. */
export async function integrationAdmin(t: TestApp, username = 'admin') {
  const token = (await t.as(username)).Authorization.replace(/^Bearer /, '');
  const call = (request: (client: DeskClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>) => typed(t, token, 'json', request);
  const path = (id: string) => ({ params: { path: { id } } });
  return {
    createClient: (body: Record<string, unknown>) => call((client) => client.POST('/api/admin/api-clients', { body: body as never })),
    listClients: () => call((client) => client.GET('/api/admin/api-clients')),
    rotate: (id: string, body: Record<string, unknown> = {}) => call((client) => client.POST('/api/admin/api-clients/{id}/rotate', { ...path(id), body: body as never })),
    revoke: (id: string) => call((client) => client.POST('/api/admin/api-clients/{id}/revoke', path(id))),
    subscribe: (id: string, body: Record<string, unknown>) => call((client) => client.PUT('/api/admin/api-clients/{id}/subscription', { ...path(id), body: body as never })),
    unsubscribe: (id: string) => call((client) => client.DELETE('/api/admin/api-clients/{id}/subscription', path(id))),
    accessLog: (id: string) => call((client) => client.GET('/api/admin/api-clients/{id}/access-log', path(id))),
    callbacks: (query: Record<string, string> = {}) => call((client) => client.GET('/api/admin/callbacks', { params: { query: query as never } })),
    replay: (id: string) => call((client) => client.POST('/api/admin/callbacks/{id}/replay', path(id))),
  };
}

/** A platform's application as it imports it: the factories' applicant and request, with the platform's fields. */
export function platformApplication(overrides: Record<string, unknown> = {}) {
  return {
    source: 'zlgk',
    externalRef: 'ZJ-2025-000001',
    agency: 'default',
    applicant: {
      category: 'natural_person',
      name: '王五',
      idType: 'id_card',
      idNumber: '11010519491231002X',
      phone: '13812345678',
      address: '杭州市西湖区示例路2号',
    },
    description: '本区2024年度保障性租赁住房项目认定书及其附件',
    deliveryForm: 'online',
    ...overrides,
  };
}

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A platform's callback receiver: a real HTTP server on a loopback port. It answers `status` (200 unless set); it can be
 * stopped (connections refused) and started again on the same port, as a platform that is down for a while.
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  status = 200;
  /** Answer only after this long (a receiver that hangs). */
  delayMs = 0;
  /** Where a 3xx answer sends the caller. */
  location = 'http://127.0.0.1:1/elsewhere';
  private server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/ogi/callbacks`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        setTimeout(() => {
          if (response.destroyed) return;
          response.writeHead(this.status, { 'Content-Type': 'text/plain', Location: this.location }).end(this.status < 300 ? 'ok' : 'not taken');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  bodies(): { id: string; events: string[]; case: Record<string, unknown> & { sequence: number; state: string } }[] {
    return this.received.map((callback) => JSON.parse(callback.body));
  }
}
