import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { CurrentUser, type Principal } from '../auth/principal';
import { CaseViewService } from './case-view.service';
import { AssistanceRequestDto, ProactiveCandidateDto } from './dto/case-views.dto';
import { ProactiveService } from './proactive.service';

@ApiTags('cases')
@Controller('api/assistance-requests')
export class AssistanceController {
  constructor(private readonly cases: CaseViewService) {}

  @Authenticated()
  @Get()
  @ApiOperation({ summary: '发给本部门、尚待答复的协办请求（答复：ANSWER_ASSISTANCE）' })
  @ApiOkResponse({ type: [AssistanceRequestDto] })
  open(@CurrentUser() principal: Principal) {
    return this.cases.openAssistanceRequests(principal);
  }
}

@ApiTags('cases')
@Controller('api/proactive')
export class ProactiveController {
  constructor(private readonly proactive: ProactiveService) {}

  @Authenticated()
  @Get('candidates')
  @ApiOperation({ summary: '转主动公开候选：两个以上申请人申请相同信息' })
  @ApiOkResponse({ type: [ProactiveCandidateDto] })
  candidates(@CurrentUser() principal: Principal) {
    return this.proactive.candidates(principal);
  }
}
