import { Inject, Injectable } from '@nestjs/common';
import { clockAlerts, type ClockAlert } from '@desk/calendar';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { CasesService } from '../cases/cases.service';
import { NotificationsService } from '../notifications/notifications.service';

export interface SweepSummary {
  date: string;
  casesChecked: number;
  notificationsWritten: number;
  deemedAbandoned: string[];
}

const SUBJECTS: Record<ClockAlert['kind'], string> = {
  due_soon: '答复期限临近',
  overdue: '已逾期未答复',
  supplement_lapsed: '补正期限届满，视为放弃申请',
  fee_lapsed: '缴费期限届满，视为放弃申请',
  consultation_limit_reached: '征求意见期限届满',
};

/**
 * Watches every open case's clock once a day: warns before the due date and when overdue, records lapsed supplement and
 * fee periods as system events (deemed abandoned), and tells when a consultation's 15 working days are over.
 */
@Injectable()
export class ClockWatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly notifications: NotificationsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async sweep(): Promise<SweepSummary> {
    await this.calendars.refreshIfChanged();
    const today = this.calendars.today();
    const open: { id: string; case_number: string; agency_id: string }[] = await this.dataSource.query(
      `SELECT id, case_number, agency_id FROM cases WHERE concluded_at IS NULL AND received_at IS NOT NULL ORDER BY due_date NULLS LAST`,
    );
    const summary: SweepSummary = { date: today, casesChecked: 0, notificationsWritten: 0, deemedAbandoned: [] };
    for (const row of open) {
      summary.casesChecked++;
      const agency = await this.agencies.byId(row.agency_id);
      const clock = this.cases.clockOf(await this.cases.clockEvents(this.dataSource.manager, row.id), agency.settings);
      for (const alert of clockAlerts(clock, today, agency.settings.dueSoonWorkingDays)) {
        if (alert.kind === 'supplement_lapsed' || alert.kind === 'fee_lapsed') {
          const lapsed = await this.recordLapse(row.id, alert.kind === 'supplement_lapsed' ? 'SUPPLEMENT_LAPSED' : 'FEE_LAPSED');
          if (!lapsed) continue;
          summary.deemedAbandoned.push(row.case_number);
        }
        summary.notificationsWritten += await this.notifications.notifyCase({
          caseId: row.id,
          kind: alert.kind,
          subject: `${SUBJECTS[alert.kind]}：${row.case_number}`,
          body: `${row.case_number}：${alert.message}`,
          dedupeKey: `${alert.kind}:${row.id}:${alert.date}`,
          includeHeads: alert.kind === 'overdue',
        });
      }
    }
    this.logger.info({ ...summary, deemedAbandoned: summary.deemedAbandoned.length }, 'clock sweep');
    return summary;
  }

  /** The lapse goes through the machine like any event; a case that moved on meanwhile is left alone. */
  private async recordLapse(caseId: string, type: 'SUPPLEMENT_LAPSED' | 'FEE_LAPSED'): Promise<boolean> {
    try {
      await this.cases.sendSystemEvent(caseId, { type });
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
