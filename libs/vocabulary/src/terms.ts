// Every fixed vocabulary of the desk with its Chinese words (rules.md, api.md). One place: pages, letters, API messages,
// reports and e-mails all read their labels here.
import type { Term, Vocabulary } from './vocabulary';

/** rules.md §1: how the application reached the office; it decides the receipt date (Art. 31). */
export const CHANNEL_TERMS = [
  { code: 'in_person', label: '当面提交', hint: '收到申请之日为提交之日' },
  { code: 'post_signed', label: '邮寄（挂号信、EMS）', hint: '收到申请之日为本机关签收之日' },
  { code: 'post_ordinary', label: '平常信函', hint: '收到申请之日为与申请人确认之日' },
  { code: 'online', label: '网上申请', hint: '收到申请之日为双方确认之日' },
  { code: 'email', label: '电子邮件', hint: '收到申请之日为双方确认之日' },
  { code: 'fax', label: '传真', hint: '收到申请之日为双方确认之日' },
  { code: 'oral', label: '口头提出（代为填写）', hint: '书面申请确有困难的，由工作人员代为填写（第二十九条第一款）' },
  { code: 'platform_import', label: '政务服务平台转入', hint: '收到申请之日为双方确认之日或平台确认之日' },
] as const satisfies Vocabulary;

export const APPLICANT_CATEGORY_TERMS = [
  { code: 'natural_person', label: '自然人' },
  { code: 'business', label: '商业企业' },
  { code: 'research', label: '科研机构' },
  { code: 'public_interest', label: '社会公益组织' },
  { code: 'legal_services', label: '法律服务机构' },
  { code: 'other', label: '其他组织' },
] as const satisfies Vocabulary;

/** Art. 29 ¶2(3), Art. 40: the form in which the applicant wants the information. */
export const DELIVERY_FORM_TERMS = [
  { code: 'paper_pickup', label: '纸质文本（自行领取）' },
  { code: 'paper_post', label: '纸质文本（邮寄）' },
  { code: 'email', label: '电子邮件' },
  { code: 'online', label: '网上获取' },
  { code: 'disc', label: '光盘' },
  { code: 'inspection', label: '现场查阅' },
] as const satisfies Vocabulary;

export const ID_TYPE_TERMS = [
  { code: 'id_card', label: '居民身份证' },
  { code: 'passport', label: '护照' },
  { code: 'hk_macao_permit', label: '港澳居民来往内地通行证' },
  { code: 'taiwan_permit', label: '台湾居民来往大陆通行证' },
  { code: 'foreign_permanent_resident', label: '外国人永久居留身份证' },
  { code: 'uscc', label: '统一社会信用代码' },
  { code: 'other', label: '其他证件' },
] as const satisfies Vocabulary;

export const REQUEST_TYPE_TERMS = [
  { code: 'disclosure', label: '政府信息公开申请' },
  { code: 'correction', label: '政府信息更正申请（第四十一条）' },
] as const satisfies Vocabulary;

export const ROLE_TERMS = [
  { code: 'intake', label: '登记' },
  { code: 'handler', label: '承办' },
  { code: 'legal', label: '法制审核' },
  { code: 'head', label: '负责人' },
  { code: 'admin', label: '系统管理员' },
] as const satisfies Vocabulary;

/** The clock watcher and other automatic steps act as this pseudo-role; no user holds it. */
export const SYSTEM_ROLE_TERM = { code: 'system', label: '系统自动' } as const;
/**
 * The applicant acting online on the own case (补正, withdrawal), proved by the case number and 查询码; no account holds
 * it.
 */
export const APPLICANT_ROLE_TERM = { code: 'applicant', label: '申请人（网上办理）' } as const;
export const ACTOR_ROLE_TERMS = [...ROLE_TERMS, SYSTEM_ROLE_TERM, APPLICANT_ROLE_TERM] as const satisfies Vocabulary;

export const CONSULTATION_KIND_TERMS = [
  { code: 'third_party', label: '第三方（第三十二条）' },
  { code: 'agency', label: '其他机关（第三十四条）' },
] as const satisfies Vocabulary;

