import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../setup/test-app';
import { binaryParser } from './http';

/**
 * The platform's side of the integration, as an integrator calls it: one function per operation of the OpenAPI
 * document (tags `integration` and `integration-admin`), named after them. When the generated client (libs/api-client,
 * `npm run openapi:client`) lands, these bodies become calls to it and the tests that use them stay as they are.
 */
export function platformClient(t: TestApp, secret: string) {
  const auth = { Authorization: `Bearer ${secret}` };
  return {
    importApplication: (body: Record<string, unknown>) => t.http.post('/api/integration/applications').set(auth).send(body),
    applicationStatus: (externalRef: string) => t.http.get(`/api/integration/applications/${encodeURIComponent(externalRef)}`).set(auth),
    /** A letter by the link a callback or the status gave (a path, or a full URL under PUBLIC_BASE_URL). */
    letter: (link: string) => t.http.get(link.replace(/^https?:\/\/[^/]+/, '')).set(auth).buffer(true).parse(binaryParser),
  };
}

/** The administrator's operations on API clients and callbacks, signed in as `username`. */
export async function integrationAdmin(t: TestApp, username = 'admin') {
  const auth = await t.as(username);
  return {
    createClient: (body: Record<string, unknown>) => t.http.post('/api/admin/api-clients').set(auth).send(body),
    listClients: () => t.http.get('/api/admin/api-clients').set(auth),
    rotate: (id: string, body: Record<string, unknown> = {}) => t.http.post(`/api/admin/api-clients/${id}/rotate`).set(auth).send(body),
    revoke: (id: string) => t.http.post(`/api/admin/api-clients/${id}/revoke`).set(auth),
    subscribe: (id: string, body: Record<string, unknown>) => t.http.put(`/api/admin/api-clients/${id}/subscription`).set(auth).send(body),
    unsubscribe: (id: string) => t.http.delete(`/api/admin/api-clients/${id}/subscription`).set(auth),
    accessLog: (id: string) => t.http.get(`/api/admin/api-clients/${id}/access-log`).set(auth),
    callbacks: (query: Record<string, string> = {}) => t.http.get('/api/admin/callbacks').query(query).set(auth),
    replay: (id: string) => t.http.post(`/api/admin/callbacks/${id}/replay`).set(auth),
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
