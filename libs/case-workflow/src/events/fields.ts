// The fields of an event's payload, declared once: the TypeScript type, the HTTP validation (400 naming the field by its
// Chinese label), the OpenAPI schema and the console's form widget are all read from these declarations.
import { isIsoDate } from '@desk/calendar';
import { labelList, type Term, type Vocabulary } from '@desk/vocabulary';

/** The widget a form renders for a field. */
export type Widget =
  | 'date'
  | 'integer'
  | 'text'
  | 'textarea'
  | 'choice'
  | 'yes_no'
  | 'text_list'
  | 'user'
  | 'department'
  | 'earlier_case'
  | 'files'
  | 'assistance_request'
  | 'group'
  | 'hidden';

export type JsonSchema = Record<string, unknown>;

type Parsed<V> = { ok: true; value: V } | { ok: false; problems: string[] };

export interface Field<V = unknown, R extends boolean = boolean> {
  widget: Widget;
  label: string;
  /** Help beside the field: what to write, and the article behind it. */
  help?: string;
  /** Required in every payload (400 when missing). */
  required: R;
  /**
   * Required only in some payloads, e.g. 邮件号 for postal service: `when` reads the other fields; `because` says in words
   * when (it is the message of the 400 and the form's hint).
   */
  requiredWhen?: { when(payload: Record<string, unknown>): boolean; because: string | ((payload: Record<string, unknown>) => string) };
  /**
   * Whether the field belongs to the payload as filled so far (a decision's 公开方式 only to 予以公开): false hides it from
   * the form; undefined (not yet known, e.g. no outcome chosen) shows it. The parser still reads whatever is sent.
   */
  relevantWhen?(payload: Record<string, unknown>): boolean | undefined;
  /** For choices: the vocabulary, codes with their labels. */
  choices?: Vocabulary;
  /** For users: the role the chosen user must hold. */
  userRole?: string;
  /** For groups: the nested fields. */
  fields?: Fields;
  min?: number;
  max?: number;
  example?: unknown;
  /** Read a present value (never undefined): the value, or problems in words that name the field by its label. */
  parse(value: unknown, label: string): Parsed<V>;
  schema(): JsonSchema;
}

export type Fields = Record<string, Field>;

type ValueOf<F> = F extends Field<infer V, boolean> ? V : never;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends Field<unknown, true> ? K : never }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
/** The TypeScript type of a payload declared by `fields`. */
export type PayloadOf<F extends Fields> = { [K in RequiredKeys<F>]: ValueOf<F[K]> } & { [K in OptionalKeys<F>]?: ValueOf<F[K]> };

interface Options {
  label: string;
  help?: string;
  /** Not required in every payload (it may still be `requiredWhen`). */
  optional?: boolean;
  requiredWhen?: Field['requiredWhen'];
  relevantWhen?: Field['relevantWhen'];
  example?: unknown;
}

/** A field is required unless its options say `optional: true`. */
type Req<O> = O extends { optional: true } ? false : true;

function base<V, R extends boolean>(widget: Widget, options: Options, parse: Field<V>['parse'], schema: () => JsonSchema, extra: Partial<Omit<Field<V>, 'required'>> = {}): Field<V, R> {
  return {
    widget,
    label: options.label,
    help: options.help,
    required: (options.optional !== true) as unknown as R,
    requiredWhen: options.requiredWhen,
    relevantWhen: options.relevantWhen,
    example: options.example,
    parse,
    schema: () => ({ ...schema(), title: options.label, ...(options.help ? { description: options.help } : {}), ...(options.example !== undefined ? { example: options.example } : {}) }),
    ...extra,
  };
}

const fail = (...problems: string[]) => ({ ok: false as const, problems });
const ok = <V>(value: V) => ({ ok: true as const, value });

/** Free text a person writes: trimmed, with length limits in characters. */
export function text<const O extends Options & { max?: number; min?: number; multiline?: boolean; pattern?: { test: RegExp; message: string } }>(
  options: O,
): Field<string, Req<O>> {
  const min = options.min ?? 1;
  const max = options.max ?? 2000;
  return base<string, Req<O>>(
    options.multiline ? 'textarea' : 'text',
    options,
    (value, label) => {
      if (typeof value !== 'string') return fail(`${label} 应为文字`);
      const trimmed = value.trim();
      if (trimmed.length < min) return fail(min > 1 ? `${label} 至少 ${min} 个字` : `${label} 不能为空`);
      if (trimmed.length > max) return fail(`${label} 不能超过 ${max} 个字`);
      if (options.pattern && !options.pattern.test.test(trimmed)) return fail(`${label} ${options.pattern.message}`);
      return ok(trimmed);
    },
    () => ({ type: 'string', minLength: min, maxLength: max, ...(options.pattern ? { pattern: options.pattern.test.source } : {}) }),
    { min, max },
  );
}

