// The console's form for any event, read from its declaration (CONVENTIONS 13): the controls a page renders and the way a
// posted form becomes the payload the declaration parses. The console holds no rule of its own: labels, help, choices,
// what is required and when all come from the fields, so a form cannot drift from the API.
import type { Field, Fields, Widget } from './fields';

/** One control of a form, ready for a template: names are the posted names (`responsibleAgency.name` in a group). */
export interface FormControl {
  name: string;
  widget: Widget;
  label: string;
  help: string | null;
  required: boolean;
  /** When a not-always-required field is required, in words (“邮寄送达的”). */
  requiredWhen: string | null;
  /** The value shown: text, a date, a number as text, 'yes'/'no', lines of a list, ids of files. */
  value: string;
  values: string[];
  choices: { value: string; label: string; selected: boolean }[];
  /** Long choice lists grouped by their family (“不予公开：属于国家秘密” under 不予公开), for a select's optgroups. */
  choiceGroups: { label: string; choices: { value: string; label: string; selected: boolean }[] }[];
  /** The field does not belong to the payload as filled so far (relevantWhen): the form hides it. */
  hidden: boolean;
  /**
   * For a page's script: the choices under which the field belongs, by the name of the choice it follows (“show while
   * 办理结果 is one of these”). Empty when the field does not follow a choice.
   */
  showWhen: Record<string, string[]>;
  /** For user pickers: the role the chosen user holds. */
  userRole: string | null;
  min: number | null;
  max: number | null;
  error: string | null;
  /** A group's own controls. */
  controls: FormControl[];
  /** A list of groups (the risks a reviewer acknowledges): one row of controls per item. */
  repeated: boolean;
  items: FormControl[][];
}

export interface FormProblem {
  /** The control the problem belongs to, when one can be named (for the link in the error summary). */
  name: string | null;
  message: string;
}

const YES = 'yes';
const NO = 'no';

/**
 * The controls of a form for `fields`, filled with `values` (a payload: what was posted back, or the defaults from the
 * record) and with each problem placed beside the control whose label it names.
 */
export function formControls(fields: Fields, values: Record<string, unknown> = {}, problems: readonly FormProblem[] = [], prefix = ''): FormControl[] {
  return Object.entries(fields).map(([key, field]) => {
    const name = `${prefix}${key}`;
    const value = values[key];
    const because = field.requiredWhen ? (typeof field.requiredWhen.because === 'string' ? field.requiredWhen.because : field.requiredWhen.because(values)) : null;
    return {
      name,
      widget: field.widget,
      label: field.label,
      help: field.help ?? null,
      required: field.required,
      requiredWhen: because,
      value: shown(field, value),
      values: Array.isArray(value) ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))) : [],
      choices: (field.choices ?? []).map((term) => ({ value: term.code, label: term.label, selected: term.code === value })),
      choiceGroups: groupChoices((field.choices ?? []).map((term) => ({ value: term.code, label: term.label, selected: term.code === value }))),
      hidden: field.relevantWhen?.(values) === false,
      showWhen: field.relevantWhen ? dependence(fields, field, values, prefix) : {},
      userRole: field.userRole ?? null,
      min: field.min ?? null,
      max: field.max ?? null,
      error: problems.find((problem) => problem.name === name)?.message ?? null,
      controls: field.fields && !isList(field) ? formControls(field.fields, (value as Record<string, unknown>) ?? {}, problems, `${name}.`) : [],
      repeated: isList(field),
      items:
        field.fields && isList(field) && Array.isArray(value)
          ? value.map((item, index) => formControls(field.fields!, (item as Record<string, unknown>) ?? {}, problems, `${name}.${index}.`))
          : [],
    };
  });
}

/**
 * Which choices of its sibling fields a field's relevance follows: for each choice field, the codes under which the
 * field belongs (evaluated one code at a time); a choice the field does not depend on is left out.
 */
function dependence(fields: Fields, field: Field, values: Record<string, unknown>, prefix: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, other] of Object.entries(fields)) {
    if (other === field) continue;
    const codes = other.widget === 'yes_no' ? ['yes', 'no'] : other.widget === 'choice' ? (other.choices ?? []).map((term) => term.code) : [];
    if (!codes.length) continue;
    const value = (code: string) => (other.widget === 'yes_no' ? code === 'yes' : code);
    const shown = codes.filter((code) => field.relevantWhen!({ ...values, [name]: value(code) }) !== false);
    if (shown.length < codes.length) result[`${prefix}${name}`] = shown;
  }
  return result;
}

