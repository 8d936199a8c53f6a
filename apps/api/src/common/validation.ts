import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isIsoDate } from '@desk/calendar';
import { labelList, type Vocabulary } from '@desk/vocabulary';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  type ValidationError,
} from 'class-validator';

// The HTTP edge's validation: every field is declared with the Chinese label a person knows it by, and every message
// names the field by that label (never `name 不能为空`, always `姓名 不能为空`). An enum lists its choices in words.

const LABELS = Symbol('ogi-desk:field-labels');

/** The Chinese label of a DTO's field (the decorators below record it). */
export function Label(label: string): PropertyDecorator {
  return (target, property) => {
    const labels: Map<string | symbol, string> = Reflect.getOwnMetadata(LABELS, target) ?? new Map(Reflect.getMetadata(LABELS, target) ?? []);
    labels.set(property, label);
    Reflect.defineMetadata(LABELS, labels, target);
  };
}

/** A DTO field's label (the one its messages name it by), for forms that draw the same field. */
export function dtoFieldLabel(dto: new () => object, property: string): string {
  const labels: Map<string | symbol, string> | undefined = Reflect.getMetadata(LABELS, dto.prototype);
  return labels?.get(property) ?? property;
}

function labelOfField(target: object | undefined, property: string): string | undefined {
  if (!target) return undefined;
  const labels: Map<string | symbol, string> | undefined = Reflect.getMetadata(LABELS, Object.getPrototypeOf(target) ?? target);
  return labels?.get(property);
}

interface FieldOptions {
  label: string;
  optional?: boolean;
  description?: string;
  example?: unknown;
}

function documented(options: FieldOptions, schema: Record<string, unknown>) {
  const doc = { ...schema, title: options.label, description: options.description ?? options.label, ...(options.example !== undefined ? { example: options.example } : {}) };
  return [Label(options.label), ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)])];
}

/** A calendar date 'YYYY-MM-DD' (api.md: dates are Asia/Shanghai calendar dates). */
export function ValidateDate(options: FieldOptions) {
  return applyDecorators(
    ...documented({ example: '2025-09-26', ...options }, { type: String, format: 'date' }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isCalendarDate',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: { validate: (value: unknown) => isIsoDate(value), defaultMessage: () => `${options.label} 应为有效日期（年-月-日，如 2025-09-26）` },
      }),
  );
}

/**
 * One of a vocabulary's codes; the message lists the choices by their labels. A vocabulary, never a bare list of codes:
 * the message reaches a person, who knows the choices by their words (validation-messages.spec.ts holds every DTO to it).
 */
export function ValidateEnum(choices: Vocabulary, options: FieldOptions) {
  const codes = choices.map((choice) => choice.code);
  return applyDecorators(...documented(options, { enum: codes }), IsIn(codes, { message: `${options.label} 应为以下之一：${labelList(choices)}` }));
}

/** Free text a person writes: trimmed length limits, Chinese messages. */
export function ValidateText(options: FieldOptions & { min?: number; max?: number }) {
  const min = options.min ?? 1;
  const max = options.max ?? 2000;
  return applyDecorators(
    ...documented(options, { type: String, minLength: min, maxLength: max }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString({ message: `${options.label} 应为文字` }),
    MinLength(min, { message: `${options.label} 不能为空${min > 1 ? `，至少 ${min} 个字` : ''}` }),
    MaxLength(max, { message: `${options.label} 不能超过 ${max} 个字` }),
  );
}

/** A whole number in a range; query strings are converted first. */
export function ValidateInt(options: FieldOptions & { min: number; max: number; default?: number }) {
  return applyDecorators(
    ...documented(options, { type: 'integer', minimum: options.min, maximum: options.max, ...(options.default !== undefined ? { default: options.default } : {}) }),
    Type(() => Number),
    IsInt({ message: `${options.label} 应为整数` }),
    Min(options.min, { message: `${options.label} 不能小于 ${options.min}` }),
    Max(options.max, { message: `${options.label} 不能大于 ${options.max}` }),
  );
}

/** 是 / 否; a query string's `true` / `false` is read as such. */
export function ValidateBoolean(options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { type: Boolean }),
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: `${options.label} 应为“是”或“否”（true 或 false）` }),
  );
}

/** The identifier of a record the service knows (a dispute, an attachment). */
export function ValidateId(options: FieldOptions) {
  return applyDecorators(...documented(options, { type: String, format: 'uuid' }), IsUUID('4', { message: `${options.label} 不是有效的编号` }));
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/**
 * class-validator's nested errors as one list of messages, one per field. Every message names the field by its label:
 * a missing value is “<label> 不能为空”; otherwise the first failed rule's message, which the decorators above write in
 * words; an unknown field is named as sent (with its path, the client's own word); any other message (a validator used
 * without a Chinese message) becomes “<label> 填写有误” rather than reach a person in English.
 */
export function flattenValidationErrors(errors: ValidationError[], path = ''): string[] {
  return fieldProblems(errors, path).map((problem) => problem.message);
}

/** One problem of a form: the field's path (applicant.name), the rule that failed, and the message in words. */
export interface FieldProblem {
  path: string;
  constraint: string;
  message: string;
}

/**
 * The same messages with the field each belongs to, for a page that shows each message beside its field. A rule listed
 * in `separately` (a check about several fields, such as “at least one way of contact”) is reported on its own, even
 * when the field also fails another rule.
 */
export function fieldProblems(errors: ValidationError[], path = '', separately: readonly string[] = []): FieldProblem[] {
  return errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    const label = labelOfField(error.target, error.property) ?? error.property;
    const all = Object.entries(error.constraints ?? {});
    const apart = all.filter(([constraint]) => separately.includes(constraint));
    const constraints = all.filter(([constraint]) => !separately.includes(constraint));
    const own: FieldProblem[] = [];
    if (constraints.some(([constraint]) => constraint === 'whitelistValidation')) own.push({ path: at, constraint: 'whitelistValidation', message: `不认识的字段：${at}` });
    else if (constraints.length) {
      const [constraint, message] = constraints[0];
      if (error.value === undefined || error.value === null || error.value === '') own.push({ path: at, constraint, message: `${label} 不能为空` });
      else own.push({ path: at, constraint, message: HAS_CHINESE.test(message) ? message : `${label} 填写有误` });
    }
    for (const [constraint, message] of apart) own.push({ path: at, constraint, message });
    return [...own, ...fieldProblems(error.children ?? [], at, separately)];
  });
}

/** A non-negative amount with at most `places` decimals (e.g. 万元 to the yuan: 4), as a number in JSON. */
export function ValidateDecimal(options: FieldOptions & { min: number; max: number; places: number }) {
  return applyDecorators(
    ...documented(options, { type: 'number', minimum: options.min, maximum: options.max }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isDecimal',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) =>
            typeof value === 'number' && Number.isFinite(value) && value >= options.min && value <= options.max && Math.abs(Math.round(value * 10 ** options.places) - value * 10 ** options.places) < 1e-6,
          defaultMessage: () => `${options.label} 应为 ${options.min} 至 ${options.max} 之间的数，最多 ${options.places} 位小数`,
        },
      }),
  );
}
