import { DEFAULT_CASE_NUMBER_PATTERN, formatDocumentNumber, numberPatternProblems } from '@desk/letters';
import { LETTER_KIND_TERMS, labelOf, OUTCOME_TERMS } from '@desk/vocabulary';
import type { AgencySettings } from '../database/entities';

/**
 * Every setting an agency may change, declared once: its label, what it is for with the article behind it, its kind and
 * limits. The settings page is drawn from this list and the input is checked against it, so a setting added to
 * AgencySettings without a declaration here fails to compile (the record below is exhaustive).
 */

export type SettingKind = 'text' | 'textarea' | 'integer' | 'yes_no' | 'number_pattern';

export interface SettingDeclaration {
  label: string;
  help: string;
  kind: SettingKind;
  group: SettingGroup;
  min?: number;
  max?: number;
}

export type SettingGroup = 'agency' | 'remedy' | 'numbering' | 'clock' | 'fees';

export const SETTING_GROUPS: readonly { key: SettingGroup; label: string; help: string }[] = [
  { key: 'agency', label: '机关和联系方式', help: '印在每一份文书的落款和政府信息公开指南上。' },
  { key: 'remedy', label: '救济途径', help: '每一份答复书的救济途径条款写明的复议机关和人民法院（条例第五十一条）。' },
  { key: 'numbering', label: '编号和文号', help: '可用的占位符：{prefix} 代字，{year} 年份，{n} 顺序号，{n:5} 补足五位的顺序号。' },
  { key: 'clock', label: '期限', help: '修改“缴费期间暂停答复期限”或“第三方救济期间”后，所有未办结案件的答复期限将在后台重新计算。' },
  { key: 'fees', label: '收费', help: '' },
];

/** The settings other than the two lists (文号 prefixes by letter kind, review-first outcomes), which have their own controls. */
type ScalarSetting = Exclude<keyof AgencySettings, 'letterNumberPrefixes' | 'reviewFirstOutcomes'>;

export const SETTING_DECLARATIONS = {
  address: { label: '办公地址', help: '印在文书落款和政府信息公开指南上（条例第十二条）。', kind: 'text', group: 'agency', max: 200 },
  phone: { label: '联系电话', help: '印在文书落款和政府信息公开指南上（条例第十二条）。', kind: 'text', group: 'agency', max: 50 },
  fax: { label: '传真号码', help: '申请人可以传真提交申请（条例第二十九条）；列入政府信息公开指南（条例第十二条）。', kind: 'text', group: 'agency', max: 50 },
  email: { label: '电子邮箱', help: '申请人可以通过电子邮件提交申请（条例第二十九条）；列入政府信息公开指南（条例第十二条）。', kind: 'text', group: 'agency', max: 200 },
  postcode: { label: '邮政编码', help: '邮寄申请的收件地址的邮政编码，列入政府信息公开指南和申请表。', kind: 'text', group: 'agency', max: 10 },
  officeHours: { label: '办公时间', help: '政府信息公开指南列明的办公时间（条例第十二条）。', kind: 'text', group: 'agency', max: 200 },
  sealText: { label: '印章文字', help: '文书落款处印章位置显示的文字（盖章前的占位）。', kind: 'text', group: 'agency', max: 100 },
  reviewBody: {
    label: '行政复议机关',
    help: '县级以上人民政府工作部门的复议机关为本级人民政府；垂直领导的机关为上一级主管部门（行政复议法第二十四条至第二十七条）。',
    kind: 'text',
    group: 'remedy',
    max: 200,
  },
  court: { label: '人民法院', help: '作出答复的机关所在地的人民法院（行政诉讼法第十八条）。', kind: 'text', group: 'remedy', max: 200 },
  caseNumberPrefix: { label: '案件编号代字', help: '本机关办理登记簿的编号代字，如“沪某房依申”。已编的号不会改变。', kind: 'text', group: 'numbering', max: 30 },
  caseNumberPattern: {
    label: '案件编号格式',
    help: '登记簿的编号格式（不是文号），如 {prefix}〔{year}〕第{n:5}号 → 沪某房依申〔2026〕第00123号。',
    kind: 'number_pattern',
    group: 'numbering',
    max: 60,
  },
  replyNumberPrefix: { label: '答复书文号代字', help: '答复书的发文机关代字，如“沪某房信复”。', kind: 'text', group: 'numbering', max: 30 },
  letterNumberPattern: {
    label: '文书文号格式',
    help: '发文字号由机关代字、年份、发文顺序号组成，年份用六角括号〔〕（GB/T 9704—2012 第7.2.4条），如 {prefix}〔{year}〕{n}号 → 沪某房信复〔2026〕12号。',
    kind: 'number_pattern',
    group: 'numbering',
    max: 60,
  },
  dueSoonWorkingDays: {
    label: '到期提醒（工作日）',
    help: '答复期限届满前多少个工作日提醒承办人和负责人（实务做法，默认 3 个工作日）。',
    kind: 'integer',
    group: 'clock',
    min: 0,
    max: 20,
  },
  supplementPeriodWorkingDays: {
    label: '补正期限（工作日）',
    help: '补正告知书给申请人的合理补正期限，默认 15 个工作日，每件案件仍可另定（条例第三十条）。',
    kind: 'integer',
    group: 'clock',
    min: 1,
    max: 60,
  },
  thirdPartyReliefWorkingDays: {
    label: '第三方救济期间（工作日）',
    help: '第三方不同意公开而决定公开的，书面告知第三方后，等待多少个工作日再向申请人公开，以便其依法申请复议或起诉（条例第三十二条；最高人民法院法释〔2011〕17号第十一条；实务做法，默认 15 个工作日）。',
    kind: 'integer',
    group: 'clock',
    min: 0,
    max: 60,
  },
  feePausesReplyClock: {
    label: '缴费期间暂停答复期限',
    help: '申请人收到收费通知书至缴费的期间是否不计入答复期限。《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）未明文规定，默认暂停，请按本地规定选择（待核实）。',
    kind: 'yes_no',
    group: 'clock',
  },
  feePaymentInstructions: {
    label: '缴费方式',
    help: '印在收费通知书上：缴费地点、账户和需注明的事项（国办函〔2020〕109号）。',
    kind: 'textarea',
    group: 'fees',
    max: 1000,
  },
} as const satisfies Record<ScalarSetting, SettingDeclaration>;

