import { LETTER_KIND_TERMS } from '@desk/vocabulary';
import { ViewBoolean, ViewCode, ViewDate, ViewNested, ViewText, ViewUuid } from '../../common/view-properties';
import type { PublicCaseView, PublicLetter } from '../public-tracking.service';

/** A letter issued to the applicant, downloadable with the case number and 查询码. */
export class PublicLetterDto implements PublicLetter {
  @ViewUuid('文书编号（下载：GET /api/public/applications/{caseNumber}/letters/{id}）') id!: string;
  @ViewCode(LETTER_KIND_TERMS, '文书种类') kind!: string;
  @ViewText('文书标题') title!: string;
  @ViewText('文号', { nullable: true }) number!: string | null;
  @ViewDate('出具日期') issuedAt!: string;
}

/** What the applicant may see (api.md): no identity number, phone or address. */
export class PublicCaseViewDto implements PublicCaseView {
  @ViewText('案件编号') caseNumber!: string;
  @ViewText('办理状态（写给申请人看的文字）', { example: '已受理，正在办理' }) state!: string;
  @ViewDate('提交之日') submittedOn!: string;
  @ViewDate('收到申请之日（第三十一条）；在线申请确认收到前为 null', { nullable: true }) receivedAt!: string | null;
  @ViewDate('答复期限；已答复或尚未起算为 null', { nullable: true }) dueDate!: string | null;
  @ViewBoolean('答复期限为暂定（经过尚未正式发布节假日安排的年份）') dueDateProvisional!: boolean;
  @ViewDate('办结之日', { nullable: true }) concludedAt!: string | null;
  @ViewNested(PublicLetterDto, '已出具给申请人的文书', { list: true }) letters!: PublicLetterDto[];
}