export const CONSULTATION_ANSWER_TERMS = [
  { code: 'consent', label: '同意公开' },
  { code: 'objection', label: '不同意公开' },
  { code: 'no_answer', label: '逾期未提出意见' },
] as const satisfies Vocabulary;

/** Art. 35: the agency's finding on the reasons for a large or repeated request. */
export const EXCESSIVE_FINDING_TERMS = [
  { code: 'reasonable', label: '理由合理' },
  { code: 'unreasonable', label: '理由不合理' },
  { code: 'no_answer', label: '未说明理由' },
] as const satisfies Vocabulary;

/**
 * 送达 (国办公开办函〔2016〕235号第一条: 直接送达、委托其他行政机关代为送达、邮寄送达; and the online delivery the
 * applicant chose, Art. 29(3), 40). 第四条: direct and delegated service count from the day the applicant signs for
 * the letter, postal service from the day it is handed to the post (交邮之日).
 */
export const SERVICE_METHOD_TERMS = [
  { code: 'direct', label: '直接送达', hint: '以申请人签收之日为送达日期' },
  { code: 'delegated', label: '委托送达', hint: '委托其他行政机关代为送达，以申请人签收之日为送达日期' },
  { code: 'post', label: '邮寄送达', hint: '以交邮之日为送达日期' },
  { code: 'electronic', label: '电子送达', hint: '申请人选择网上获取或电子邮件的' },
] as const satisfies Vocabulary;

/**
 * 国办公开办函〔2016〕235号第二条: postal service goes through the postal enterprise (邮政企业, 《邮政法》第五十五条),
 * never through a courier without the standing to carry official documents; 第三条: never cash on delivery (到付).
 * The postal enterprise's tracked services only: a letter whose handing-in cannot be proved proves no date.
 */
export const POSTAL_SERVICE_TERMS = [
  { code: 'registered_letter', label: '邮政挂号信' },
  { code: 'ems', label: '邮政特快专递（EMS）' },
] as const satisfies Vocabulary;

/** 国办函〔2020〕109号: one method per application. */
export const FEE_METHOD_TERMS = [
  { code: 'per_item', label: '按件计收' },
  { code: 'per_page', label: '按量计收' },
] as const satisfies Vocabulary;

export const YES_NO_TERMS = [
  { code: 'true', label: '是' },
  { code: 'false', label: '否' },
] as const satisfies Vocabulary;

/** Staff-facing words for each state of the workflow (the machine's dotted state paths). */
export const STATE_TERMS = [
  { code: 'new', label: '新建' },
  { code: 'received', label: '已提交，待确认收到' },
  { code: 'registered', label: '已登记' },
  { code: 'awaitingSupplement', label: '待补正' },
  { code: 'handling.active', label: '办理中' },
  { code: 'handling.consulting', label: '征求意见中（答复期限暂停）' },
  { code: 'handling.awaitingFee', label: '待申请人缴费' },
  { code: 'decided.legalReview', label: '待法制审核' },
  { code: 'decided.headApproval', label: '待负责人签发' },
  { code: 'decided.signed', label: '已签发，待出具答复' },
  { code: 'replied', label: '已答复，待作出转主动公开决定' },
  { code: 'closed', label: '已办结' },
  { code: 'withdrawn', label: '已撤回' },
  { code: 'abandoned', label: '视为放弃申请' },
  { code: 'reopened', label: '重新办理（待分办）' },
] as const satisfies Vocabulary;

