import { RedactionDocumentDto } from '../../redaction/redaction.dto';
import { CASE_EVENT_TYPES, EVENT_DECLARATIONS } from '@desk/case-workflow';
import {
  APPLICANT_CATEGORY_TERMS,
  CHANNEL_TERMS,
  CORRECTION_OUTCOME_TERMS,
  DELIVERY_FORM_TERMS,
  ID_TYPE_TERMS,
  OUTCOME_TERMS,
  REQUEST_TYPE_TERMS,
  STATE_TERMS,
  type Vocabulary,
} from '@desk/vocabulary';
import { ApiProperty } from '@nestjs/swagger';
import { OpenView, ViewBoolean, ViewCode, ViewCodeList, ViewDate, ViewDateTime, ViewInt, ViewNested, ViewNumber, ViewText, ViewTextList, ViewUuid } from '../../common/view-properties';
import type { CaseEventView, CaseSummary, CaseView } from '../case-view';

type CaseApplicant = CaseView['applicant'];
type CaseClock = CaseView['clock'];
type ApplicantHistory = CaseView['applicantHistory'];

// The answers of the case routes (api.md: the case view, the work queues). The classes implement the view interfaces
// the services return, so the compiler names a field the service adds and the documentation lacks.

/** Every outcome a case may carry: an application's (rules.md §4) or a correction request's (Art. 41). */
const ANY_OUTCOME_TERMS: Vocabulary = [...OUTCOME_TERMS, ...CORRECTION_OUTCOME_TERMS];

/** Every event type the log may hold, with its label (the event declarations). */
const EVENT_TYPE_TERMS: Vocabulary = CASE_EVENT_TYPES.map((type) => ({ code: type, label: EVENT_DECLARATIONS[type].label }));

export class CaseApplicantDto implements CaseApplicant {
  @ViewCode(APPLICANT_CATEGORY_TERMS, '申请人类别') category!: CaseApplicant['category'];
  @ViewText('姓名或名称') name!: string;
  @ViewCode(ID_TYPE_TERMS, '证件类型') idType!: CaseApplicant['idType'];
  @ViewText('证件号码（已脱敏，如 110105********002X；完整号码见“查看申请人完整证件号码和电话”）', { example: '110105********002X' }) idNumber!: string;
  @ViewText('联系电话（已脱敏）', { nullable: true, example: '138****5678' }) phone!: string | null;
  @ViewText('电子邮箱', { nullable: true }) email!: string | null;
  @ViewText('通信地址', { nullable: true }) address!: string | null;
}

export class DepartmentRefDto {
  @ViewUuid('部门编号') id!: string;
  @ViewText('部门名称', { example: '住房保障科' }) name!: string;
}

export class HandlerRefDto {
  @ViewText('承办人用户名') username!: string;
  @ViewText('承办人姓名') displayName!: string;
}

export class ClockStepDto {
  @ViewDate('日期') date!: string;
  @ViewText('这一步怎样计算期限') description!: string;
  @ViewInt('这一步计入或增加的工作日数', { nullable: true }) workingDays!: number | null;
  @ViewText('依据的条款') article!: string;
  @ViewText('这一步在申请人看来的说法（不引条款）') plain!: string;
}

export class CaseClockDto implements CaseClock {
  @ViewDate('答复期限；尚未起算（未确认收到、待补正）时为 null', { nullable: true }) dueDate!: string | null;
  @ViewInt('距答复期限的工作日数：当日为 0，逾期为负数；已办结为 null', { nullable: true }) remainingWorkingDays!: number | null;
  @ViewInt('暂停计算的工作日数（征求意见、待缴费）') pausedWorkingDays!: number;
  @ViewDate('答复书送达之日（签收之日，邮寄的为交邮之日；国办公开办函〔2016〕235号第四条）；尚未送达为 null', { nullable: true }) replyServedAt!: string | null;
  @ViewInt('延长的工作日数（第三十三条第二款）') extendedWorkingDays!: number;
  @ViewBoolean('期限计算经过尚未正式发布节假日安排的年份（暂定）') provisional!: boolean;
  @ViewBoolean('答复期限现正暂停计算（征求意见期间、待缴费）') paused!: boolean;
  @ViewBoolean('已逾期未答复') overdue!: boolean;
  @ViewDate('补正告知的最晚日期（收到申请后 7 个工作日内，第三十条）；发出后为 null', { nullable: true }) supplementNoticeDueDate!: string | null;
  @ViewDate('补正期限届满日（第三十条）', { nullable: true }) supplementDueDate!: string | null;
  @ViewDate('征求意见 15 个工作日届满日（第三十二条、第三十四条）', { nullable: true }) consultationLimitDate!: string | null;
  @ViewDate('缴费期限届满日（国办函〔2020〕109号）', { nullable: true }) feeDueDate!: string | null;
  @ViewDate('确定的延迟答复日期（第三十五条）', { nullable: true }) laterReplyDate!: string | null;
  @ViewDate('第三方寻求救济期限的最后一日（第三十二条）', { nullable: true }) thirdPartyReliefEnds!: string | null;
  @ViewDate('剩余工作日的计算基准日：今天，或办结之日') asOf!: string;
  @ViewTextList('值得留意的程序问题，如补正告知晚于 7 个工作日') warnings!: string[];
  @ViewNested(ClockStepDto, '期限是怎样算出来的，逐步说明', { list: true }) explanation!: ClockStepDto[];
}

