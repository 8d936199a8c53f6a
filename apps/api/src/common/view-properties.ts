import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';
import type { Vocabulary } from '@desk/vocabulary';

// The documentation of a response (a view) field, in one decorator each, as validation.ts does for request fields: the
// type, the format, null where the service sends null, and a Chinese description. Documentation only: nothing here
// changes what is sent. The contract test (test/e2e/openapi-contract.e2e-spec.ts) holds every answer to them.

interface ViewOptions {
  /** The service sends null for it (never leaves it out). */
  nullable?: boolean;
  /** Present in some answers only (left out, not null, in the others). */
  optional?: boolean;
  example?: unknown;
}

function property(description: string, options: ViewOptions, schema: Record<string, unknown>) {
  return ApiProperty({
    ...schema,
    description,
    ...(options.nullable ? { nullable: true } : {}),
    ...(options.optional ? { required: false } : {}),
    ...(options.example !== undefined ? { example: options.example } : {}),
  });
}

export const ViewText = (description: string, options: ViewOptions = {}) => property(description, options, { type: String });

/** A calendar date 'YYYY-MM-DD' (Asia/Shanghai). */
export const ViewDate = (description: string, options: ViewOptions = {}) =>
  property(description, { example: '2025-09-26', ...options }, { type: String, format: 'date' });

/** A moment, ISO 8601 with its offset (a timestamptz as JSON sends it). */
export const ViewDateTime = (description: string, options: ViewOptions = {}) => property(description, options, { type: String, format: 'date-time' });

export const ViewInt = (description: string, options: ViewOptions = {}) => property(description, options, { type: 'integer' });

export const ViewNumber = (description: string, options: ViewOptions = {}) => property(description, options, { type: Number });

export const ViewBoolean = (description: string, options: ViewOptions = {}) => property(description, options, { type: Boolean });

export const ViewUuid = (description: string, options: ViewOptions = {}) => property(description, options, { type: String, format: 'uuid' });

/** The words of each code, as the event fields' schemas give them (`x-labels`): a client shows these, never the code. */
const labelsOf = (choices: Vocabulary) => ({ 'x-labels': Object.fromEntries(choices.map((term) => [term.code, term.label])) });

/** A code of a vocabulary (its `x-labels` are the words a person reads). */
export function ViewCode(choices: Vocabulary, description: string, options: ViewOptions = {}) {
  const codes: (string | null)[] = choices.map((term) => term.code);
  return property(description, options, { type: String, enum: options.nullable ? [...codes, null] : codes, ...labelsOf(choices) });
}

/** A list of codes of a vocabulary. */
export function ViewCodeList(choices: Vocabulary, description: string, options: ViewOptions = {}) {
  return property(description, options, {
    type: 'array',
    items: { type: 'string', enum: choices.map((term) => term.code), ...labelsOf(choices) },
  });
}

export const ViewTextList = (description: string, options: ViewOptions = {}) => property(description, options, { type: 'array', items: { type: 'string' } });

/** Another view (declared above the one that nests it), or a list of them. */
export function ViewNested(type: Type<unknown>, description: string, options: ViewOptions & { list?: boolean } = {}) {
  return property(description, options, { type, ...(options.list ? { isArray: true } : {}) });
}

/** An open record: keys the description names, each value of `values`' schema. */
export function ViewMap(values: Record<string, unknown>, description: string, options: ViewOptions = {}) {
  return applyDecorators(property(description, options, { type: 'object', additionalProperties: values }));
}

/**
 * A view that carries fields beyond those it declares (an event's payload in the case log): its schema says so, where
 * every other view is closed (openapi-document.ts). @ApiSchema passes its options into the schema object; its type
 * names only `name` and `description`, hence the widening.
 */
export function OpenView(description: string): ClassDecorator {
  return ApiSchema({ description, additionalProperties: true } as ApiSchemaOptions);
}