/** What an applicant sees of each state (public tracking): plain words, no internal steps. */
export const PUBLIC_STATE_TERMS = [
  { code: 'new', label: '正在办理' },
  { code: 'received', label: '已提交，等待政府信息公开工作机构确认收到' },
  { code: 'registered', label: '已受理，正在办理' },
  { code: 'awaitingSupplement', label: '需要补正申请内容，请按补正告知书办理' },
  { code: 'handling.active', label: '正在办理' },
  { code: 'handling.consulting', label: '正在办理（征求意见期间，答复期限暂停计算）' },
  { code: 'handling.awaitingFee', label: '请按收费通知书缴纳信息处理费' },
  { code: 'decided.legalReview', label: '正在办理' },
  { code: 'decided.headApproval', label: '正在办理' },
  { code: 'decided.signed', label: '正在办理' },
  { code: 'replied', label: '已答复' },
  { code: 'closed', label: '已答复' },
  { code: 'withdrawn', label: '申请已撤回' },
  { code: 'abandoned', label: '逾期未补正或未缴费，视为放弃申请' },
  { code: 'reopened', label: '已受理，正在办理' },
] as const satisfies Vocabulary;

/** The letters (文书) of rules.md §9 by their titles, named after the provincial model sets (宿迁 2021, 江苏 2019). */
export const LETTER_KIND_TERMS = [
  { code: 'receipt', label: '政府信息公开申请接收回执' },
  { code: 'supplement_notice', label: '政府信息公开申请补正告知书' },
  { code: 'extension_notice', label: '政府信息公开申请延期答复告知书' },
  { code: 'delay_notice', label: '政府信息公开申请延迟答复告知书' },
  { code: 'reasons_request', label: '政府信息公开申请说明理由告知书' },
  { code: 'third_party_consultation', label: '政府信息公开第三方意见征询函' },
  { code: 'consultation_notice', label: '政府信息公开申请征求意见告知书' },
  { code: 'agency_consultation', label: '政府信息公开征求意见函' },
  { code: 'disclosure_decision_notice', label: '政府信息公开决定告知书' },
  { code: 'fee_notice', label: '政府信息公开信息处理费收费通知书' },
  { code: 'supplement_lapse_notice', label: '政府信息公开申请不再处理告知书' },
  { code: 'fee_lapse_notice', label: '政府信息公开申请不再处理告知书' },
  { code: 'reply', label: '政府信息公开申请答复书' },
  { code: 'correction_reply', label: '政府信息更正申请答复书' },
] as const satisfies Vocabulary;

export const LETTER_STATUS_TERMS = [
  { code: 'draft', label: '草稿' },
  { code: 'in_review', label: '审核中' },
  { code: 'approved', label: '已签发' },
  { code: 'issued', label: '已出具' },
] as const satisfies Vocabulary;

export const LETTER_ADDRESSEE_TERMS = [
  { code: 'applicant', label: '申请人' },
  { code: 'third_party', label: '第三方' },
  { code: 'agency', label: '其他机关' },
] as const satisfies Vocabulary;

/** The two review steps of a reply: 合法性审查 by legal, 签发 by the head. */
export const REVIEW_STEP_TERMS = [
  { code: 'legal', label: '法制审核' },
  { code: 'head', label: '负责人签发' },
] as const satisfies Vocabulary;

export const REVIEW_DECISION_TERMS = [
  { code: 'approve', label: '同意' },
  { code: 'return', label: '退回修改' },
] as const satisfies Vocabulary;

export const DISPUTE_KIND_TERMS = [
  { code: 'review', label: '行政复议' },
  { code: 'litigation', label: '行政诉讼' },
] as const satisfies Vocabulary;

export const DISPUTE_INSTANCE_TERMS = [
  { code: 'first', label: '一审' },
  { code: 'second', label: '二审' },
  { code: 'retrial', label: '再审' },
] as const satisfies Vocabulary;

/** rules.md §7: the result classes of the annual report's section 四. */
export const DISPUTE_RESULT_TERMS = [
  { code: 'upheld', label: '结果维持', hint: '维持、驳回' },
  { code: 'corrected', label: '结果纠正', hint: '撤销、变更、确认违法、责令履行或重新答复' },
  { code: 'other', label: '其他结果', hint: '终止、撤回、不予受理、调解等' },
  { code: 'pending', label: '尚未审结' },
] as const satisfies Vocabulary;

