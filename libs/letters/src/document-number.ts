// 发文字号 (GB/T 9704-2012 7.2.4): 发文机关代字、年份、发文顺序号 — "机关代字〔2025〕1号": the year in 六角括号 〔〕,
// the sequence number without leading zeros and without 第. The pattern is an agency setting; these are the defaults.

/** GB/T 9704: 沪某房信复〔2025〕1号. */
export const DEFAULT_LETTER_NUMBER_PATTERN = '{prefix}〔{year}〕{n}号';
/** Case numbers are the office's register numbers, not 发文字号: they keep the form applicants already hold. */
export const DEFAULT_CASE_NUMBER_PATTERN = '{prefix}〔{year}〕第{n:5}号';

const TOKEN = /\{(prefix|year|n)(?::(\d{1,2}))?\}/g;

/** Problems with a pattern, in words an administrator can act on; empty when it is usable. */
export function numberPatternProblems(pattern: string): string[] {
  const problems: string[] = [];
  if (typeof pattern !== 'string' || !pattern.trim()) return ['编号格式不能为空'];
  if (!pattern.includes('{n')) problems.push('编号格式须包含顺序号 {n}');
  if (!pattern.includes('{year}')) problems.push('编号格式须包含年份 {year}');
  const unknown = pattern.replace(TOKEN, '').match(/\{[^}]*\}/g);
  if (unknown) problems.push(`编号格式中有不认识的占位符：${unknown.join('、')}（可用 {prefix}、{year}、{n}、{n:5}）`);
  return problems;
}

/** `{prefix}`, `{year}`, `{n}` (the sequence as is) and `{n:5}` (padded with zeros to five digits). */
export function formatDocumentNumber(pattern: string, prefix: string, year: number, sequence: number): string {
  const problems = numberPatternProblems(pattern);
  if (problems.length) throw new RangeError(problems.join('；'));
  return pattern.replace(TOKEN, (_match, token: string, width: string | undefined) => {
    if (token === 'prefix') return prefix;
    if (token === 'year') return String(year);
    return width ? String(sequence).padStart(Number(width), '0') : String(sequence);
  });
}
