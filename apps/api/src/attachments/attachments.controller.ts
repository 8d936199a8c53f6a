import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClientAddress } from '../common/client-address';
import { ApiErrors } from '../common/error-response.dto';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { AttachmentsService, MAX_ATTACHMENT_BYTES, type UploadedFile as UploadedFileShape } from './attachments.service';
import { AttachmentDto, UploadedAttachmentDto } from './dto/attachment-views.dto';

@ApiTags('attachments')
@Controller('api')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Authenticated({ roles: ['intake', 'handler', 'legal'] })
  @Post('cases/:id/attachments')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '文件（最大 10 MB）' } } } })
  @ApiOperation({ summary: '上传案件的证据材料（检索记录、意见、送达回证等）；之后在办理事项中以附件编号引用' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiCreatedResponse({ type: UploadedAttachmentDto })
  @ApiErrors([400, '没有选择文件'], [403, '当前用户不能办理这个案件（本部门只是协办，或角色不符）'], [404, '没有这个案件，或当前用户无权查看'], [413, '文件超过 10 MB'])
  upload(@CurrentUser() principal: Principal, @Param('id') id: string, @UploadedFile() file: UploadedFileShape | undefined) {
    return this.attachments.upload(principal, id, file);
  }

  @Authenticated()
  @Get('cases/:id/attachments')
  @ApiOperation({ summary: '案件的附件' })
  @ApiParam({ name: 'id', description: '案件 id' })
  @ApiOkResponse({ type: [AttachmentDto] })
  @ApiErrors([404, '没有这个案件，或当前用户无权查看'])
  list(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.attachments.list(principal, id);
  }

  @Authenticated()
  @Get('attachments/:id')
  @ApiOperation({ summary: '下载附件（记入个人信息访问日志）' })
  @ApiParam({ name: 'id', description: '附件编号' })
  @ApiOkResponse({ description: '附件的内容，以上传时的文件类型', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([404, '没有这个附件，或当前用户无权查看'])
  async download(@CurrentUser() principal: Principal, @Param('id') id: string, @ClientAddress() address: string, @Res() response: Response): Promise<void> {
    const file = await this.attachments.download(principal, id, address);
    response.setHeader('Content-Type', file.mimeType);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    response.send(file.content);
  }
}
