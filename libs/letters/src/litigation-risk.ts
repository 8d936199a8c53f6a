// 败诉风险审查: what a court would hold against a draft reply, beside the draft for legal staff. Each risk names the
// rule or case behind it and what would cure it. Certain defects block signing and issuing; the others are warnings the
// legal reviewer acknowledges with a comment, kept in the review round.
import type { IsoDate } from '@desk/calendar';
import type { RISK_TERMS } from '@desk/vocabulary';
import { checkLetter, type CheckRule } from './legal-checker';
import type { LetterData } from './letter-data';
import type { LetterBlock } from './letter-renderer';

export type RiskSeverity = 'blocking' | 'warning';

/** Every risk the review names; its words for the reviewer are the vocabulary's (RISK_TERMS). */
export type RiskCode = (typeof RISK_TERMS)[number]['code'];

export interface Risk {
  code: RiskCode;
  severity: RiskSeverity;
  /** What a court would find, in plain words. */
  risk: string;
  /** The article or case behind it. */
  authority: string;
  /** What would cure it. */
  cure: string;
}

/** The case's facts the review reads, supplied by the service from the event log and the case record. */
export interface RiskFacts {
  /** The day the reply would go out: today for a draft, the event's date when signing or issuing. */
  asOf: IsoDate;
  /** The reply due date in force (null while no clock runs). */
  dueDate: IsoDate | null;
  /** RECORD_SEARCH entries (检索记录), oldest first, with who recorded them. */
  searches: readonly { at: IsoDate; scope: string; terms: string; result: string; by: string }[];
  /** The last REOPEN (a corrected review or judgment), or null. */
  reopenedAt: IsoDate | null;
  thirdParty: {
    /** A third-party consultation (Art. 32) was held. */
    consulted: boolean;
    /** Its answer was an objection. */
    objected: boolean;
    /** The 公开决定告知书 went to the third party. */
    notified: boolean;
    /** withheld.third_party decided without consultation: the reason given. */
    notNeededReason: string | null;
  };
  applicant: { deliveryForm: string; address: string | null; email: string | null };
  /** The 补正告知书 (Art. 30), when one was sent: whether its receipt by the applicant is on record. */
  supplementNotice: { sentAt: IsoDate; receiptRecorded: boolean } | null;
}

/** The checker's findings are certain defects: each becomes a blocking risk with its authority and cure. */
const CHECK_RISKS: Record<CheckRule, Omit<Risk, 'code' | 'severity' | 'risk'>> = {
  receipt_and_request: { authority: '法释〔2011〕17号第五条（被告对其程序举证）', cure: '写明收到申请之日和申请内容' },
  legal_basis: { authority: '条例第三十六条至第三十九条；行政诉讼法第七十条第（二）项（适用法律、法规错误的，判决撤销）', cure: '引用与办理结果相符的条款（条例第三十六条至第三十九条）' },
  mixed_grounds: {
    authority: '条例第三十六条“分别作出答复”；行政诉讼法第七十条第（一）项（主要证据不足）——法院无从判断适用了哪一理由',
    cure: '只保留实际适用的一个理由及其条款，删去另一理由的表述',
  },
  withheld_basis: { authority: '条例第三十七条（对不予公开的内容说明理由）', cure: '在“不予公开部分的依据”中选择第十四条、第十五条或第十六条规定的情形' },
  reasons: { authority: '条例第三十六条第（三）项、第三十七条；法释〔2011〕17号第五条第一款、第十二条（已履行说明理由义务方能驳回）', cure: '在理由栏写明不予公开、无法提供或不予处理的事实和理由' },
  remedy: { authority: '行政复议法第二十条第二款、第二十三条第二款；条例第五十一条', cure: '按办理结果写明复议前置或复议、诉讼选择，并写明复议机关（机关设置）' },
  responsible_agency: { authority: '条例第三十六条第（五）项', cure: '写明负责公开的行政机关名称、联系方式，或无法确定的理由' },
  provisional_date: { authority: '《全国年节及纪念日放假办法》及国务院办公厅当年放假安排；法释〔2011〕17号第五条（期限举证）', cure: '注明该日期系按尚未公布的节假日安排推算，或改以工作日数表述' },
  punctuation: { authority: 'GB/T 15834-2011《标点符号用法》；GB/T 9704-2012', cure: '去掉引号外重复的句末标点' },
  document_number: { authority: 'GB/T 9704-2012 7.2.4（发文字号）', cure: '由出具步骤编入本机关文号' },
};