/** What the outbox tells staff (GET /api/notifications). */
export const NOTIFICATION_KIND_TERMS = [
  { code: 'due_soon', label: '答复期限临近' },
  { code: 'overdue', label: '已逾期未答复' },
  { code: 'supplement_lapsed', label: '补正期限届满，视为放弃申请' },
  { code: 'fee_lapsed', label: '缴费期限届满，视为放弃申请' },
  { code: 'consultation_limit_reached', label: '征求意见期限届满' },
  { code: 'calendar_change', label: '节假日安排调整，答复期限已重新计算' },
  { code: 'settings_change', label: '机关期限设置调整，答复期限已重新计算' },
  { code: 'dispute_answer_due', label: '行政复议答复或行政诉讼举证期限临近' },
  { code: 'dispute_answer_overdue', label: '行政复议答复或行政诉讼举证期限已过' },
  { code: 'applicant_supplemented', label: '申请人已在网上补正' },
  { code: 'applicant_withdrew', label: '申请人已在网上撤回申请' },
] as const satisfies Vocabulary;

/** What the applicant is told (email, SMS) when it happens, if the applicant asked for it on the form. */
export const APPLICANT_NOTICE_TERMS = [
  { code: 'application_confirmed', label: '申请已确认收到' },
  { code: 'supplement_requested', label: '需要补正申请' },
  { code: 'period_extended', label: '答复期限已延长' },
  { code: 'reply_issued', label: '已作出答复' },
] as const satisfies Vocabulary;

/** How a notice reaches its recipient. */
export const NOTICE_CHANNEL_TERMS = [
  { code: 'email', label: '电子邮件' },
  { code: 'sms', label: '短信' },
] as const satisfies Vocabulary;

/** The file a document is downloaded as (送达回证, the annual report): the office keeps Word to edit, PDF to print. */
export const DOCUMENT_FORMAT_TERMS = [
  { code: 'pdf', label: 'PDF 文件' },
  { code: 'docx', label: 'Word 文档' },
] as const satisfies Vocabulary;

/** What a file of a case is (attachments); a file with no kind is the office's own material (检索记录、回执…). */
export const ATTACHMENT_KIND_TERMS = [
  { code: 'identity_copy', label: '身份证明材料', hint: '申请人身份证件或统一社会信用代码证书的复印件、照片' },
  { code: 'authorisation', label: '授权委托书', hint: '委托他人代为申请的，附授权委托书' },
  { code: 'supplement', label: '补正材料', hint: '申请人按补正告知书补正时提交的材料（第三十条）' },
] as const satisfies Vocabulary;

/** The personal-data access log: what was done with an applicant's data. */
export const PERSONAL_DATA_ACTION_TERMS = [
  { code: 'view_case', label: '查看案件' },
  { code: 'list_cases', label: '查看案件列表' },
  { code: 'reveal_identity', label: '查看完整证件号码和电话' },
  { code: 'view_letter', label: '查看文书' },
  { code: 'download_attachment', label: '下载附件' },
  { code: 'export_evidence_bundle', label: '导出证据材料' },
  { code: 'export_queue', label: '导出案件列表' },
] as const satisfies Vocabulary;

export const CALENDAR_DAY_KIND_TERMS = [
  { code: 'holiday', label: '放假' },
  { code: 'workday', label: '调休上班' },
] as const satisfies Vocabulary;

/**
 * rules.md §4: the outcome of an application (办理结果) — in the staff's words (`label`), the row of the annual report it
 * counts in (`row`, REPORT_ROW_TERMS) and the article the reply cites (`article`; a disclosure cites 36(1) or 36(2)
 * by its mode, a partial disclosure adds its withheld part's own basis).
 */
