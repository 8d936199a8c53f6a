import { ValidateText } from '../../common/validation';

// The portal's forms (server-rendered, posted without JavaScript). Each field is declared with the label the page shows
// it by, so a refused form names it in the same words beside the field and in the error summary.

/** 查询办理进度: the case number as typed and the 查询码, in the POST body (never the URL); or the page's signed token. */
export class TrackFormDto {
  @ValidateText({ label: '案件编号', optional: true, max: 100 }) caseNumber?: string;
  @ValidateText({ label: '查询码', optional: true, max: 40 }) queryCode?: string;
  @ValidateText({ label: '页面凭证', optional: true, max: 400 }) token?: string;
}

/** 网上补正 (Art. 30): the text; the files come as the multipart field `files`. */
export class SupplementFormDto {
  @ValidateText({ label: '页面凭证', max: 400 }) token!: string;
  @ValidateText({ label: '补正内容', optional: true, max: 5000 }) content?: string;
}

/** 撤回申请, and its confirmation. */
export class WithdrawFormDto {
  @ValidateText({ label: '页面凭证', max: 400 }) token!: string;
  @ValidateText({ label: '撤回理由', optional: true, max: 2000 }) reason?: string;
  @ValidateText({ label: '确认撤回', optional: true, max: 10 }) confirmed?: string;
}

/** A document's signed link. */
export class DocumentQueryDto {
  @ValidateText({ label: '下载链接', max: 400 }) token!: string;
}

/** GET /track: a case number to fill in (from a notice's link). A 查询码 put in the URL is never read. */
export class TrackQueryDto {
  @ValidateText({ label: '案件编号', optional: true, max: 100 }) caseNumber?: string;
  @ValidateText({ label: '查询码', optional: true, max: 200 }) queryCode?: string;
}
