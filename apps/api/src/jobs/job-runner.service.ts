import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CalendarAdminService, RECOMPUTE_DEADLINES_JOB } from '../calendar/calendar-admin.service';
import { CalendarService } from '../calendar/calendar.service';
import { ClockWatchService } from '../clock-watch/clock-watch.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import { PlatformCallbacks } from '../integration/platform-callbacks.service';
import { NotificationsService } from '../notifications/notifications.service';
import { JobsService, type JobRow } from './jobs.service';

export const CLOCK_SWEEP_JOB = 'clock-sweep';

/**
 * Runs the jobs. In the service a timer polls (JOBS_ENABLED, every JOBS_POLL_SECONDS); tests call `runDue` directly, so
 * the same code runs inline. Several instances may poll one database: each job is claimed by exactly one of them.
 */
@Injectable()
export class JobRunnerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly jobs: JobsService,
    private readonly clockWatch: ClockWatchService,
    private readonly calendarAdmin: CalendarAdminService,
    private readonly calendars: CalendarService,
    private readonly notifications: NotificationsService,
    private readonly callbacks: PlatformCallbacks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.tick(), this.config.JOBS_POLL_SECONDS * 1000);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * One poll: today's clock sweep exists (once per day across all instances), due jobs run, email goes out, the
   * platforms' status callbacks that are due are delivered.
   */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      try {
        await this.calendars.refreshIfChanged();
        await this.scheduleDailySweep();
        await this.jobs.releaseStale();
        await this.runDue();
        await this.notifications.deliverPending();
        await this.callbacks.deliverDue();
      } catch (error) {
        this.logger.error({ err: error }, 'job poll failed');
      }
    })();
    await this.running;
    this.running = null;
  }

  /** The sweep for today's date (Asia/Shanghai); the dedupe key makes it one job however many instances ask. */
  scheduleDailySweep(): Promise<string | null> {
    const today = this.calendars.today();
    return this.jobs.enqueue(CLOCK_SWEEP_JOB, { date: today }, { dedupeKey: `${CLOCK_SWEEP_JOB}:${today}` });
  }

  /** Claim and run due jobs until none is left; answers the ids this worker ran. */
  async runDue(workerId = this.jobs.workerId, limit = 100): Promise<string[]> {
    const ran: string[] = [];
    for (let i = 0; i < limit; i++) {
      const job = await this.jobs.claimNext(workerId);
      if (!job) break;
      ran.push(job.id);
      try {
        await this.jobs.complete(job.id, await this.handle(job));
      } catch (error) {
        this.logger.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed');
        await this.jobs.fail(job, error);
      }
    }
    return ran;
  }

  private handle(job: JobRow): Promise<unknown> {
    switch (job.kind) {
      case CLOCK_SWEEP_JOB:
        return this.clockWatch.sweep();
      case RECOMPUTE_DEADLINES_JOB:
        // A calendar change names its change; a settings change its change and agency (AgenciesService.updateSettings).
        return this.calendarAdmin.recomputeOpenDeadlines(
          job.payload.settingsChangeId !== undefined
            ? { settingsChangeId: String(job.payload.settingsChangeId), agencyId: String(job.payload.agencyId) }
            : { calendarChangeId: String(job.payload.changeId) },
        );
      default:
        throw new Error(`unknown job kind ${job.kind}`);
    }
  }
}
