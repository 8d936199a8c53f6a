import { Inject, Injectable } from '@nestjs/common';
import { publicStateLabel } from '@desk/case-workflow';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { notFound, tooManyRequests } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { APP_CONFIG } from '../common/tokens';
import { queryCodeMatches } from '../cases/cases.service';
import { LettersService } from '../letters/letters.service';

/** What an applicant sees: no identity number, phone or address (api.md). */
export interface PublicCaseView {
  caseNumber: string;
  state: string;
  submittedOn: string;
  receivedAt: string | null;
  dueDate: string | null;
  dueDateProvisional: boolean;
  concludedAt: string | null;
  letters: { id: string; kind: string; title: string; number: string | null; issuedAt: string }[];
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
      submittedOn: row.submitted_at.toISOString().slice(0, 10),
      receivedAt: row.received_at,
      dueDate: row.concluded_at ? null : row.due_date,
      dueDateProvisional: row.due_provisional,
      concludedAt: row.concluded_at,
      letters: (await this.letters.forCase(row.id, true)).map((letter) => ({
        id: letter.id,
        kind: letter.kind,
        title: letter.title,
        number: letter.number,
        issuedAt: letter.issuedAt!,
      })),
    };
  }

  /** An issued letter addressed to the applicant, with the same case number and query code. */
  async letter(caseNumber: string, queryCode: string | undefined, address: string, letterId: string, format: 'html' | 'pdf') {
    const row = await this.authorised(caseNumber, queryCode, address);
    const letters = await this.letters.forCase(row.id, true);
    if (!letters.some((letter) => letter.id === letterId)) throw notFound('没有这份文书');
    return this.letters.content(letterId, format);
  }

  private async authorised(caseNumber: string, queryCode: string | undefined, address: string) {
    this.refuseIfThrottled(address);
    const rows: {
      id: string;
      case_number: string;
      state: string;
      submitted_at: Date;
      received_at: string | null;
      due_date: string | null;
      due_provisional: boolean;
      concluded_at: string | null;
      query_code_hash: string;
    }[] = await this.dataSource.query(
      `SELECT id, case_number, state, submitted_at, received_at, due_date, due_provisional, concluded_at, query_code_hash
         FROM cases WHERE case_number = $1`,
      [caseNumber],
    );
    const row = rows[0];
    if (!row || !queryCode || !queryCodeMatches(queryCode, row.query_code_hash)) {
      this.recordFailure(address);
      throw notFound('案件编号或查询码不正确，请核对接收回执上的编号和查询码');
    }
    return row;
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
