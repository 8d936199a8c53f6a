import { Inject, Injectable } from '@nestjs/common';
import { publicStateLabel } from '@desk/case-workflow';
import { caseNumberCandidates, DEFAULT_CASE_NUMBER_PATTERN, type CaseNumbering } from '@desk/letters';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { invalid, notFound, tooManyRequests } from '../common/domain-error';
import { isReadableText } from '../common/input-guard';
import { FailureCounter } from '../common/failure-counter';
import { ReadDatabase } from '../database/read-database';
import { APP_CONFIG } from '../common/tokens';
import { preparedQuery } from '../database/prepared';
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
  SELECT c.id, c.case_number, c.state, c.channel, to_char(c.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS submitted_on,
         c.received_at, c.due_date, c.due_provisional, c.concluded_at, c.query_code_hash,
         (SELECT coalesce(json_agg(json_build_object('id', l.id, 'kind', l.kind, 'title', l.data->>'title', 'number', l.number,
                                                     'issuedAt', to_char(l.issued_at, 'YYYY-MM-DD')) ORDER BY l.seq), '[]')
            FROM letters l WHERE l.case_id = c.id AND ${issuedToApplicant('l')}) AS letters
    FROM cases c WHERE c.case_number = $1`;

/** How long the agencies' case-number patterns are kept between reads (they change when an administrator edits them). */
const NUMBERINGS_TTL_MS = 60_000;

export interface TrackingRow {
  id: string;
  case_number: string;
  state: string;
  channel: string;
  submitted_on: string;
  received_at: string | null;
  due_date: string | null;
  due_provisional: boolean;
  concluded_at: string | null;
  query_code_hash: string;
  letters: PublicLetter[];
}

/**
 * Guessing a 查询码 (31^10 ≈ 8×10^14 codes) must stay infeasible, without anyone's failures locking out an applicant
 * who holds the right pair:
 * - per address: PUBLIC_TRACKING_MAX_FAILURES failed look-ups in the window, then every look-up from that address
 *   answers 429 until the window passes (a wrong pair and an unknown case fail alike);
 * - per case: once one case number has had PUBLIC_TRACKING_CASE_MAX_FAILURES failures in the window, from whatever
 *   addresses, that case is under guard: a wrong code for it answers 429 and costs its address the whole window's
 *   allowance at once, so a crowd of addresses gets one guess each per window at that case, not ten. The right pair is
 *   still compared and answered (200): the comparison is what tells right from wrong, and refusing it would hand
 *   anyone who knows a case number a way to lock its applicant out. Unknown case numbers are guarded alike, so a 429
 *   says nothing about whether a case exists.
 */
@Injectable()
export class PublicTrackingService {
  private readonly failures: FailureCounter;
  private readonly caseFailures: FailureCounter;
  private numberings: { readAt: number; value: Promise<CaseNumbering[]> } | null = null;

  constructor(
    private readonly reads: ReadDatabase,
    private readonly letters: LettersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.failures = new FailureCounter(config.PUBLIC_TRACKING_WINDOW_SECONDS * 1000);
    this.caseFailures = new FailureCounter(config.PUBLIC_TRACKING_WINDOW_SECONDS * 1000);
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

  /**
   * The case of a right pair, or the failure counted and thrown. The case number is read as the applicant typed it
   * ([2026], （2026）, 第8号, 00008, 2026-8 …: libs/letters caseNumberCandidates) before the lookup and before a failure is
   * counted, so each way of typing one number counts against that one number, and the right pair typed any way is found.
   */
  async authorised(caseNumber: string, queryCode: string | undefined, address: string): Promise<TrackingRow> {
    // PostgreSQL cannot hold a NUL in text, and no case number or code contains one or a broken UTF-16 pair.
    if (!isReadableText(caseNumber) || (queryCode !== undefined && !isReadableText(queryCode))) {
      throw invalid('案件编号或查询码含有无法识别的字符，请按接收回执上的编号和查询码重新输入');
    }
    this.refuseIfThrottled(address);
    const candidates = caseNumberCandidates(caseNumber, await this.caseNumberings());
    // The number as the agency writes it comes first: typed exactly (or in one agency's deployment), one statement.
    for (const candidate of candidates) {
      const [row] = await this.lookup(candidate);
      if (row && queryCode && queryCodeMatches(queryCode, row.query_code_hash)) return row;
    }
    this.failures.fail(address);
    for (const candidate of candidates) this.caseFailures.fail(candidate);
    if (candidates.some((candidate) => this.caseFailures.count(candidate) > this.config.PUBLIC_TRACKING_CASE_MAX_FAILURES)) {
      this.failures.fail(address, this.config.PUBLIC_TRACKING_MAX_FAILURES);
      throw tooManyRequests(`这个案件编号近期查询失败次数过多，请核对接收回执上的查询码，${this.windowMinutes()} 分钟后再试`);
    }
    throw notFound('案件编号或查询码不正确，请核对接收回执上的编号和查询码');
  }

  /** Every agency's prefix and pattern, read where the lookup reads (the standby when there is one) and kept a minute. */
  private caseNumberings(): Promise<CaseNumbering[]> {
    if (!this.numberings || Date.now() - this.numberings.readAt > NUMBERINGS_TTL_MS) {
      const value = this.reads
        .query<{ prefix: string | null; pattern: string | null }[]>(
          `SELECT settings->>'caseNumberPrefix' AS prefix, settings->>'caseNumberPattern' AS pattern FROM agencies ORDER BY created_at, code`,
        )
        .then((rows) => rows.filter((row) => row.prefix).map((row) => ({ prefix: row.prefix!, pattern: row.pattern ?? DEFAULT_CASE_NUMBER_PATTERN })));
      // A failed read is not kept: the next lookup asks again.
      value.catch(() => (this.numberings = null));
      this.numberings = { readAt: Date.now(), value };
    }
    return this.numberings.value;
  }

  /** On the standby when there is one (database/read-database.ts), else the primary. */
  private lookup(caseNumber: string): Promise<TrackingRow[]> {
    return this.reads.run((dataSource) => this.lookupOn(dataSource, caseNumber));
  }

  /** As a named statement, planned once per connection (database/prepared.ts). */
  private lookupOn(dataSource: DataSource, caseNumber: string): Promise<TrackingRow[]> {
    return preparedQuery<TrackingRow>(dataSource.manager, TRACKING_SQL, [caseNumber], TRACKING_STATEMENT);
  }

  private refuseIfThrottled(address: string): void {
    if (this.failures.count(address) >= this.config.PUBLIC_TRACKING_MAX_FAILURES) {
      throw tooManyRequests(`查询失败次数过多，请 ${this.windowMinutes()} 分钟后再试`);
    }
  }

  private windowMinutes(): number {
    return Math.ceil(this.config.PUBLIC_TRACKING_WINDOW_SECONDS / 60);
  }
}
