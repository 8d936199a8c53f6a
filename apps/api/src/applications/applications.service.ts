import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { invalid } from '../common/domain-error';
import { APPLICANT_ACTOR, CasesService } from '../cases/cases.service';
import type { DeskApplicationDto, PublicApplicationDto } from './dto/application.dto';

/** The day the 2019 regulation took effect; this system applies it. */
const REGULATION_IN_FORCE = '2019-05-15';

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly cases: CasesService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
  ) {}

  /** Desk intake: the receipt date is given by the officer per Art. 31 and the channel; the case is registered at once. */
  async registerAtDesk(principal: Principal, body: DeskApplicationDto) {
    const today = this.calendars.today();
    if (body.receivedAt > today) throw invalid(`receivedAt（${body.receivedAt}）不能晚于今天（${today}）`);
    if (body.receivedAt < REGULATION_IN_FORCE) throw invalid(`receivedAt 不能早于《政府信息公开条例》（2019年修订）施行之日 ${REGULATION_IN_FORCE}`);
    const agency = await this.agencies.byId(principal.agencyId);
    const created = await this.cases.create({
      agency,
      creation: { type: 'REGISTER', at: body.receivedAt, channel: body.channel, requestType: body.requestType ?? 'disclosure' },
      channel: body.channel,
      applicant: body.applicant,
      description: body.description,
      deliveryForm: body.deliveryForm,
      actor: { id: principal.userId, name: principal.username },
    });
    return { ...(await this.cases.view(principal, created.id)), queryCode: created.queryCode };
  }

  /** Online: received now, the receipt date is set when the office confirms it (Art. 31(3)). */
  async submitOnline(body: PublicApplicationDto) {
    const agency = await this.agencies.forPublicApplication(body.agency);
    const created = await this.cases.create({
      agency,
      creation: { type: 'SUBMIT_ONLINE', at: this.calendars.today(), requestType: body.requestType ?? 'disclosure' },
      channel: 'online',
      applicant: body.applicant,
      description: body.description,
      deliveryForm: body.deliveryForm,
      actor: APPLICANT_ACTOR,
    });
    return { caseNumber: created.caseNumber, queryCode: created.queryCode };
  }
}
