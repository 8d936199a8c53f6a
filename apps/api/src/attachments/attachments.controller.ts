import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClientAddress } from '../common/client-address';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { AttachmentsService, MAX_ATTACHMENT_BYTES, type UploadedFile as UploadedFileShape } from './attachments.service';

@ApiTags('attachments')
@Controller('api')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Authenticated({ roles: ['intake', 'handler', 'legal'] })
  @Post('cases/:id/attachments')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  upload(@CurrentUser() principal: Principal, @Param('id') id: string, @UploadedFile() file: UploadedFileShape | undefined) {
    return this.attachments.upload(principal, id, file);
  }

  @Authenticated()
  @Get('cases/:id/attachments')
  list(@CurrentUser() principal: Principal, @Param('id') id: string) {
    return this.attachments.list(principal, id);
  }

  @Authenticated()
  @Get('attachments/:id')
  async download(@CurrentUser() principal: Principal, @Param('id') id: string, @ClientAddress() address: string, @Res() response: Response): Promise<void> {
    const file = await this.attachments.download(principal, id, address);
    response.setHeader('Content-Type', file.mimeType);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    response.send(file.content);
  }
}
