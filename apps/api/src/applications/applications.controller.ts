import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientAddress } from '../common/client-address';
import { Roles } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/error-response.dto';
import { ApplicationsService } from './applications.service';
import { DeskApplicationDto } from './dto/application.dto';
import { RegisteredCaseDto } from './dto/application-views.dto';

@ApiTags('applications')
@Controller('api/applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Roles('intake')
  @Post()
  @ApiOperation({ summary: '登记当面、邮寄、传真、电子邮件或平台转入的申请' })
  @ApiCreatedResponse({ description: '案件视图，另含只显示这一次的查询码 queryCode（打印在接收回执上）', type: RegisteredCaseDto })
  @ApiErrors(400, [413, '请求内容过大'])
  register(@CurrentUser() principal: Principal, @Body() body: DeskApplicationDto, @ClientAddress() address: string) {
    return this.applications.registerAtDesk(principal, body, address);
  }
}
