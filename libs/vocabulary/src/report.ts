// The annual report's own words: the rows, columns and cells of sections 三 and 四 of 国办公开办函〔2021〕30号,
// verbatim from the national format (rules.md §8). Codes are the keys of GET /api/reports/annual/{year} (api.md).
import type { Vocabulary } from './vocabulary';

export const REPORT_ROW_TERMS = [
  { code: 'new', label: '一、本年新收政府信息公开申请数量' },
  { code: 'carried_over', label: '二、上年结转政府信息公开申请数量' },
  { code: 'disclosed', label: '（一）予以公开' },
  { code: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  { code: 'withheld', label: '（三）不予公开' },
  { code: 'withheld.state_secret', label: '1.属于国家秘密' },
  { code: 'withheld.law_prohibited', label: '2.其他法律行政法规禁止公开' },
  { code: 'withheld.security_stability', label: '3.危及“三安全一稳定”' },
  { code: 'withheld.third_party', label: '4.保护第三方合法权益' },
  { code: 'withheld.internal_affairs', label: '5.属于三类内部事务信息' },
  { code: 'withheld.process_info', label: '6.属于四类过程性信息' },
  { code: 'withheld.enforcement_file', label: '7.属于行政执法案卷' },
  { code: 'withheld.admin_query', label: '8.属于行政查询事项' },
  { code: 'unavailable', label: '（四）无法提供' },
  { code: 'unavailable.not_held', label: '1.本机关不掌握相关政府信息' },
  { code: 'unavailable.needs_creation', label: '2.没有现成信息需要另行制作' },
  { code: 'unavailable.unclear_after_supplement', label: '3.补正后申请内容仍不明确' },
  { code: 'not_processed', label: '（五）不予处理' },
  { code: 'not_processed.petition', label: '1.信访举报投诉类申请' },
  { code: 'not_processed.duplicate', label: '2.重复申请' },
  { code: 'not_processed.publication', label: '3.要求提供公开出版物' },
  { code: 'not_processed.excessive', label: '4.无正当理由大量反复申请' },
  { code: 'not_processed.confirmation', label: '5.要求行政机关确认或重新出具已获取信息' },
  { code: 'other', label: '（六）其他处理' },
  { code: 'other.no_supplement', label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' },
  { code: 'other.fee_unpaid', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请' },
  { code: 'other.other', label: '3.其他' },
  { code: 'total', label: '（七）总计' },
  { code: 'carried_forward', label: '四、结转下年度继续办理' },
] as const satisfies Vocabulary;

/** Section 三's columns (rules.md §8). */
export const REPORT_COLUMN_TERMS = [
  { code: 'natural_person', label: '自然人' },
  { code: 'business', label: '商业企业' },
  { code: 'research', label: '科研机构' },
  { code: 'public_interest', label: '社会公益组织' },
  { code: 'legal_services', label: '法律服务机构' },
  { code: 'other', label: '其他' },
  { code: 'total', label: '总计' },
] as const satisfies Vocabulary;

/** Section 四's three groups (rules.md §7, §8). */
export const DISPUTE_GROUP_TERMS = [
  { code: 'review', label: '行政复议' },
  { code: 'litigation_direct', label: '未经复议直接起诉' },
  { code: 'litigation_after_review', label: '复议后起诉' },
] as const satisfies Vocabulary;

/** Section 四's five cells of each group; 总计 is the sum of the other four. */
export const DISPUTE_CELL_TERMS = [
  { code: 'upheld', label: '结果维持' },
  { code: 'corrected', label: '结果纠正' },
  { code: 'other', label: '其他结果' },
  { code: 'pending', label: '尚未审结' },
  { code: 'total', label: '总计' },
] as const satisfies Vocabulary;

/** The headings of the national format (rules.md §8). */
export const REPORT_HEADINGS = {
  sectionThree: '三、收到和处理政府信息公开申请情况',
  sectionFour: '四、政府信息公开行政复议、行政诉讼情况',
  results: '三、本年度办理结果',
  columnsGroup: '申请人情况',
  organisations: '法人或其他组织',
  litigation: '行政诉讼',
  /** The top-left cell of section 三: the note on the columns' 勾稽关系. */
  cornerNote: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
} as const;
