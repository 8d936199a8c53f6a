import { CaseViewDto } from '../../cases/dto/case-views.dto';
import { ViewText } from '../../common/view-properties';
import type { OnlineSubmission } from '../applications.service';

const QUERY_CODE = '查询码：凭案件编号和查询码查询办理进度、下载文书；只在这一次答复中给出（打印在接收回执上），系统只保存其摘要';

/** POST /api/applications: the case view, and the 查询码 for the receipt (api.md). */
export class RegisteredCaseDto extends CaseViewDto {
  @ViewText(QUERY_CODE) queryCode!: string;
}

/** POST /api/public/applications (api.md). */
export class OnlineSubmissionDto implements OnlineSubmission {
  @ViewText('案件编号', { example: '沪某房依申〔2025〕第00001号' }) caseNumber!: string;
  @ViewText(QUERY_CODE) queryCode!: string;
}