export type ScalarSettingKey = keyof typeof SETTING_DECLARATIONS;
export const SCALAR_SETTING_KEYS = Object.keys(SETTING_DECLARATIONS) as ScalarSettingKey[];

export const AGENCY_NAME_LABEL = '机关名称';
export const AGENCY_NAME_HELP = '文书的发文机关标志和落款、控制台和申请网页的页头使用此名称（全称）。';
export const LETTER_PREFIXES_LABEL = '各类告知书的文号代字';
export const REVIEW_FIRST_LABEL = '须先申请行政复议的答复';
export const REVIEW_FIRST_HELP =
  '2024年1月1日起，对不予公开的答复不服的，应当先申请行政复议（行政复议法第二十三条第一款第（四）项），答复书须告知（同条第二款）。勾选的办理结果，答复书只写复议途径；其余写明复议或诉讼。请法制审核人员确认。';

/** The notices whose 文号 prefix is set here: every letter kind but the reply (答复书文号代字 above). */
export const PREFIXED_LETTER_KINDS = LETTER_KIND_TERMS.map((term) => term.code).filter((code) => code !== 'reply');

/** Two notices share a title; the settings page tells them apart. */
export function prefixedLetterLabel(kind: string): string {
  if (kind === 'supplement_lapse_notice') return `${labelOf(LETTER_KIND_TERMS, kind)}（逾期未补正）`;
  if (kind === 'fee_lapse_notice') return `${labelOf(LETTER_KIND_TERMS, kind)}（逾期未缴费）`;
  return labelOf(LETTER_KIND_TERMS, kind);
}

/** The outcome families whose every member may be stored as one prefix (`withheld.`), so an outcome added later follows its family. */
const OUTCOME_FAMILIES = ['withheld.', 'unavailable.', 'not_processed.', 'other.'] as const;
const OUTCOME_CODES: readonly string[] = OUTCOME_TERMS.map((term) => term.code);

/** Whether a stored list (codes and `family.` prefixes) covers an outcome: the rule libs/letters applies (requiresReviewFirst). */
export function coversOutcome(list: readonly string[], outcome: string): boolean {
  return list.some((entry) => (entry.endsWith('.') ? outcome.startsWith(entry) : outcome === entry));
}

/** The ticked outcomes as stored: a whole family as its prefix, the rest one by one. */
export function compactOutcomes(outcomes: readonly string[]): string[] {
  const chosen = new Set(outcomes.filter((code) => OUTCOME_CODES.includes(code)));
  const result: string[] = [];
  for (const family of OUTCOME_FAMILIES) {
    const members = OUTCOME_CODES.filter((code) => code.startsWith(family));
    if (members.every((code) => chosen.has(code))) {
      result.push(family);
      for (const code of members) chosen.delete(code);
    }
  }
  return [...result, ...OUTCOME_CODES.filter((code) => chosen.has(code))];
}

export interface AgencySettingsInput {
  name: string;
  settings: AgencySettings;
}

/** A problem with one setting: the field's form name and the message, which names the field by its label. */
export interface SettingProblem {
  name: string;
  message: string;
}

