import { ATTACHMENT_KIND_TERMS } from '@desk/vocabulary';
import { ViewBoolean, ViewCode, ViewDateTime, ViewInt, ViewText, ViewUuid } from '../../common/view-properties';

/** POST /api/cases/{id}/attachments: the file as stored, with its SHA-256. */
export class UploadedAttachmentDto {
  @ViewUuid('附件编号（下载：GET /api/attachments/{id}；办理事项中引用）') id!: string;
  @ViewText('文件名') filename!: string;
  @ViewText('文件类型（MIME）', { example: 'application/pdf' }) mimeType!: string;
  @ViewInt('大小（字节）') sizeBytes!: number;
  @ViewText('SHA-256（十六进制）') sha256!: string;
  @ViewDateTime('上传时间') uploadedAt!: string;
}

/** GET /api/cases/{id}/attachments: each file with who uploaded it. */
export class AttachmentDto extends UploadedAttachmentDto {
  @ViewText('上传人用户名；申请人网上提交的为“申请人（网上提交）”', { nullable: true }) uploadedBy!: string | null;
  @ViewCode(ATTACHMENT_KIND_TERMS, '申请人提交的材料是什么（身份证明、授权委托书、补正材料等）；本机关上传的为空', { nullable: true }) kind!: string | null;
  @ViewText('材料类别的中文名称（本机关上传的为“本机关材料”）') kindLabel!: string;
  @ViewBoolean('是否申请人网上提交') fromApplicant!: boolean;
  @ViewText('经平台接口导入时：平台接入方的名称', { nullable: true }) importedFrom!: string | null;
}
