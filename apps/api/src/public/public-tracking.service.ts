import { Inject, Injectable } from '@nestjs/common';
import { publicStateLabel } from '@desk/case-workflow';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AppConfig } from '../config/app-config';
import { notFound, tooManyRequests } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { APP_CONFIG } from '../common/tokens';
import { queryCodeMatches } from '../cases/query-code';
import { issuedToApplicant, LettersService } from '../letters/letters.service';

export interface PublicLetter {
  id: string;
  kind: string;
  title: string;
  number: string | null;
  issuedAt: string;
}

/** What an applicant sees: no identity number, phone or address (api.md). */
export interface PublicCaseView {
  caseNumber: string;
  state: string;
  submittedOn: string;
  receivedAt: string | null;
  dueDate: string | null;
  dueDateProvisional: boolean;
  concludedAt: string | null;
  letters: PublicLetter[];
}

/**
 * The case and the letters it may show, in one statement: this is the lookup citizens (and guessers) send most, so it
 * costs one round trip, and it is prepared once per connection: planning it cost more than running it (BENCHMARKS.md).
 * `submitted_on` is the calendar date in Asia/Shanghai (rules.md §2), not UTC's.
 */
export const TRACKING_STATEMENT = 'public-tracking';
export const TRACKING_SQL = `
  SELECT c.id, c.case_number, c.state, to_char(c.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS submitted_on,
         c.received_at, c.due_date, c.due_provisional, c.concluded_at, c.query_code_hash,
         (SELECT coalesce(json_agg(json_build_object('id', l.id, 'kind', l.kind, 'title', l.data->>'title', 'number', l.number,
                                                     'issuedAt', to_char(l.issued_at, 'YYYY-MM-DD')) ORDER BY l.seq), '[]')
            FROM letters l WHERE l.case_id = c.id AND ${issuedToApplicant('l')}) AS letters
    FROM cases c WHERE c.case_number = $1`;

/**
 * The server's answers when a prepared statement is gone or no longer fits: 26000 (a pooler or `DISCARD ALL` dropped
 * it), 0A000 "cached plan must not change result type" (a migration changed a column it reads while this process ran).
 */
const STALE_STATEMENT = new Set(['26000', '0A000']);

interface TrackingRow {
  id: string;
  case_number: string;
  state: string;
  submitted_on: string;
  received_at: string | null;
  due_date: string | null;
  due_provisional: boolean;
  concluded_at: string | null;
  query_code_hash: string;
  letters: PublicLetter[];
}

/**
 * Failed look-ups per address within a window: a wrong pair and an unknown case fail alike, and after the limit every
 * look-up from that address answers 429 until the window passes, so query codes cannot be guessed.
 */
@Injectable()
export class PublicTrackingService {
  private readonly failures: FailureCounter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly letters: LettersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.failures = new FailureCounter(config.PUBLIC_TRACKING_WINDOW_SECONDS * 1000);
  }

  async track(caseNumber: string, queryCode: string | undefined, address: string): Promise<PublicCaseView> {
    const row = await this.authorised(caseNumber, queryCode, address);
    return {
      caseNumber: row.case_number,
      state: publicStateLabel(row.state),
      submittedOn: row.submitted_on,
      receivedAt: row.received_at,
      dueDate: row.concluded_at ? null : row.due_date,
      dueDateProvisional: row.due_provisional,
      concludedAt: row.concluded_at,
      letters: row.letters,
    };
  }

  /** An issued letter addressed to the applicant, with the same case number and query code. */
  async letter(caseNumber: string, queryCode: string | undefined, address: string, letterId: string, format: 'html' | 'pdf') {
    const row = await this.authorised(caseNumber, queryCode, address);
    if (!row.letters.some((letter) => letter.id === letterId)) throw notFound('没有这份文书');
    return this.letters.content(letterId, format);
  }

  private async authorised(caseNumber: string, queryCode: string | undefined, address: string): Promise<TrackingRow> {
    this.refuseIfThrottled(address);
    const [row] = await this.lookup(caseNumber);
    if (!row || !queryCode || !queryCodeMatches(queryCode, row.query_code_hash)) {
      this.recordFailure(address);
      throw notFound('案件编号或查询码不正确，请核对接收回执上的编号和查询码');
    }
    return row;
  }

  /** Through the pool TypeORM keeps, as a named statement (TypeORM's `query` cannot prepare); logged as TypeORM logs. */
  private async lookup(caseNumber: string): Promise<TrackingRow[]> {
    const values = [caseNumber];
    this.dataSource.logger.logQuery(TRACKING_SQL, values);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    try {
      const { rows } = await client.query<TrackingRow>({ name: TRACKING_STATEMENT, text: TRACKING_SQL, values });
      client.release();
      return rows;
    } catch (error) {
      // `pg` never prepares a statement twice on a connection, so a statement the server no longer has as prepared
      // would fail there for good: that connection is closed, and this lookup sent unprepared (other connections of
      // the pool may hold the same stale statement; each is found and closed the same way on its next lookup).
      const stale = STALE_STATEMENT.has((error as { code?: string }).code ?? '');
      client.release(stale ? (error as Error) : undefined);
      if (!stale) throw error;
    }
    return (await pool.query<TrackingRow>(TRACKING_SQL, values)).rows;
  }

  private refuseIfThrottled(address: string): void {
    if (this.failures.count(address) >= this.config.PUBLIC_TRACKING_MAX_FAILURES) {
      throw tooManyRequests(`查询失败次数过多，请 ${Math.ceil(this.config.PUBLIC_TRACKING_WINDOW_SECONDS / 60)} 分钟后再试`);
    }
  }

  private recordFailure(address: string): void {
    this.failures.fail(address);
  }
}
