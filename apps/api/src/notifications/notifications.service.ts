import { Inject, Injectable } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { notFound } from '../common/domain-error';
import { APP_CONFIG, LOGGER } from '../common/tokens';

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

/** The outbox: notices are written in the transaction of the step that caused them, emailed afterwards when SMTP is set. */
@Injectable()
export class NotificationsService {
  private transport: Transporter | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

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
   * Email what is waiting, when SMTP is configured. Rows are claimed with SKIP LOCKED inside a transaction, so two
   * instances never send the same notice twice.
   */
  async deliverPending(limit = 50): Promise<{ sent: number; failed: number }> {
    if (!this.config.SMTP_URL) return { sent: 0, failed: 0 };
    this.transport ??= nodemailer.createTransport(this.config.SMTP_URL);
    const transport = this.transport;
    let sent = 0;
    let failed = 0;
    await this.dataSource.transaction(async (manager) => {
      const rows: { id: string; email: string; subject: string; body: string }[] = await manager.query(
        `SELECT id, email, subject, body FROM notifications
          WHERE sent_at IS NULL AND email IS NOT NULL AND delivery_attempts < 5
          ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1`,
        [limit],
      );
      for (const row of rows) {
        try {
          await transport.sendMail({ from: this.config.SMTP_FROM, to: row.email, subject: row.subject, text: row.body });
          await manager.query(`UPDATE notifications SET sent_at = now(), delivery_attempts = delivery_attempts + 1, last_error = NULL WHERE id = $1`, [row.id]);
          sent++;
        } catch (error) {
          failed++;
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn({ notificationId: row.id }, `email delivery failed: ${message}`);
          await manager.query(`UPDATE notifications SET delivery_attempts = delivery_attempts + 1, last_error = $2 WHERE id = $1`, [row.id, message]);
        }
      }
    });
    return { sent, failed };
  }
}