/** A search record that a court would accept (SPC guiding case 101): where, with what terms, by whom, with what result. */
function searchIsAdequate(search: RiskFacts['searches'][number]): boolean {
  return search.scope.trim().length >= 4 && search.terms.trim().length >= 2 && search.result.trim().length >= 2 && Boolean(search.by.trim());
}

/**
 * The litigation-risk review of a draft reply (or a lapse notice). `phase`: 'draft' while legal staff read it, 'sign'
 * at the head's signature, 'issue' when it goes out (the third party's notice must exist by then).
 */
export function reviewLitigationRisks(data: LetterData, blocks: readonly LetterBlock[], facts: RiskFacts, phase: 'draft' | 'sign' | 'issue'): Risk[] {
  const risks: Risk[] = checkLetter(data, blocks, phase === 'issue' ? 'issue' : 'draft').map((finding) => ({
    code: finding.rule,
    severity: 'blocking',
    risk: finding.message,
    ...CHECK_RISKS[finding.rule],
  }));
  const decision = data.decision;
  if (!decision) return risks;
  const { outcome } = decision;
  const add = (risk: Risk) => risks.push(risk);

  if (outcome === 'unavailable.not_held') {
    const thin = facts.searches.filter((search) => !searchIsAdequate(search));
    if (facts.searches.length === 0 || thin.length === facts.searches.length) {
      add({
        code: 'search_inadequate',
        severity: 'warning',
        risk: '“信息不存在”的检索记录未写明检索的系统或档案、检索词、检索人或检索结果，难以证明已尽合理检索义务',
        authority: '最高人民法院指导案例101号（罗元昌诉重庆市彭水县地方海事处政府信息公开案）；法释〔2011〕17号第五条',
        cure: '补充检索记录：检索的系统、档案和询问的单位，检索词，检索人，检索日期及结果，并附检索截图或台账',
      });
    }
    if (facts.reopenedAt && !facts.searches.some((search) => search.at >= facts.reopenedAt!)) {
      add({
        code: 'search_before_reopening',
        severity: 'warning',
        risk: `案件已于 ${facts.reopenedAt} 被责令重新答复，但本次答复所依据的检索均在此之前`,
        authority: '行政复议法第六十四条、行政诉讼法第七十条（重新作出行政行为）；最高人民法院指导案例101号',
        cure: '重新检索并记录，针对复议决定或判决指出的问题补充检索范围',
      });
    }
  }
  if (facts.dueDate && facts.asOf > facts.dueDate) {
    add({
      code: 'reply_late',
      severity: 'warning',
      risk: `答复期限 ${facts.dueDate} 已届满，本答复将于 ${facts.asOf} 作出，属逾期答复`,
      authority: '条例第三十三条第二款；行政诉讼法第七十四条第一款第（二）项（程序轻微违法的，确认违法）；法释〔2011〕17号第十条',
      cure: '立即出具答复；在案卷中记录逾期的原因；今后在期限届满前依法延期（第三十三条第二款）',
    });
  }
  const disclosing = outcome === 'disclosed' || outcome === 'partial';
  if (disclosing && facts.thirdParty.objected && !facts.thirdParty.notified && phase === 'issue') {
    add({
      code: 'third_party_not_notified',
      severity: 'blocking',
      risk: '第三方不同意公开而决定公开，但未向第三方送达公开决定告知书',
      authority: '条例第三十二条；法释〔2011〕17号第一条第（三）项、第十一条',
      cure: '由负责人签发时向第三方发出公开决定告知书，并待第三方寻求救济的期限届满后再出具答复',
    });
  }
  if ((outcome === 'withheld.third_party' || decision.withheldBasis?.code === 'withheld.third_party') && !facts.thirdParty.consulted) {
    add({
      code: 'third_party_not_consulted',
      severity: 'warning',
      risk: `以保护第三方合法权益为由不予公开，但未书面征求第三方意见（所述理由：${facts.thirdParty.notNeededReason ?? '无'}）`,
      authority: '条例第十五条、第三十二条；法释〔2011〕17号第八条第二款（第三方同意公开的，不受限制）',
      cure: '书面征求第三方意见（15个工作日），或在案卷中留存无需征求的充分理由及证据',
    });
  }
  const reasons = data.fillIns.reasons.trim();
  const needsReasons = !['disclosed', 'correction.corrected', 'other.no_supplement', 'other.fee_unpaid'].includes(outcome);
  if (needsReasons && reasons && [...reasons].length < 15) {
    add({
      code: 'weak_reasons',
      severity: 'warning',
      risk: `理由仅有“${reasons}”，未写明所依据的事实，法院可能认定未充分说明理由`,
      authority: '条例第三十六条第（三）项、第三十七条；法释〔2011〕17号第五条第一款、第十二条',
      cure: '写明认定所依据的事实（信息的内容、制作过程、与所援引条款的对应关系）',
    });
  }
  const responsible = data.facts.responsibleAgency as { name?: string; contact?: string } | null | undefined;
  if (outcome === 'unavailable.not_responsible' && responsible?.name && !responsible.contact?.trim()) {
    add({
      code: 'responsible_agency_contact',
      severity: 'warning',
      risk: `已写明负责公开的机关“${responsible.name}”，但未告知其联系方式`,
      authority: '条例第三十六条第（五）项（告知该行政机关的名称、联系方式）',
      cure: '补充该机关的地址或电话',
    });
  }
  if (data.agency.reviewBody.trim() && data.agency.reviewBody.trim() === data.agency.name.trim()) {
    add({
      code: 'review_body_is_agency',
      severity: 'warning',
      risk: '救济途径中的行政复议机关是本机关自身',
      authority: '行政复议法第二十四条至第二十八条（复议机关的确定）',
      cure: '核对机关设置中的复议机关（本级人民政府、上一级主管部门或本部门，视机关类型而定）',
    });
  }
  const form = facts.applicant.deliveryForm;
  const noAddress = form === 'paper_post' && !facts.applicant.address?.trim();
  const noEmail = form === 'email' && !facts.applicant.email?.trim();
  const supplementUnproved = outcome === 'unavailable.unclear_after_supplement' && facts.supplementNotice && !facts.supplementNotice.receiptRecorded;
  if (noAddress || noEmail || supplementUnproved) {
    add({
      code: 'service_unprovable',
      severity: 'warning',
      risk: noAddress
        ? '申请人要求邮寄，但未登记邮寄地址，答复的送达将无法证明'
        : noEmail
          ? '申请人要求以电子邮件获取，但未登记电子邮箱，送达将无法证明'
          : `补正告知书（${facts.supplementNotice!.sentAt} 发出）未记录申请人收到的日期，补正期限的起算无法证明`,
      authority: '国办公开办函〔2016〕235号（送达方式）；法释〔2011〕17号第五条（程序举证）',
      cure: '补登送达地址或电子邮箱，邮寄时留存邮件号和签收记录，记录申请人收到告知书之日',
    });
  }
  return risks;
}

/** The warnings not acknowledged with a comment in `acknowledged`. */
export function unacknowledgedWarnings(risks: readonly Risk[], acknowledged: readonly { code: string; comment: string }[]): Risk[] {
  return risks.filter((risk) => risk.severity === 'warning' && !acknowledged.some((entry) => entry.code === risk.code && entry.comment.trim()));
}