/** Every problem of a complete set of settings, each naming its field by its label. */
export function agencySettingsProblems(input: AgencySettingsInput): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const text = (name: string, label: string, value: unknown, max: number) => {
    if (typeof value !== 'string' || !value.trim()) problems.push({ name, message: `${label} 不能为空` });
    else if (value.length > max) problems.push({ name, message: `${label} 不能超过 ${max} 个字` });
  };
  text('name', AGENCY_NAME_LABEL, input.name, 100);
  for (const key of SCALAR_SETTING_KEYS) {
    const declaration: SettingDeclaration = SETTING_DECLARATIONS[key];
    const value: unknown = input.settings[key];
    if (declaration.kind === 'integer') {
      if (typeof value !== 'number' || !Number.isInteger(value)) problems.push({ name: key, message: `${declaration.label} 应为整数` });
      else if (value < declaration.min! || value > declaration.max!) problems.push({ name: key, message: `${declaration.label} 应在 ${declaration.min} 至 ${declaration.max} 之间` });
    } else if (declaration.kind === 'yes_no') {
      if (typeof value !== 'boolean') problems.push({ name: key, message: `${declaration.label} 请选择“是”或“否”` });
    } else {
      text(key, declaration.label, value, declaration.max!);
      if (declaration.kind === 'number_pattern' && typeof value === 'string' && value.trim()) {
        const found = numberPatternProblems(value);
        if (found.length) problems.push({ name: key, message: `${declaration.label}：${found.join('；')}` });
      }
    }
  }
  for (const kind of PREFIXED_LETTER_KINDS) {
    text(`letterNumberPrefixes.${kind}`, `${prefixedLetterLabel(kind)}的文号代字`, input.settings.letterNumberPrefixes?.[kind], 30);
  }
  const outcomes = input.settings.reviewFirstOutcomes;
  if (!Array.isArray(outcomes) || outcomes.some((entry) => typeof entry !== 'string' || !(OUTCOME_CODES.includes(entry) || (OUTCOME_FAMILIES as readonly string[]).includes(entry)))) {
    problems.push({ name: 'reviewFirstOutcomes', message: `${REVIEW_FIRST_LABEL} 只能从列出的办理结果中选择` });
  }
  return problems;
}

/** How the two number patterns read with this agency's prefixes, for the page to show beside them. */
export function numberExamples(settings: AgencySettings, year: number): { caseNumber: string | null; letterNumber: string | null } {
  const example = (pattern: string, prefix: string) => (numberPatternProblems(pattern).length ? null : formatDocumentNumber(pattern, prefix, year, 12));
  return {
    caseNumber: example(settings.caseNumberPattern ?? DEFAULT_CASE_NUMBER_PATTERN, settings.caseNumberPrefix),
    letterNumber: example(settings.letterNumberPattern, settings.replyNumberPrefix),
  };
}

/** The settings as a form posts them (every value a string; checkboxes as a list), read into typed settings. */
export function readSettingsForm(posted: Record<string, unknown>, current: AgencySettings): AgencySettingsInput {
  const string = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  // Read as posted, then checked whole (agencySettingsProblems): a number field holding words stays words until then.
  const scalars: Record<string, unknown> = {};
  for (const key of SCALAR_SETTING_KEYS) {
    const declaration: SettingDeclaration = SETTING_DECLARATIONS[key];
    const raw = string(posted[key]);
    if (declaration.kind === 'integer') scalars[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else if (declaration.kind === 'yes_no') scalars[key] = raw === 'yes' ? true : raw === 'no' ? false : null;
    else scalars[key] = raw;
  }
  const settings = { ...current, ...scalars, letterNumberPrefixes: { ...current.letterNumberPrefixes } } as AgencySettings;
  for (const kind of PREFIXED_LETTER_KINDS) settings.letterNumberPrefixes[kind] = string(posted[`letterNumberPrefixes.${kind}`]);
  const ticked = posted.reviewFirstOutcomes === undefined ? [] : Array.isArray(posted.reviewFirstOutcomes) ? posted.reviewFirstOutcomes : [posted.reviewFirstOutcomes];
  settings.reviewFirstOutcomes = compactOutcomes(ticked.map(String));
  return { name: string(posted.name), settings };
}

/** The settings whose change moves open cases' due dates (CalendarService.clockOf reads them). */
export const CLOCK_SETTING_KEYS = ['feePausesReplyClock', 'thirdPartyReliefWorkingDays'] as const satisfies readonly ScalarSettingKey[];

/** The labels of what differs between two sets of settings, for the change history. */
export function changedSettingLabels(before: AgencySettingsInput, after: AgencySettingsInput): string[] {
  const labels: string[] = [];
  if (before.name !== after.name) labels.push(AGENCY_NAME_LABEL);
  for (const key of SCALAR_SETTING_KEYS) if (before.settings[key] !== after.settings[key]) labels.push(SETTING_DECLARATIONS[key].label);
  if (PREFIXED_LETTER_KINDS.some((kind) => before.settings.letterNumberPrefixes?.[kind] !== after.settings.letterNumberPrefixes?.[kind])) labels.push(LETTER_PREFIXES_LABEL);
  if (JSON.stringify(before.settings.reviewFirstOutcomes ?? []) !== JSON.stringify(after.settings.reviewFirstOutcomes ?? [])) labels.push(REVIEW_FIRST_LABEL);
  return labels;
}
