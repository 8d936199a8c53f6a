import type { Response } from 'express';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../common/domain-error';
import { fieldProblems } from '../common/validation';
import type { ConsoleFrames, ConsoleRequest } from './console-frame.service';
import type { ConsoleViews, PageFrame } from './console-views';

// The console's own forms (administration, disputes, reports): one field shape the `form-field` partial draws, the
// posted values read back, and every problem placed beside its field (GOV.UK: the error summary links to the field,
// the message beside it names the field by its label).

export type FieldWidget = 'text' | 'email' | 'textarea' | 'integer' | 'date' | 'yes_no' | 'radios' | 'select' | 'checkboxes';

export interface FieldOption {
  value: string;
  label: string;
  hint?: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  widget: FieldWidget;
  hint?: string | null;
  optional?: boolean;
  /** When an optional field must be filled, in words (“行政诉讼”): shown as （行政诉讼须填写）. */
  requiredWhen?: string;
  options?: readonly FieldOption[];
  /** A select's empty choice: 请选择 by default; a filter's reads 全部…. */
  emptyOption?: string;
  min?: number;
  max?: number;
  rows?: number;
}

export interface FormField extends Omit<FieldSpec, 'options'> {
  value: string;
  values: string[];
  options: (FieldOption & { selected: boolean })[];
  error: string | null;
}

/** A problem with a form: the field's name (the error summary's link to `#field-<name>`) or null for the whole form. */
export interface Problem {
  name: string | null;
  message: string;
}

/** A field drawn with its value (a posted string, a list for checkboxes, a boolean for 是/否) and its problem. */
export function formField(spec: FieldSpec, value: unknown, problems: readonly Problem[] = []): FormField {
  const values = Array.isArray(value) ? value.map(String) : value === undefined || value === null || value === '' ? [] : [String(value)];
  const shown = value === true ? 'yes' : value === false ? 'no' : Array.isArray(value) ? '' : value === undefined || value === null ? '' : String(value);
  return {
    ...spec,
    hint: spec.hint ?? null,
    value: shown,
    values,
    options: (spec.options ?? []).map((option) => ({ ...option, selected: values.includes(option.value) || shown === option.value })),
    error: problems.find((problem) => problem.name === spec.name)?.message ?? null,
  };
}

export function formFields(specs: readonly FieldSpec[], values: Record<string, unknown>, problems: readonly Problem[]): FormField[] {
  return specs.map((spec) => formField(spec, values[spec.name], problems));
}

/** A posted text, trimmed; '' when absent. */
export function postedText(posted: Record<string, unknown>, name: string): string {
  const value = posted[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A posted list (checkboxes): one value arrives as a string, several as an array. */
export function postedList(posted: Record<string, unknown>, name: string): string[] {
  const value = posted[name];
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter(Boolean);
}

/** 是 / 否 radio buttons: true, false, or undefined when neither was chosen. */
export function postedYesNo(posted: Record<string, unknown>, name: string): boolean | undefined {
  const value = postedText(posted, name);
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

/**
 * The API's own DTO checks the input (the same labels, limits and messages as the API), each message placed on its
 * field; `names` maps a DTO property to the form's field name where they differ.
 */
export function dtoProblems(dto: new () => object, input: Record<string, unknown>, names: Record<string, string> = {}): Problem[] {
  const instance = plainToInstance(dto, input);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: true } });
  return fieldProblems(errors).map((problem) => {
    const field = problem.path.split('.')[0];
    return { name: names[field] ?? field, message: problem.message };
  });
}

/**
 * A service's refusal placed on the field whose label it names (the services word their messages with the labels of
 * the API's fields); a refusal naming none stands at the top of the form. Longer labels are tried first, so
 * 复议后起诉 is not taken for 起诉.
 */
export function placeRefusal(error: DomainError, fields: readonly { name: string; label: string }[]): Problem[] {
  const messages = error.details?.length ? error.details : [error.message];
  const byLength = [...fields].sort((a, b) => b.label.length - a.label.length);
  return messages.map((message) => ({ name: byLength.find((field) => message.includes(field.label))?.name ?? null, message }));
}

/** The HTTP status a refusal answers with: 400 for bad input, 409 for “not now”, the API's mapping for the rest. */
export function refusalStatus(error: DomainError): number {
  return { invalid: 400, conflict: 409, not_found: 404, forbidden: 403 }[error.code as string] ?? 400;
}

/** Whether an error is a refusal a form shows beside its fields (anything else goes to the error page). */
export function isFormRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && (error.code === 'invalid' || error.code === 'conflict');
}

export interface PageOptions {
  status?: number;
  title: string;
  current: string;
  breadcrumbs?: PageFrame['breadcrumbs'];
  wide?: boolean;
  flash?: string | null;
}

/** A console page in its frame. */
export async function sendPage(
  views: ConsoleViews,
  frames: ConsoleFrames,
  request: ConsoleRequest,
  response: Response,
  page: string,
  options: PageOptions,
  data: Record<string, unknown>,
): Promise<void> {
  const frame = await frames.frame(request, options.title, options.current, {
    ...(options.breadcrumbs ? { breadcrumbs: options.breadcrumbs } : {}),
    ...(options.wide ? { wide: true } : {}),
    ...(options.flash !== undefined ? { flash: options.flash } : {}),
  });
  response.status(options.status ?? 200).type('html').send(views.page(page, frame, data));
}
