import { labelOf, NOTIFICATION_KIND_TERMS } from '@desk/vocabulary';
import { Inject, Injectable } from '@nestjs/common';
import { clockAlerts, lapseDateOf, type ClockAlert } from '@desk/calendar';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { CaseRepository } from '../cases/case.repository';
import { RecordEventService } from '../cases/record-event.service';
import { NotificationsService } from '../notifications/notifications.service';

export interface SweepSummary {
  date: string;
  casesChecked: number;
  notificationsWritten: number;
  deemedAbandoned: string[];
}


/**
 * Watches every open case's clock once a day: warns before the due date and when overdue, records lapsed supplement and
 * fee periods as system events (deemed abandoned), and tells when a consultation's 15 working days are over.
 */
@Injectable()
export class ClockWatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly steps: RecordEventService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly notifications: NotificationsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async sweep(): Promise<SweepSummary> {
    await this.calendars.refreshIfChanged();
    const today = this.calendars.today();
    const open: { id: string; case_number: string; agency_id: string; last_event_at: string }[] = await this.dataSource.query(
      `SELECT id, case_number, agency_id, to_char(last_event_at, 'YYYY-MM-DD') AS last_event_at FROM cases
        WHERE concluded_at IS NULL AND received_at IS NOT NULL ORDER BY due_date NULLS LAST`,
    );
    const summary: SweepSummary = { date: today, casesChecked: 0, notificationsWritten: 0, deemedAbandoned: [] };
    for (const row of open) {
      summary.casesChecked++;
      const agency = await this.agencies.byId(row.agency_id);
      const clock = this.calendars.clockOf(await this.cases.events(row.id), agency.settings);
      for (const alert of clockAlerts(clock, today, agency.settings.dueSoonWorkingDays)) {
        if (alert.kind === 'supplement_lapsed' || alert.kind === 'fee_lapsed') {
          // Dated when the period ran out, not when the sweep noticed it (lapseDateOf); never before the case's last event,
          // which the event log's order forbids.
          const lapseDate = lapseDateOf(alert.date);
          const at = lapseDate < row.last_event_at ? row.last_event_at : lapseDate;
          const lapsed = await this.recordLapse(row.id, alert.kind === 'supplement_lapsed' ? 'SUPPLEMENT_LAPSED' : 'FEE_LAPSED', at);
          if (!lapsed) continue;
          summary.deemedAbandoned.push(row.case_number);
        }
        summary.notificationsWritten += await this.notifications.notifyCase({
          caseId: row.id,
          kind: alert.kind,
          subject: `${labelOf(NOTIFICATION_KIND_TERMS, alert.kind)}：${row.case_number}`,
          body: `${row.case_number}：${alert.message}`,
          dedupeKey: `${alert.kind}:${row.id}:${alert.date}`,
          includeHeads: alert.kind === 'overdue',
        });
      }
    }
    summary.notificationsWritten += await this.watchDisputes(today);
    this.logger.info({ ...summary, deemedAbandoned: summary.deemedAbandoned.length }, 'clock sweep');
    return summary;
  }

  /** The agency's own deadlines as respondent (rules.md §7): legal staff are warned before and after. */
  private async watchDisputes(today: string): Promise<number> {
    const open: { id: string; case_id: string; case_number: string; kind: string; due: string; agency_id: string }[] = await this.dataSource.query(
      `SELECT d.id, d.case_id, c.case_number, d.kind, to_char(d.answer_due_date, 'YYYY-MM-DD') AS due, d.agency_id
         FROM disputes d JOIN cases c ON c.id = d.case_id WHERE d.decided_at IS NULL AND d.answer_due_date IS NOT NULL`,
    );
    let written = 0;
    for (const dispute of open) {
      const agency = await this.agencies.byId(dispute.agency_id);
      const left = this.calendars.calendar().workingDaysBetween(today, dispute.due).count;
      if (left > agency.settings.dueSoonWorkingDays) continue;
      const what = dispute.kind === 'review' ? '行政复议书面答复及证据' : '行政诉讼答辩状及证据';
      const overdue = left < 0;
      written += await this.notifications.notifyCase({
        caseId: dispute.case_id,
        kind: overdue ? 'dispute_answer_overdue' : 'dispute_answer_due',
        subject: `${overdue ? '已逾期' : '即将到期'}：${dispute.case_number} 的${what}`,
        body: overdue
          ? `${dispute.case_number}：${what}应于 ${dispute.due} 前提交，已逾期；逾期视为没有证据（行政复议法第七十条、行政诉讼法第三十四条）`
          : `${dispute.case_number}：${what}应于 ${dispute.due} 前提交，还剩 ${left} 个工作日`,
        dedupeKey: `${overdue ? 'dispute_answer_overdue' : 'dispute_answer_due'}:${dispute.id}:${dispute.due}`,
        toRole: 'legal',
      });
    }
    return written;
  }

  /** The lapse goes through the machine like any event; a case that moved on meanwhile is left alone. */
  private async recordLapse(caseId: string, type: 'SUPPLEMENT_LAPSED' | 'FEE_LAPSED', at: string): Promise<boolean> {
    try {
      await this.steps.recordForSystem(caseId, { type, at });
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict') {
        this.logger.info({ caseId, type }, `lapse not recorded: ${error.message}`);
        return false;
      }
      throw error;
    }
  }
}
