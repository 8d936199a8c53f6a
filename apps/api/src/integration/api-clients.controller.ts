import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { ApiClientsService } from './api-clients.service';
import {
  AccessLogEntryDto,
  AccessLogQueryDto,
  ApiClientViewDto,
  ApiClientWithSecretDto,
  CallbackListQueryDto,
  CallbackViewDto,
  CreateApiClientDto,
  RotateApiClientSecretDto,
  SubscriptionDto,
  SubscriptionResultDto,
} from './dto/api-client.dto';
import { PlatformCallbacks } from './platform-callbacks.service';

/** The platforms' API clients and their callbacks, for the administrators of the agency that registers them. */
@ApiTags('integration-admin')
@Controller('api/admin')
export class ApiClientsController {
  constructor(
    private readonly clients: ApiClientsService,
    private readonly callbacks: PlatformCallbacks,
  ) {}

  @Roles('admin')
  @Get('api-clients')
  @ApiOperation({ summary: '本机关登记的政务服务平台 API 客户端' })
  @ApiOkResponse({ type: [ApiClientViewDto] })
  list(@CurrentUser() principal: Principal): Promise<ApiClientViewDto[]> {
    return this.clients.list(principal);
  }

  @Roles('admin')
  @Post('api-clients')
  @ApiOperation({ summary: '登记 API 客户端：客户端密钥只显示这一次' })
  @ApiCreatedResponse({ type: ApiClientWithSecretDto })
  @ApiErrors([400, '填写有误（逐项说明），或受理机关不在本系统中'], [409, '该来源平台已有在用的 API 客户端'])
  create(@CurrentUser() principal: Principal, @Body() body: CreateApiClientDto): Promise<ApiClientWithSecretDto> {
    return this.clients.create(principal, body);
  }

  @Roles('admin')
  @Post('api-clients/:id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: '轮换客户端密钥：新密钥只显示这一次，旧密钥立即或在保留时间后失效' })
  @ApiOkResponse({ type: ApiClientWithSecretDto })
  @ApiErrors([400, '旧密钥保留分钟数有误'], [404, '本机关没有这个 API 客户端'], [409, '该 API 客户端已停用'])
  rotate(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: RotateApiClientSecretDto): Promise<ApiClientWithSecretDto> {
    return this.clients.rotate(principal, id, body.previousSecretValidMinutes);
  }

  @Roles('admin')
  @Post('api-clients/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '停用客户端：它的密钥从下一次调用起即被拒绝，回调停止' })
  @ApiOkResponse({ type: ApiClientViewDto })
  @ApiErrors([404, '本机关没有这个 API 客户端'], [409, '该 API 客户端已停用'])
  revoke(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ApiClientViewDto> {
    return this.clients.revoke(principal, id);
  }

  @Roles('admin')
  @Put('api-clients/:id/subscription')
  @ApiOperation({ summary: '设置回调订阅（回调地址、回调事项）；首次设置或更换时给出签名密钥，只显示这一次' })
  @ApiOkResponse({ type: SubscriptionResultDto })
  @ApiErrors([400, '回调地址或回调事项有误'], [404, '本机关没有这个 API 客户端'], [409, '该 API 客户端已停用'])
  subscribe(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: SubscriptionDto): Promise<SubscriptionResultDto> {
    return this.clients.subscribe(principal, id, body);
  }

  @Roles('admin')
  @Delete('api-clients/:id/subscription')
  @HttpCode(204)
  @ApiOperation({ summary: '取消回调订阅' })
  @ApiNoContentResponse({ description: '已取消' })
  @ApiErrors([404, '本机关没有这个 API 客户端，或它没有订阅回调'])
  unsubscribe(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.clients.unsubscribe(principal, id);
  }

  @Roles('admin')
  @Get('api-clients/:id/access-log')
  @ApiOperation({ summary: '客户端的调用记录（最近的在前）' })
  @ApiOkResponse({ type: [AccessLogEntryDto] })
  @ApiErrors([400, '条数有误'], [404, '本机关没有这个 API 客户端'])
  accessLog(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: AccessLogQueryDto): Promise<AccessLogEntryDto[]> {
    return this.clients.accessLog(principal, id, query.limit);
  }

  @Roles('admin')
  @Get('callbacks')
  @ApiOperation({ summary: '本机关客户端的状态回调（最近的在前），可按发送状态筛选' })
  @ApiOkResponse({ type: [CallbackViewDto] })
  @ApiErrors([400, '发送状态或客户端有误'])
  callbackList(@CurrentUser() principal: Principal, @Query() query: CallbackListQueryDto): Promise<CallbackViewDto[]> {
    return this.callbacks.list(principal, query);
  }

  @Roles('admin')
  @Post('callbacks/:id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: '重发发送失败的回调：从第一次尝试起重新发送' })
  @ApiOkResponse({ type: CallbackViewDto })
  @ApiErrors([404, '没有这个回调'], [409, '只能重发发送失败、已停止重试的回调；客户端须在用并已订阅'])
  replay(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<CallbackViewDto> {
    return this.callbacks.replay(principal, id);
  }
}
