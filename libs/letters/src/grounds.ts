// The words a letter uses for each ground, taken from the articles themselves (Art. 14, 15, 16), not from the annual
// report's row labels: the letter tells the applicant why, the report only counts.

/** Art. 14–16: what the withheld information is, as the article describes it. */
export const WITHHOLDING_GROUND_TEXT: Readonly<Record<string, string>> = {
  'withheld.state_secret': '属于依法确定为国家秘密的政府信息', // Art. 14
  'withheld.law_prohibited': '属于法律、行政法规禁止公开的政府信息', // Art. 14
  'withheld.security_stability': '属于公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息', // Art. 14
  'withheld.third_party': '涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害', // Art. 15
  'withheld.internal_affairs': '属于行政机关的内部事务信息', // Art. 16 ¶1
  'withheld.process_info': '属于行政机关在履行行政管理职能过程中形成的过程性信息', // Art. 16 ¶2
  'withheld.enforcement_file': '属于行政执法案卷信息', // Art. 16 ¶2
};

/**
 * The sentence a provisional date carries in a letter (rules.md §2, §3): a date counted through a year whose holiday
 * notice is not out is never stated as certain.
 */
export const PROVISIONAL_DATE_NOTE = '该日期系按尚未公布的节假日安排推算，如国务院办公厅公布的节假日安排与此不同，以按工作日实际计算的日期为准';