/** A calendar date YYYY-MM-DD (api.md: Asia/Shanghai calendar dates). */
export function date<const O extends Options>(options: O): Field<string, Req<O>> {
  return base<string, Req<O>>(
    'date',
    options,
    (value, label) => (isIsoDate(value) ? ok(value) : fail(`${label} 应为有效日期（年-月-日，如 2025-09-26）`)),
    () => ({ type: 'string', format: 'date' }),
  );
}

export function integer<const O extends Options & { min: number; max: number; unit?: string; tooMany?: string }>(options: O): Field<number, Req<O>> {
  const unit = options.unit ?? '';
  return base<number, Req<O>>(
    'integer',
    options,
    (value, label) => {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(`${label} 应为整数`);
      if (value < options.min) return fail(`${label} 至少为 ${options.min}${unit}`);
      if (value > options.max) return fail(options.tooMany ?? `${label} 不能超过 ${options.max}${unit}`);
      return ok(value);
    },
    () => ({ type: 'integer', minimum: options.min, maximum: options.max }),
    { min: options.min, max: options.max },
  );
}

/** One code of a vocabulary; the message lists the choices in words. */
export function choice<const C extends string, const O extends Options>(options: O & { choices: readonly Term<C>[] }): Field<C, Req<O>> {
  const codes = options.choices.map((term) => term.code);
  return base<C, Req<O>>(
    'choice',
    options,
    (value, label) => (typeof value === 'string' && (codes as string[]).includes(value) ? ok(value as C) : fail(`${label} 应为以下之一：${labelList(options.choices)}`)),
    () => ({ type: 'string', enum: codes, 'x-labels': Object.fromEntries(options.choices.map((term) => [term.code, term.label])) }),
    { choices: options.choices },
  );
}

/** 是 / 否: radio buttons in a form, a boolean in the API. */
export function yesNo<const O extends Options>(options: O): Field<boolean, Req<O>> {
  return base<boolean, Req<O>>(
    'yes_no',
    options,
    (value, label) => (typeof value === 'boolean' ? ok(value) : fail(`${label} 应选择“是”或“否”`)),
    () => ({ type: 'boolean' }),
  );
}

/** A list of short texts, e.g. the items of a 补正 notice. */
export function textList<const O extends Options & { minItems?: number; maxItems: number; maxLength: number; itemLabel: string }>(options: O): Field<string[], Req<O>> {
  const minItems = options.minItems ?? 1;
  return base<string[], Req<O>>(
    'text_list',
    options,
    (value, label) => {
      if (!Array.isArray(value)) return fail(`${label} 应为列表`);
      const items = value.map((item) => (typeof item === 'string' ? item.trim() : item));
      if (items.some((item) => typeof item !== 'string')) return fail(`${label} 的每一项都应为文字`);
      const filled = (items as string[]).filter(Boolean);
      if (filled.length < minItems) return fail(`${label} 至少列出 ${minItems} 项`);
      if (filled.length > options.maxItems) return fail(`${label} 不能超过 ${options.maxItems} 项`);
      if (filled.some((item) => item.length > options.maxLength)) return fail(`${label} 的每一项不能超过 ${options.maxLength} 个字`);
      return ok(filled);
    },
    () => ({ type: 'array', minItems, maxItems: options.maxItems, items: { type: 'string', minLength: 1, maxLength: options.maxLength, title: options.itemLabel } }),
  );
}

/** A staff member, by username; the form offers the users holding `role` (the service checks it). */
export function user<const O extends Options & { role: string }>(options: O): Field<string, Req<O>> {
  return { ...(text({ ...options, max: 100 }) as Field<string, Req<O>>), widget: 'user', userRole: options.role };
}

/** A department of the agency, by name (or id). */
export function department<const O extends Options>(options: O): Field<string, Req<O>> {
  return { ...(text({ ...options, max: 100 }) as Field<string, Req<O>>), widget: 'department' };
}