export class RecentRequestDto {
  @ViewUuid('案件 id') id!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewDate('收到申请之日', { nullable: true }) receivedAt!: string | null;
  @ViewCode(STATE_TERMS, '状态') state!: string;
  @ViewCode(ANY_OUTCOME_TERMS, '办理结果', { nullable: true }) outcome!: string | null;
}

export class LikelyDuplicateDto {
  @ViewUuid('案件 id') id!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewDate('收到申请之日', { nullable: true }) receivedAt!: string | null;
  @ViewNumber('申请内容的相似度（0 至 1）') similarity!: number;
}

export class ApplicantHistoryDto implements ApplicantHistory {
  @ViewInt('同一申请人本月的其他申请数（第三十五条；信息处理费按月计件）') sameMonth!: number;
  @ViewInt('同一申请人近 12 个月的其他申请数') last12Months!: number;
  @ViewInt('同一申请人向本机关提出的其他申请总数') total!: number;
  @ViewInt('其中由当前用户看不到的部门办理、只计数不列出的申请数') notShown!: number;
  @ViewNested(RecentRequestDto, '最近的其他申请（当前用户可以看到的，最多 20 件）', { list: true }) recent!: RecentRequestDto[];
  @ViewNested(LikelyDuplicateDto, '可能重复的申请（第三十六条第（六）项），按相似度', { list: true }) likelyDuplicates!: LikelyDuplicateDto[];
}

/** One entry of the event log: the common fields, and the payload the event was sent with (its declaration's fields). */
@OpenView('办理记录中的一项：序号、事项、日期、办理人，以及该事项所填写的内容（字段见该事项的请求体 Event_<事项>）和系统补记的内容')
export class CaseEventViewDto implements CaseEventView {
  [payloadField: string]: unknown;
  @ViewInt('在本案事项中的序号，从 1 起') sequence!: number;
  @ViewCode(EVENT_TYPE_TERMS, '办理事项') type!: string;
  @ViewDate('事情发生的日期') at!: string;
  @ViewText('办理人的用户名（申请人在线提交、系统自动办理的，为其名称）') by!: string;
  @ViewDateTime('记录时间') recordedAt!: string;
}

export class CaseViewDto implements CaseView {
  @ViewUuid('案件 id') id!: string;
  @ViewText('案件编号', { example: '沪某房依申〔2025〕第00001号' }) caseNumber!: string;
  @ViewUuid('受理机关 id') agencyId!: string;
  @ViewCode(STATE_TERMS, '状态') state!: string;
  @ViewText('状态的中文名称') stateLabel!: string;
  @ViewInt('版本号：发送办理事项时带上，可防止覆盖他人同时所做的修改') version!: number;
  @ViewCodeList(EVENT_TYPE_TERMS, '当前用户现在可以办理的事项') availableEvents!: string[];
  @ViewCode(CHANNEL_TERMS, '申请方式') channel!: CaseView['channel'];
  @ViewDateTime('提交时间') submittedAt!: string;
  @ViewDate('收到申请之日（第三十一条）；在线申请确认收到前为 null', { nullable: true }) receivedAt!: string | null;
  @ViewNested(CaseApplicantDto, '申请人（证件号码和电话已脱敏）') applicant!: CaseApplicantDto;
  @ViewText('所需信息的描述') description!: string;
  @ViewCode(DELIVERY_FORM_TERMS, '获取信息的方式') deliveryForm!: CaseView['deliveryForm'];
  @ViewNested(DepartmentRefDto, '承办部门；尚未分办为 null', { nullable: true }) department!: DepartmentRefDto | null;
  @ViewNested(HandlerRefDto, '承办人；尚未分办为 null', { nullable: true }) handler!: HandlerRefDto | null;
  @ViewNested(CaseClockDto, '答复期限及其计算') clock!: CaseClockDto;
  @ViewCode(REQUEST_TYPE_TERMS, '申请类型') requestType!: CaseView['requestType'];
  @ViewNested(ApplicantHistoryDto, '同一申请人的其他申请（第三十五条、第三十六条第（六）项）') applicantHistory!: ApplicantHistoryDto;
  @ViewCode(ANY_OUTCOME_TERMS, '办理结果；拟办答复前为 null', { nullable: true }) outcome!: CaseView['outcome'];
  @ViewDate('办结之日', { nullable: true }) concludedAt!: string | null;
  @ViewNested(CaseEventViewDto, '办理记录，按发生顺序', { list: true }) events!: CaseEventViewDto[];
  @ViewNested(RedactionDocumentDto, '区分处理（第三十七条）：部分公开的文件、遮盖的区域及遮盖记录', { list: true }) redactions!: RedactionDocumentDto[];
}

