import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, invalid } from '../common/domain-error';
import { APPLICANT_ACTOR } from '../cases/case-actor';
import { CaseViewService } from '../cases/case-view.service';
import { IntakeService } from '../cases/intake.service';
import type { DeskApplicationDto, PublicApplicationDto } from './dto/application.dto';

/** The day the 2019 regulation took effect; this system applies it. */
const REGULATION_IN_FORCE = '2019-05-15';

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly intake: IntakeService,
    private readonly views: CaseViewService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Idempotency-Key: a retry (a double click, a lost response) gets the same case, never a second one. The 查询码 is never
   * stored in clear, so the retry's answer carries a fresh code and the earlier one stops working; the same key with
   * another body is refused (409).
   */
  async submitOnlineOnce(body: PublicApplicationDto, key: string | undefined) {
    if (key === undefined) return this.submitOnline(body);
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(key)) throw invalid('Idempotency-Key 应为 8 至 100 位字母、数字、_ 或 -');
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, requestHash],
    );
    if (!claimed.length) {
      const [previous]: { request_hash: string; response: { caseNumber: string } | null }[] = await this.dataSource.query(
        `SELECT request_hash, response FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      if (previous.request_hash !== requestHash) throw conflict('该 Idempotency-Key 已用于另一份申请');
      if (!previous.response) throw conflict('同一申请正在提交中，请稍后用同一 Idempotency-Key 重试');
      return { caseNumber: previous.response.caseNumber, queryCode: await this.intake.renewQueryCode(previous.response.caseNumber) };
    }
    try {
      const created = await this.submitOnline(body);
      await this.dataSource.query(`UPDATE idempotency_keys SET response = $2 WHERE key = $1`, [key, JSON.stringify({ caseNumber: created.caseNumber })]);
      return created;
    } catch (error) {
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [key]);
      throw error;
    }
  }

  /** Desk intake: the receipt date is given by the officer per Art. 31 and the channel; the case is registered at once. */
  async registerAtDesk(principal: Principal, body: DeskApplicationDto, address: string) {
    const today = this.calendars.today();
    if (body.receivedAt > today) throw invalid(`receivedAt（${body.receivedAt}）不能晚于今天（${today}）`);
    if (body.receivedAt < REGULATION_IN_FORCE) throw invalid(`receivedAt 不能早于《政府信息公开条例》（2019年修订）施行之日 ${REGULATION_IN_FORCE}`);
    const agency = await this.agencies.byId(principal.agencyId);
    const created = await this.intake.create({
      agency,
      creation: { type: 'REGISTER', at: body.receivedAt, channel: body.channel, requestType: body.requestType ?? 'disclosure' },
      channel: body.channel,
      applicant: body.applicant,
      description: body.description,
      deliveryForm: body.deliveryForm,
      actor: { id: principal.userId, name: principal.username },
    });
    return { ...(await this.views.view(principal, created.id, address)), queryCode: created.queryCode };
  }

  /** Online: received now, the receipt date is set when the office confirms it (Art. 31(3)). */
  async submitOnline(body: PublicApplicationDto) {
    const agency = await this.agencies.forPublicApplication(body.agency);
    const created = await this.intake.create({
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