/** An earlier case of the agency, by its case number. */
export function earlierCase<const O extends Options>(options: O): Field<string, Req<O>> {
  return { ...(text({ ...options, max: 100 }) as Field<string, Req<O>>), widget: 'earlier_case' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Identifiers of records the service knows (attachments, requests): checked for shape here, for existence by the service. */
export function reference<const O extends Options & { widget?: Widget }>(options: O): Field<string, Req<O>> {
  return base<string, Req<O>>(
    options.widget ?? 'hidden',
    options,
    (value, label) => (typeof value === 'string' && UUID.test(value) ? ok(value.toLowerCase()) : fail(`${label} 不是有效的编号`)),
    () => ({ type: 'string', format: 'uuid' }),
  );
}

/** Files uploaded first to POST /api/cases/{id}/attachments, named by their ids. */
export function files<const O extends Options & { maxItems: number }>(options: O): Field<string[], Req<O>> {
  return base<string[], Req<O>>(
    'files',
    options,
    (value, label) => {
      if (!Array.isArray(value)) return fail(`${label} 应为附件编号的列表`);
      if (value.length > options.maxItems) return fail(`${label} 不能超过 ${options.maxItems} 个`);
      if (value.some((item) => typeof item !== 'string' || !UUID.test(item))) return fail(`${label} 中有无效的附件编号`);
      return ok((value as string[]).map((item) => item.toLowerCase()));
    },
    () => ({ type: 'array', maxItems: options.maxItems, items: { type: 'string', format: 'uuid' } }),
  );
}

/** A small record of its own, e.g. the responsible agency's name and contact. */
export function group<const F extends Fields, const O extends Options>(options: O & { fields: F }): Field<PayloadOf<F>, Req<O>> {
  return base<PayloadOf<F>, Req<O>>(
    'group',
    options,
    (value, label) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return fail(`${label} 填写有误`);
      const parsed = parseFields(options.fields, value as Record<string, unknown>, `${label}：`);
      return parsed.problems.length ? fail(...parsed.problems) : ok(parsed.value as PayloadOf<F>);
    },
    () => fieldsSchema(options.fields),
    { fields: options.fields },
  );
}

/** A list of small records, e.g. the risks a reviewer acknowledges, each with a comment. */
export function groupList<const F extends Fields, const O extends Options>(options: O & { fields: F; maxItems: number }): Field<PayloadOf<F>[], Req<O>> {
  return base<PayloadOf<F>[], Req<O>>(
    'group',
    options,
    (value, label) => {
      if (!Array.isArray(value)) return fail(`${label} 应为列表`);
      if (value.length > options.maxItems) return fail(`${label} 不能超过 ${options.maxItems} 项`);
      const problems: string[] = [];
      const items = value.map((item, index) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) {
          problems.push(`${label} 第 ${index + 1} 项填写有误`);
          return null;
        }
        const parsed = parseFields(options.fields, item as Record<string, unknown>, `${label} 第 ${index + 1} 项：`);
        problems.push(...parsed.problems);
        return parsed.value;
      });
      return problems.length ? fail(...problems) : ok(items as PayloadOf<F>[]);
    },
    () => ({ type: 'array', maxItems: options.maxItems, items: fieldsSchema(options.fields) }),
    { fields: options.fields },
  );
}

/**
 * Read a payload against its fields: unknown fields, missing required ones and bad values are problems in words, each
 * naming the field by its label. Conditionally required fields are checked once the whole payload is read.
 */
export function parseFields(fields: Fields, body: Record<string, unknown>, prefix = ''): { value: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const value: Record<string, unknown> = {};
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(fields, name)) problems.push(`${prefix}不认识的字段：${name}`);
  }
  for (const [name, field] of Object.entries(fields)) {
    const raw = Object.hasOwn(body, name) ? body[name] : undefined;
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) problems.push(`${prefix}${field.label} 不能为空`);
      continue;
    }
    const parsed = field.parse(raw, `${prefix}${field.label}`);
    if (parsed.ok) value[name] = parsed.value;
    else problems.push(...parsed.problems);
  }
  for (const [name, field] of Object.entries(fields)) {
    const sent = body[name] !== undefined && body[name] !== null && body[name] !== '';
    if (!field.required && field.requiredWhen && !sent && field.requiredWhen.when(value)) {
      const because = typeof field.requiredWhen.because === 'string' ? field.requiredWhen.because : field.requiredWhen.because(value);
      problems.push(`${prefix}${because}，须填写${field.label}`);
    }
  }
  return { value, problems };
}

export function fieldsSchema(fields: Fields): JsonSchema {
  const required = Object.entries(fields)
    .filter(([, field]) => field.required)
    .map(([name]) => name);
  return {
    type: 'object',
    additionalProperties: false,
    ...(required.length ? { required } : {}),
    properties: Object.fromEntries(
      Object.entries(fields).map(([name, field]) => {
        const schema = field.schema();
        const when = field.requiredWhen ? `（${typeof field.requiredWhen.because === 'string' ? field.requiredWhen.because : field.requiredWhen.because({})}时必填）` : '';
        return [name, when ? { ...schema, description: `${(schema.description as string | undefined) ?? ''}${when}` } : schema];
      }),
    ),
  };
}