/** Choices whose labels name a family before “：” grouped under it; the others each under their own label. */
function groupChoices(choices: { value: string; label: string; selected: boolean }[]): FormControl['choiceGroups'] {
  const groups: FormControl['choiceGroups'] = [];
  for (const choice of choices) {
    const at = choice.label.indexOf('：');
    const family = at > 0 ? choice.label.slice(0, at) : choice.label;
    const label = at > 0 ? choice.label.slice(at + 1) : choice.label;
    const last = groups[groups.length - 1];
    if (last && last.label === family) last.choices.push({ ...choice, label });
    else groups.push({ label: family, choices: [{ ...choice, label }] });
  }
  return groups;
}

/** A list of groups (groupList): its schema is an array. */
function isList(field: Field): boolean {
  return field.widget === 'group' && field.schema().type === 'array';
}

function shown(field: Field, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.widget === 'yes_no') return value === true ? YES : value === false ? NO : String(value);
  if (field.widget === 'text_list' && Array.isArray(value)) return value.join('\n');
  if (typeof value === 'object') return '';
  return String(value);
}

/**
 * A posted form (urlencoded: every value a string, repeated names an array) as the payload its declaration reads:
 * numbers from their digits, 是/否 as booleans, a list from its lines, a group from its dotted names, files from their ids.
 * Nothing is judged here — a value that is not what it should be goes on as typed, and the declaration's parser refuses
 * it with a message that names the field.
 */
export function payloadFromForm(fields: Fields, form: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const name = `${prefix}${key}`;
    if (field.widget === 'group' && field.fields) {
      if (isList(field)) {
        const indexes = [...new Set(Object.keys(form).flatMap((posted) => /^(\d+)\./.exec(posted.slice(name.length + 1))?.[1] ?? []))]
          .filter((index) => Object.keys(form).some((posted) => posted.startsWith(`${name}.${index}.`)))
          .sort((a, b) => Number(a) - Number(b));
        const items = indexes.map((index) => payloadFromForm(field.fields!, form, `${name}.${index}.`)).filter((item) => Object.keys(item).length);
        if (items.length) payload[key] = items;
      } else if (Object.keys(form).some((posted) => posted.startsWith(`${name}.`))) {
        const nested = payloadFromForm(field.fields, form, `${name}.`);
        if (Object.keys(nested).length) payload[key] = nested;
      }
      continue;
    }
    const raw = form[name];
    const texts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((item) => String(item));
    const first = texts[0]?.trim() ?? '';
    switch (field.widget) {
      case 'integer':
        if (first) payload[key] = /^-?\d+$/.test(first) ? Number(first) : first;
        break;
      case 'yes_no':
        if (first === YES) payload[key] = true;
        else if (first === NO) payload[key] = false;
        else if (first) payload[key] = first;
        break;
      case 'text_list': {
        const lines = texts.flatMap((text) => text.split(/\r?\n/)).map((line) => line.trim()).filter(Boolean);
        if (lines.length) payload[key] = lines;
        break;
      }
      case 'files': {
        const ids = texts.flatMap((text) => text.split(/[\s,]+/)).filter(Boolean);
        if (ids.length) payload[key] = ids;
        break;
      }
      default:
        if (first) payload[key] = field.widget === 'textarea' ? texts[0].replace(/\r\n/g, '\n').trim() : first;
    }
  }
  // What a form hides does not belong to its payload: a value left in a field that the choice made hidden is dropped.
  for (const [key, field] of Object.entries(fields)) {
    if (key in payload && field.relevantWhen?.(payload) === false) delete payload[key];
  }
  return payload;
}

/**
 * Place each problem of a refused payload beside its control: the declaration's messages begin with the field's label
 * (“理由 不能为空”, “邮寄送达的，须填写邮件号”), so the control is the one whose label the message names first.
 */
export function problemsByControl(fields: Fields, messages: readonly string[]): FormProblem[] {
  const controls = flatten(formControls(fields));
  // Longer labels first: “不予公开部分的依据” before “理由”.
  const byLength = [...controls].sort((a, b) => b.label.length - a.label.length);
  return messages.map((message) => {
    const control =
      byLength.find((candidate) => message.startsWith(`${candidate.label} `) || message.startsWith(candidate.label)) ??
      byLength.find((candidate) => message.includes(`须填写${candidate.label}`)) ??
      byLength.find((candidate) => message.includes(candidate.label));
    return { name: control?.name ?? null, message };
  });
}

function flatten(controls: readonly FormControl[]): FormControl[] {
  return controls.flatMap((control) => (control.controls.length ? flatten(control.controls) : [control]));
}
