// A typed client of the desk's HTTP API, for integration tests and other programs that talk to a running service.
// The types (schema.d.ts) are generated from the OpenAPI document by `npm run openapi:client`; a test fails when they
// are out of date (apps/api/src/openapi/api-client.spec.ts). Pure: no Nest, no database, only fetch.
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';
export type { Middleware } from 'openapi-fetch';

export type DeskClient = Client<paths>;

/** A schema of the document by name: `DeskSchema<'CaseViewDto'>`, `DeskSchema<'Event_DECIDE'>`. */
export type DeskSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The body of POST /api/cases/{id}/events: one of the workflow's events, told apart by `type`. */
export type DeskEventBody = components['schemas']['CaseEventBody'];

/** Every error answer: `{ statusCode, error, message, details?, correlationId? }`. */
export type DeskError = components['schemas']['ErrorResponseDto'];

export interface DeskClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Run on every request and answer (e.g. to log, or to check answers against the document). */
  middleware?: Middleware[];
}

/**
 * A client of the service at `baseUrl` (e.g. `http://127.0.0.1:3000`), signed in with `token` when given:
 *
 *     const desk = createDeskClient(url, token);
 *     const { data, error } = await desk.GET('/api/cases/{id}', { params: { path: { id } } });
 */
export function createDeskClient(baseUrl: string, token?: string, options: DeskClientOptions = {}): DeskClient {
  const { middleware = [], headers, ...rest } = options;
  const client = createClient<paths>({
    ...rest,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(headers as Record<string, string> | undefined), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  client.use(...middleware);
  return client;
}

/** Sign in (POST /api/auth/login) and return a client that sends the token; throws with the service's message on refusal. */
export async function signInDeskClient(baseUrl: string, username: string, password: string, options: DeskClientOptions = {}): Promise<DeskClient> {
  const { data, error } = await createDeskClient(baseUrl, undefined, options).POST('/api/auth/login', { body: { username, password } });
  if (!data) throw new Error(`sign-in as ${username} refused: ${error?.message ?? 'no answer'}`);
  return createDeskClient(baseUrl, data.accessToken, options);
}