export class CaseSummaryDto implements CaseSummary {
  @ViewUuid('案件 id') id!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewCode(STATE_TERMS, '状态') state!: string;
  @ViewText('状态的中文名称') stateLabel!: string;
  @ViewText('申请人姓名或名称') applicantName!: string;
  @ViewCode(APPLICANT_CATEGORY_TERMS, '申请人类别') applicantCategory!: CaseSummary['applicantCategory'];
  @ViewText('申请人证件号码（已脱敏）') applicantIdNumber!: string;
  @ViewDate('收到申请之日', { nullable: true }) receivedAt!: string | null;
  @ViewDate('答复期限', { nullable: true }) dueDate!: string | null;
  @ViewBoolean('答复期限为暂定（经过尚未正式发布节假日安排的年份）') dueProvisional!: boolean;
  @ViewInt('距答复期限的工作日数；已办结为 null', { nullable: true }) remainingWorkingDays!: number | null;
  @ViewBoolean('已逾期未答复') overdue!: boolean;
  @ViewCode(ANY_OUTCOME_TERMS, '办理结果', { nullable: true }) outcome!: CaseSummary['outcome'];
  @ViewText('承办部门', { nullable: true }) departmentName!: string | null;
  @ViewText('承办人用户名', { nullable: true }) handlerUsername!: string | null;
  @ViewText('承办人姓名', { nullable: true }) handlerName!: string | null;
}

export class CaseListDto {
  @ViewNested(CaseSummaryDto, '本页的案件，最紧急的在前', { list: true }) items!: CaseSummaryDto[];
  @ViewInt('符合条件的案件总数；totalExact 为 false 时案件多于此数（只数到 1000 件，或数到所请求的页为止）') total!: number;
  @ViewBoolean('total 是否为确切的总数') totalExact!: boolean;
  @ViewInt('页码') page!: number;
  @ViewInt('每页条数') pageSize!: number;
  @ViewText('下一页的翻页位置（作为 cursor 参数）；没有下一页时为 null', { nullable: true }) nextCursor!: string | null;
  @ViewText('上一页的翻页位置（作为 cursor 参数）；第一页为 null', { nullable: true }) previousCursor!: string | null;
}

export class ApplicantPersonalDataDto {
  @ViewCode(ID_TYPE_TERMS, '证件类型') idType!: string;
  @ViewText('完整证件号码') idNumber!: string;
  @ViewText('完整联系电话', { nullable: true }) phone!: string | null;
}

/** A 协办 request to the user's department that awaits its answer (ANSWER_ASSISTANCE). */
export class AssistanceRequestDto {
  @ViewUuid('案件 id') caseId!: string;
  @ViewText('案件编号') caseNumber!: string;
  @ViewUuid('协办请求编号（答复时填写）') requestId!: string;
  @ViewText('请求协助的事项') question!: string;
  @ViewDate('请在此日前答复') dueDate!: string;
  @ViewDate('请求日期') requestedAt!: string;
  @ViewText('请求人') requestedBy!: string;
}

/** 依申请公开转主动公开 candidates (rules.md §6): two or more applicants asked for the same information. */
export class ProactiveCandidateDto {
  @ApiProperty({ type: [String], format: 'uuid', description: '申请相同信息的案件 id' }) caseIds!: string[];
  @ViewTextList('这些案件的编号') caseNumbers!: string[];
  @ViewInt('不同申请人的人数') applicants!: number;
  @ViewText('所申请信息的描述（最近一件的）') description!: string;
  @ViewBoolean('其中已有案件决定转主动公开') published!: boolean;
}

/** An entry of the 依申请公开转主动公开 list (Art. 44); no applicant data. */
export class ProactiveEntryDto {
  @ViewUuid('条目编号') id!: string;
  @ViewText('索引号') indexNumber!: string;
  @ViewText('标题') title!: string;
  @ViewText('内容概述') summary!: string;
  @ViewText('正文', { nullable: true }) content!: string | null;
  @ViewText('链接', { nullable: true }) link!: string | null;
  @ViewDate('公开日期') publishedAt!: string;
  @ViewText('公开机关') agency!: string;
}
