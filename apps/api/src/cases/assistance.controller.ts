import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { CasesService } from './cases.service';

@ApiTags('cases')
@Controller('api/assistance-requests')
export class AssistanceController {
  constructor(private readonly cases: CasesService) {}

  @Authenticated()
  @Get()
  @ApiOperation({ summary: '发给本部门、尚待答复的协办请求（答复：ANSWER_ASSISTANCE）' })
  open(@CurrentUser() principal: Principal) {
    return this.cases.openAssistanceRequests(principal);
  }
}
