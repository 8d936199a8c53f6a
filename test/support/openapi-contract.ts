import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

// Holds real answers to the OpenAPI document: each answer's status must be documented for its operation, its media
// type listed, and a JSON body must validate against the schema for that status (closed objects: a field the document
// does not declare is drift too). The document is OpenAPI 3.0; its schemas are turned into JSON Schema for Ajv here.

type Schema = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** OpenAPI 3.0 annotations that are no JSON Schema keywords (Ajv's strict mode refuses unknown keywords). */
const ANNOTATIONS = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated']);

/** An OpenAPI 3.0 schema as JSON Schema (draft 7): `nullable` becomes a null alternative, refs point into one root. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as Schema;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') schema.$ref = value.replace('#/components/schemas/', `${ROOT_ID}#/definitions/`);
    else if (key === 'format' && value === 'binary') continue;
    else if (key === 'properties' && value && typeof value === 'object') {
      schema.properties = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, toJsonSchema(inner)]));
    } else schema[key] = toJsonSchema(value);
  }
  if (source.nullable === true) {
    // OpenAPI 3.0 also lists null among an enum's values where the enum allows it: here null is its own alternative.
    if (Array.isArray(schema.enum)) schema.enum = schema.enum.filter((value) => value !== null);
    return { anyOf: [schema, { type: 'null' }] };
  }
  return schema;
}

const ROOT_ID = 'https://desk.invalid/openapi';

export interface Operation {
  method: string;
  path: string;
  id: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface Answer {
  status: number;
  /** The Content-Type header as sent. */
  contentType: string | undefined;
  /** The parsed JSON body, or the raw text/bytes. */
  body: unknown;
  /** The raw bytes' length or text length: a non-JSON answer must not be empty. */
  size: number;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  readonly operations: Operation[];
  private readonly exercised = new Map<string, Set<number>>();

  constructor(readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: ROOT_ID, definitions: toJsonSchema(document.components?.schemas ?? {}) as Schema });
    this.operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = (item as Record<string, unknown>)[method] as (Omit<Operation, 'method' | 'path' | 'id'> & { operationId: string }) | undefined;
        return operation ? [{ method: method.toUpperCase(), path, id: operation.operationId, responses: operation.responses, requestBody: operation.requestBody }] : [];
      }),
    );
  }

  /** The operation a request went to: the path template that matches, a literal segment before a parameter. */
  operationFor(method: string, pathname: string): Operation {
    const candidates = this.operations.filter((operation) => operation.method === method.toUpperCase() && templateMatches(operation.path, pathname));
    candidates.sort((a, b) => parameterCount(a.path) - parameterCount(b.path));
    if (!candidates.length) throw new Error(`${method} ${pathname}: no operation of the document matches this request`);
    return candidates[0];
  }

  /**
   * Hold one real answer to the document; a request body the service accepted (2xx) to the request's schema too. Throws
   * with what disagrees.
   */
  check(method: string, pathname: string, answer: Answer, requestBody?: unknown): Operation {
    const operation = this.operationFor(method, pathname);
    const where = `${operation.method} ${operation.path} (${operation.id}) answered ${answer.status}`;
    const documented = operation.responses[String(answer.status)];
    if (!documented) throw new Error(`${where}: this status is not in the document (documented: ${Object.keys(operation.responses).join(', ')})`);
    this.exercised.set(operation.id, (this.exercised.get(operation.id) ?? new Set()).add(answer.status));
    const mediaType = answer.contentType?.split(';')[0].trim().toLowerCase();
    if (!documented.content) {
      if (answer.size > 0) throw new Error(`${where}: the document says no content, the answer has ${answer.size} bytes (${mediaType})`);
      return operation;
    }
    const declared = Object.keys(documented.content);
    const match = declared.find((type) => type === mediaType) ?? declared.find((type) => type === '*/*' || (type.endsWith('/*') && mediaType?.startsWith(type.slice(0, -1))));
    if (!match) throw new Error(`${where}: Content-Type ${answer.contentType ?? '(none)'} is not among ${declared.join(', ')}`);
    if (match === 'application/json') {
      const problems = this.problems(`${operation.id} ${answer.status}`, documented.content[match].schema, answer.body);
      if (problems) throw new Error(`${where}: the body disagrees with the document:\n${problems}\nbody: ${JSON.stringify(answer.body).slice(0, 2000)}`);
    } else if (answer.size === 0) {
      throw new Error(`${where}: an empty ${mediaType} answer`);
    }
    if (requestBody !== undefined && answer.status < 300) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${where}: the service accepted a JSON body the document does not describe`);
      const problems = this.problems(`${operation.id} request`, schema, requestBody);
      if (problems) throw new Error(`${operation.method} ${operation.path} (${operation.id}): the service accepted a body the document refuses:\n${problems}`);
    }
    return operation;
  }

  private problems(key: string, schema: Schema | undefined, value: unknown): string | null {
    if (!schema) return 'no schema in the document';
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.validators.set(key, validate);
    }
    if (validate(value)) return null;
    return (validate.errors ?? []).map((error) => `  ${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`).join('\n');
  }

  /** Operations no test call reached. */
  unexercised(): string[] {
    return this.operations.filter((operation) => !this.exercised.has(operation.id)).map((operation) => `${operation.method} ${operation.path} (${operation.id})`);
  }

  /** What each operation answered in the test run, for the report. */
  coverage(): Record<string, number[]> {
    return Object.fromEntries([...this.exercised].map(([id, statuses]) => [id, [...statuses].sort()]));
  }

  /**
   * Operations whose answers the document does not describe: no success status, a status without a schema (only 204
   * has no content), an error status not answered with the common error body.
   */
  undescribed(): string[] {
    const problems: string[] = [];
    for (const operation of this.operations) {
      const name = `${operation.method} ${operation.path} (${operation.id})`;
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((status) => /^2\d\d$/.test(status))) problems.push(`${name}: no success status`);
      for (const status of statuses) {
        const content = operation.responses[status].content;
        if (!content) {
          if (status !== '204') problems.push(`${name} ${status}: no content described`);
          continue;
        }
        for (const [type, media] of Object.entries(content)) {
          if (!media.schema) problems.push(`${name} ${status} ${type}: no schema`);
          else if (Number(status) >= 400 && media.schema.$ref !== '#/components/schemas/ErrorResponseDto') problems.push(`${name} ${status}: not the common error body`);
        }
      }
    }
    return problems;
  }
}

function templateMatches(template: string, pathname: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(pathname);
}

function parameterCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