export const OUTCOME_TERMS = [
  { code: 'disclosed', label: '予以公开', row: 'disclosed', article: '第三十六条第（二）项' },
  { code: 'partial', label: '部分公开', row: 'partial', article: '第三十七条' },
  { code: 'withheld.state_secret', label: '不予公开：属于国家秘密', row: 'withheld.state_secret', article: '第十四条' },
  { code: 'withheld.law_prohibited', label: '不予公开：其他法律行政法规禁止公开', row: 'withheld.law_prohibited', article: '第十四条' },
  { code: 'withheld.security_stability', label: '不予公开：危及“三安全一稳定”', row: 'withheld.security_stability', article: '第十四条' },
  { code: 'withheld.third_party', label: '不予公开：保护第三方合法权益', row: 'withheld.third_party', article: '第十五条、第三十二条' },
  { code: 'withheld.internal_affairs', label: '不予公开：属于三类内部事务信息', row: 'withheld.internal_affairs', article: '第十六条第一款' },
  { code: 'withheld.process_info', label: '不予公开：属于四类过程性信息', row: 'withheld.process_info', article: '第十六条第二款' },
  { code: 'withheld.enforcement_file', label: '不予公开：属于行政执法案卷', row: 'withheld.enforcement_file', article: '第十六条第二款' },
  { code: 'withheld.admin_query', label: '属于行政查询事项：告知按查询途径办理', row: 'withheld.admin_query', article: '第三十六条第（七）项' },
  { code: 'unavailable.not_held', label: '无法提供：经检索没有所申请的信息', row: 'unavailable.not_held', article: '第三十六条第（四）项' },
  { code: 'unavailable.not_responsible', label: '无法提供：不属于本机关负责公开', row: 'unavailable.not_held', article: '第三十六条第（五）项' },
  { code: 'unavailable.needs_creation', label: '无法提供：没有现成信息需要另行制作', row: 'unavailable.needs_creation', article: '第三十八条' },
  { code: 'unavailable.unclear_after_supplement', label: '无法提供：补正后申请内容仍不明确', row: 'unavailable.unclear_after_supplement', article: '第三十条' },
  { code: 'not_processed.petition', label: '不予处理：信访、举报、投诉类申请', row: 'not_processed.petition', article: '第三十九条第一款' },
  { code: 'not_processed.duplicate', label: '不予处理：重复申请', row: 'not_processed.duplicate', article: '第三十六条第（六）项' },
  { code: 'not_processed.publication', label: '不予处理：要求提供公开出版物', row: 'not_processed.publication', article: '第三十九条第二款' },
  { code: 'not_processed.excessive', label: '不予处理：无正当理由大量反复申请', row: 'not_processed.excessive', article: '第三十五条' },
  { code: 'not_processed.confirmation', label: '不予处理：要求确认或重新出具已获取的信息', row: 'not_processed.confirmation', article: '' },
  { code: 'other.no_supplement', label: '其他处理：逾期不补正', row: 'other.no_supplement', article: '第三十条' },
  { code: 'other.fee_unpaid', label: '其他处理：逾期未缴费', row: 'other.fee_unpaid', article: '《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）' },
  { code: 'other.other', label: '其他处理（如申请人撤回申请）', row: 'other.other', article: '' },
] as const satisfies readonly (Term & { row: string; article: string })[];

/** Art. 36(1) or 36(2): a disclosure of information already published, or provided now. */
export const DISCLOSURE_MODE_TERMS = [
  { code: 'provided', label: '向申请人提供（第三十六条第（二）项）' },
  { code: 'already_public', label: '已主动公开，告知获取途径（第三十六条第（一）项）' },
] as const satisfies Vocabulary;

/** Art. 41: the outcomes of a request to correct the applicant's own records. */
export const CORRECTION_OUTCOME_TERMS = [
  { code: 'correction.corrected', label: '予以更正' },
  { code: 'correction.forwarded', label: '转送有权更正的机关' },
  { code: 'correction.not_ours', label: '告知向有权更正的机关提出' },
  { code: 'correction.not_verified', label: '经核实不予更正' },
] as const satisfies Vocabulary;

