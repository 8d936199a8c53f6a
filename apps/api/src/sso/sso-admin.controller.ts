import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { ConsoleOrigin } from './console-origin';
import { SsoLinkDto, SsoSettingsDto, UpdateSsoSettingsDto } from './dto/sso.dto';
import { SsoSettingsService } from './sso-settings.service';

/** The agency's single sign-on (统一身份认证), for its administrators. */
@ApiTags('sso-admin')
@Controller('api/admin/sso')
export class SsoAdminController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Roles('admin')
  @Get()
  @ApiOperation({ summary: '本机关的统一身份认证设置（不含客户端密钥），及须在身份认证平台登记的地址' })
  @ApiOkResponse({ type: SsoSettingsDto })
  view(@CurrentUser() principal: Principal, @ConsoleOrigin() origin: string): Promise<SsoSettingsDto> {
    return this.settings.view(principal, origin);
  }

  @Roles('admin')
  @Put()
  @ApiOperation({ summary: '设置本机关的统一身份认证：启用时先连接身份认证平台核对；关闭密码登录时，本机关以密码登录的会话随即结束（应急管理员除外）' })
  @ApiOkResponse({ type: SsoSettingsDto })
  @ApiErrors([400, '填写有误，或无法连接所填的身份认证平台'])
  update(@CurrentUser() principal: Principal, @Body() body: UpdateSsoSettingsDto, @ConsoleOrigin() origin: string): Promise<SsoSettingsDto> {
    return this.settings.update(principal, body, origin);
  }

  @Roles('admin')
  @Get('links')
  @ApiOperation({ summary: '与统一身份认证身份关联的本机关用户' })
  @ApiOkResponse({ type: [SsoLinkDto] })
  links(@CurrentUser() principal: Principal): Promise<SsoLinkDto[]> {
    return this.settings.links(principal);
  }

  @Roles('admin')
  @Delete('links/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: '解除用户与统一身份认证身份的关联：他下次登录时按用户名重新关联' })
  @ApiNoContentResponse({ description: '已解除' })
  @ApiErrors([404, '该用户没有关联的身份'])
  unlink(@CurrentUser() principal: Principal, @Param('userId') userId: string): Promise<void> {
    return this.settings.unlink(principal, userId);
  }
}
