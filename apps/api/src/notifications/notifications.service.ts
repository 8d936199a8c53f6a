import { Inject, Injectable, Optional } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { notFound } from '../common/domain-error';
import { APP_CONFIG, LOGGER } from '../common/tokens';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { SMS_GATEWAY, withinQuietHours, type SmsGateway } from './sms-gateway';

export interface CaseNotice {
  caseId: string;
  kind: string;
  subject: string;
  body: string;
  /** One notice per recipient and key: a sweep that runs twice sends nothing twice. */
  dedupeKey: string;
  /** Also tell the head(s) of the office (overdue cases). */
  includeHeads?: boolean;
  /** Tell the holders of this role instead of the case's handler (e.g. legal, for a dispute's deadline). */
  toRole?: 'legal' | 'head' | 'intake';
}

/** A notice to a case's applicant (recipient_id NULL): by email to the address given, or by SMS to the case's phone. */
export interface ApplicantNotice {
  caseId: string;
  agencyId: string;
  kind: string;
  channel: 'email' | 'sms';
  /** The address for email; null for SMS, whose number is read (decrypted) from the case when it is sent. */
  email: string | null;
  subject: string;
  body: string;
  dedupeKey: string;
}

export interface NotificationView {
  id: string;
  caseId: string | null;
  kind: string;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  emailedAt: string | null;
}

/**
 * The outbox: notices are written in the transaction of the step that caused them, and sent afterwards — email when SMTP
 * is set (staff and applicants), SMS to applicants when a gateway is set and not in the quiet hours.
 */
@Injectable()
export class NotificationsService {
  private transport: Transporter | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SMS_GATEWAY) private readonly sms: SmsGateway | null = null,
  ) {}

  /** Now, as delivery sees it (quiet hours). */
  now(): Date {
    return new Date();
  }

  /** The case's handler, or the intake desk while nobody handles it; the heads too where asked. Returns rows written. */
  async notifyCase(notice: CaseNotice, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH c AS (SELECT id, agency_id, handler_id FROM cases WHERE id = $1),
            recipients AS (
              SELECT u.id, u.email, c.agency_id FROM c JOIN users u ON u.id = c.handler_id AND u.active WHERE $7::text IS NULL
              UNION
              SELECT u.id, u.email, c.agency_id FROM c JOIN users u ON u.agency_id = c.agency_id AND u.active AND 'intake' = ANY(u.roles)
               WHERE c.handler_id IS NULL AND $7::text IS NULL
              UNION
              SELECT u.id, u.email, c.agency_id FROM c JOIN users u ON u.agency_id = c.agency_id AND u.active AND $7::text = ANY(u.roles)
              UNION
              SELECT u.id, u.email, c.agency_id FROM c JOIN users u ON u.agency_id = c.agency_id AND u.active AND 'head' = ANY(u.roles)
               WHERE $6
            )
       INSERT INTO notifications (agency_id, case_id, recipient_id, kind, subject, body, dedupe_key, email)
       SELECT agency_id, $1, id, $2, $3, $4, $5 || ':' || id, email FROM recipients
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [notice.caseId, notice.kind, notice.subject, notice.body, notice.dedupeKey, notice.includeHeads ?? false, notice.toRole ?? null],
    );
    return rows.length;
  }

  /** Written in the step's transaction (the outbox); sent by `deliverPending`. */
  async notifyApplicant(manager: EntityManager, notice: ApplicantNotice): Promise<void> {
    await manager.query(
      `INSERT INTO notifications (agency_id, case_id, recipient_id, kind, subject, body, dedupe_key, email, channel)
       VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING`,
      [notice.agencyId, notice.caseId, notice.kind, notice.subject, notice.body, notice.dedupeKey, notice.email, notice.channel],
    );
  }

  async listFor(userId: string): Promise<{ unread: number; items: NotificationView[] }> {
    const items: NotificationView[] = await this.dataSource.query(
      `SELECT id::text, case_id AS "caseId", kind, subject, body, created_at AS "createdAt", read_at AS "readAt", sent_at AS "emailedAt"
         FROM notifications WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`,
      [userId],
    );
    const [{ unread }] = await this.dataSource.query(`SELECT count(*)::int AS unread FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`, [userId]);
    return { unread, items };
  }

  async markRead(userId: string, id: string): Promise<void> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2 RETURNING id`,
      [/^\d+$/.test(id) ? id : '0', userId],
    );
    if (!rows.length) throw notFound(`没有编号为 ${id} 的通知`);
  }

  /**
   * Send what is waiting: email when SMTP is configured, SMS when a gateway is (outside SMS_QUIET_HOURS). Rows are
   * claimed with SKIP LOCKED inside a transaction, so two instances never send the same notice twice; a failure is
   * retried at the next poll, five times at most, and kept with its error.
   */
  async deliverPending(limit = 50): Promise<{ sent: number; failed: number }> {
    const email = this.config.SMTP_URL ? await this.deliverEmail(limit) : { sent: 0, failed: 0 };
    const quiet = withinQuietHours(this.config.SMS_QUIET_HOURS, this.now());
    const sms = this.sms && !quiet ? await this.deliverSms(this.sms, limit) : { sent: 0, failed: 0 };
    return { sent: email.sent + sms.sent, failed: email.failed + sms.failed };
  }

  private async deliverEmail(limit: number): Promise<{ sent: number; failed: number }> {
    this.transport ??= nodemailer.createTransport(this.config.SMTP_URL);
    const transport = this.transport;
    return this.deliver(
      `SELECT id, email AS recipient, subject, body FROM notifications
        WHERE sent_at IS NULL AND email IS NOT NULL AND channel = 'email' AND delivery_attempts < 5
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1`,
      limit,
      (row) => transport.sendMail({ from: this.config.SMTP_FROM, to: row.recipient, subject: row.subject, text: row.body }).then(() => undefined),
      'email',
    );
  }

  /** The applicant's phone is read from the case and decrypted only here, as the message goes out. */
  private async deliverSms(gateway: SmsGateway, limit: number): Promise<{ sent: number; failed: number }> {
    return this.deliver(
      `SELECT n.id, c.applicant_phone_ciphertext AS recipient, n.subject, n.body FROM notifications n JOIN cases c ON c.id = n.case_id
        WHERE n.sent_at IS NULL AND n.channel = 'sms' AND n.delivery_attempts < 5 AND c.applicant_phone_ciphertext IS NOT NULL
        ORDER BY n.id FOR UPDATE OF n SKIP LOCKED LIMIT $1`,
      limit,
      (row) => gateway.send({ to: this.cipher.decrypt('applicant_phone', row.recipient), text: row.body, reference: `notification-${row.id}` }),
      'sms',
    );
  }

  private async deliver(
    select: string,
    limit: number,
    send: (row: { id: string; recipient: string; subject: string; body: string }) => Promise<void>,
    channel: string,
  ): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    await this.dataSource.transaction(async (manager) => {
      const rows: { id: string; recipient: string; subject: string; body: string }[] = await manager.query(select, [limit]);
      for (const row of rows) {
        try {
          await send(row);
          await manager.query(`UPDATE notifications SET sent_at = now(), delivery_attempts = delivery_attempts + 1, last_error = NULL WHERE id = $1`, [row.id]);
          sent++;
        } catch (error) {
          failed++;
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn({ notificationId: row.id, channel }, `${channel} delivery failed: ${message}`);
          await manager.query(`UPDATE notifications SET delivery_attempts = delivery_attempts + 1, last_error = $2 WHERE id = $1`, [row.id, message]);
        }
      }
    });
    return { sent, failed };
  }
}