/** The litigation risks (败诉风险) the review of a draft reply names (libs/letters litigation-risk.ts), in the reviewer's words. */
export const RISK_TERMS = [
  { code: 'receipt_and_request', label: '未写明收到申请之日或申请内容' },
  { code: 'legal_basis', label: '法律依据引用不当' },
  { code: 'mixed_grounds', label: '混用不同的答复情形' },
  { code: 'withheld_basis', label: '不予公开部分未写明依据' },
  { code: 'reasons', label: '未说明理由' },
  { code: 'remedy', label: '救济途径告知不当' },
  { code: 'responsible_agency', label: '未告知负责公开的机关' },
  { code: 'provisional_date', label: '日期按尚未公布的放假安排推算' },
  { code: 'punctuation', label: '标点或格式有误' },
  { code: 'document_number', label: '文号不符合公文格式' },
  { code: 'search_inadequate', label: '检索记录不足以证明已尽检索义务' },
  { code: 'search_before_reopening', label: '重新答复前未重新检索' },
  { code: 'reply_late', label: '逾期答复' },
  { code: 'third_party_not_notified', label: '未书面告知第三方公开决定' },
  { code: 'third_party_not_consulted', label: '未征求第三方意见' },
  { code: 'weak_reasons', label: '理由过于简单' },
  { code: 'responsible_agency_contact', label: '未告知负责机关的联系方式' },
  { code: 'review_body_is_agency', label: '复议机关写成了本机关' },
  { code: 'service_unprovable', label: '送达难以证明' },
] as const satisfies Vocabulary;

/** The parts of a reply letter staff write themselves (填写部分); the statutory text around them is the template's. */
export const FILL_IN_TERMS = [
  { code: 'reasons', label: '理由' },
  { code: 'provided', label: '提供的信息及方式' },
  { code: 'withheld', label: '不予公开的部分' },
  { code: 'contactPerson', label: '联系人' },
  { code: 'contactPhone', label: '联系电话' },
] as const satisfies Vocabulary;

/**
 * What an API client of a city or provincial platform (政务服务平台) may do (issue 19): each route open to clients names
 * the one it needs. A client never reaches a staff route, whatever its scopes.
 */
export const API_SCOPE_TERMS = [
  { code: 'applications:import', label: '转入申请', hint: '向本系统的机关转入申请人在平台提交的政府信息公开申请' },
  { code: 'cases:status', label: '查询办理进度', hint: '查询本平台转入的申请的办理进度，下载出具给申请人的文书' },
] as const satisfies Vocabulary;

/**
 * What a platform's subscription may ask to be called back for: changes the applicant sees on the platform. One step
 * may cause several; a callback lists those its subscription asked for.
 */
export const CALLBACK_EVENT_TERMS = [
  { code: 'state_changed', label: '办理状态变化', hint: '申请人看到的办理状态有了变化，如已受理、需要补正、已答复' },
  { code: 'letter_issued', label: '出具文书', hint: '本机关向申请人出具了文书，如接收回执、补正告知书、延期答复告知书、答复书' },
  { code: 'due_date_changed', label: '答复期限变化', hint: '答复期限确定或变化，如确认收到、延期答复、补正后重新计算' },
  { code: 'concluded', label: '办结', hint: '申请已办结：已答复、已撤回或视为放弃' },
] as const satisfies Vocabulary;

/** Where a callback to a platform stands in its delivery. */
export const CALLBACK_STATUS_TERMS = [
  { code: 'pending', label: '待发送' },
  { code: 'delivered', label: '已送达' },
  { code: 'dead', label: '发送失败，已停止重试' },
] as const satisfies Vocabulary;

/**
 * How the identity a unified identity system (统一身份认证, issue 19) vouches for is matched to a staff user of the
 * agency. Either way the first sign-in only links a user who exists, unless the agency lets it open an account.
 */
export const SSO_MATCH_TERMS = [
  {
    code: 'username',
    label: '按用户名对应',
    hint: '身份认证平台提供的用户名与本系统的用户名相同即为同一人，每次登录都按用户名查找',
  },
  {
    code: 'subject',
    label: '按外部身份标识对应',
    hint: '首次登录时按用户名找到本系统的用户，并记下平台给出的身份标识；此后只按该标识对应，平台上改了用户名也不受影响',
  },
] as const satisfies Vocabulary;
