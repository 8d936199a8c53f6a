import { ViewDateTime, ViewInt, ViewText, ViewUuid } from '../../common/view-properties';

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
  @ViewText('上传人用户名', { nullable: true }) uploadedBy!: string | null;
}
