import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { conflict, invalid, tooManyRequests, unprocessable } from '../common/domain-error';
import { FailureCounter } from '../common/failure-counter';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import type { AgencyEntity } from '../database/entities';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { APPLICANT_ACTOR } from '../cases/case-actor';
import { CaseViewService } from '../cases/case-view.service';
import { IntakeService } from '../cases/intake.service';
import { AttachmentsService, type UploadedFile } from '../attachments/attachments.service';
import { ApplicantRepository, type ApplicantFile } from '../portal/applicant.repository';
import type { DeskApplicationDto, PublicApplicationDto } from './dto/application.dto';

/** The day the 2019 regulation took effect; this system applies it. */
export const REGULATION_IN_FORCE = '2019-05-15';
const HOUR_MS = 60 * 60_000;

export interface OnlineSubmission {
  caseNumber: string;
  queryCode: string;
}

@Injectable()
export class ApplicationsService {
  /** Online applications per address, this hour (in memory, per process, like the other throttles). */
  private readonly submissions = new FailureCounter(HOUR_MS);
  /** The submission under way for each Idempotency-Key in this process. */
  private readonly inFlight = new Map<string, Promise<OnlineSubmission>>();

  constructor(
    private readonly intake: IntakeService,
    private readonly views: CaseViewService,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly attachments: AttachmentsService,
    private readonly applicantFiles: ApplicantRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Idempotency-Key: a retry (a double click, a lost response) gets the same case and the same 查询码, never a second
   * case nor a code that would invalidate the first.
   *
   * - The key is claimed inside the case's own transaction: a claim whose transaction never committed (a crash, a lost
   *   connection) vanishes with it, and parallel requests with one key wait on the first one's claim row, then answer
   *   its result (one case however many arrive).
   * - The answer's 查询码 is kept encrypted with the personal-data key (AES-256-GCM, like identity numbers) beside the
   *   key, and only while the key lives (IDEMPOTENCY_KEY_TTL_HOURS): the case itself still keeps only a hash of it.
   *   Chosen over a second valid hash per case because that would leave two codes opening a case for good, and the
   *   applicant could never tell which one the office's receipt shows.
   * - The same key with another body is refused (422); an expired key is forgotten and counts as new.
   */
  async submitOnlineOnce(body: PublicApplicationDto, key: string | undefined, address: string): Promise<OnlineSubmission> {
    if (key === undefined) return this.submitOnline(body, address);
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(key)) throw invalid('Idempotency-Key 应为 8 至 100 位字母、数字、_ 或 -');
    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    // Retries with this key in this process wait for the first one and are then answered from its record, taking no
    // place in the address's hourly allowance (20 at once must not spend 20 places on one case).
    while (this.inFlight.has(key)) await this.inFlight.get(key)!.catch(() => undefined);
    const attempt = this.replayOrCreate(body, key, requestHash, address);
    this.inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      if (this.inFlight.get(key) === attempt) this.inFlight.delete(key);
    }
  }

  private async replayOrCreate(body: PublicApplicationDto, key: string, requestHash: string, address: string): Promise<OnlineSubmission> {
    const earlier = await this.replay(key, requestHash);
    if (earlier) return earlier;
    // Read before the transaction: parallel requests with this key hold pooled connections while they wait on the
    // claim, and a second connection wanted inside the first one's transaction could wait behind them for good.
    const agency = await this.agencies.forPublicApplication(body.agency);
    const created = await this.withinAllowance(address, () =>
      this.dataSource.transaction(async (manager) => {
        if (!(await this.claim(manager, key, requestHash))) return null;
        const submission = await this.createOnline(manager, agency, body);
        await manager.query(`UPDATE idempotency_keys SET response = $2, query_code_ciphertext = $3 WHERE key = $1`, [
          key,
          JSON.stringify({ caseNumber: submission.caseNumber }),
          this.cipher.encrypt('idempotent_query_code', submission.queryCode),
        ]);
        return submission;
      }),
    );
    if (created) return created;
    // Another request with this key committed first, while this one waited on its claim.
    const replayed = await this.replay(key, requestHash);
    if (!replayed) throw conflict('同一申请正在提交中，请稍后用同一 Idempotency-Key 重试');
    return replayed;
  }

  /**
   * Online, through the API without a key or the portal's form (which may carry identity copies and a 授权委托书): within
   * the address's hourly allowance.
   */
  async submitOnline(body: PublicApplicationDto, address: string, files: readonly ApplicantFile[] = []): Promise<OnlineSubmission> {
    const agency = await this.agencies.forPublicApplication(body.agency);
    return (await this.withinAllowance(address, () => this.dataSource.transaction((manager) => this.createOnline(manager, agency, body, files))))!;
  }

  /**
   * Each online application takes an official case number (and a place in the office's queue): one address gets
   * ONLINE_APPLICATIONS_PER_HOUR of them. The place is taken before the case is made, so parallel requests cannot all
   * slip under the limit, and given back when no case was made (a failure, or an idempotent replay).
   */
  private async withinAllowance<T>(address: string, create: () => Promise<T | null>): Promise<T | null> {
    const limit = this.config.ONLINE_APPLICATIONS_PER_HOUR;
    if (this.submissions.count(address) >= limit) {
      throw tooManyRequests(`同一网络地址每小时最多在线提交 ${limit} 份申请，请一小时后再试；也可以当面、邮寄或传真提交申请`);
    }
    this.submissions.fail(address);
    try {
      const created = await create();
      if (created === null) this.submissions.undo(address);
      return created;
    } catch (error) {
      this.submissions.undo(address);
      throw error;
    }
  }

  /** Inside the case's transaction. False when another transaction holds the key and committed (that one answers). */
  private async claim(manager: EntityManager, key: string, requestHash: string): Promise<boolean> {
    // An expired key is forgotten; a committed claim without an answer is a leftover of the former design (the claim was
    // made before the case's transaction), released here.
    await manager.query(`DELETE FROM idempotency_keys WHERE key = $1 AND (expires_at <= now() OR response IS NULL)`, [key]);
    const claimed: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (key, request_hash, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, requestHash, this.config.IDEMPOTENCY_KEY_TTL_HOURS],
    );
    return claimed.length > 0;
  }

  /** The first answer for a live key with this body; null when the key is unknown or expired; 422 for another body. */
  private async replay(key: string, requestHash: string): Promise<OnlineSubmission | null> {
    const [previous]: { request_hash: string; response: { caseNumber: string } | null; query_code_ciphertext: string | null }[] =
      await this.dataSource.query(`SELECT request_hash, response, query_code_ciphertext FROM idempotency_keys WHERE key = $1 AND expires_at > now()`, [key]);
    if (!previous?.response) return null;
    if (previous.request_hash !== requestHash) {
      throw unprocessable('这个 Idempotency-Key 已用于另一份内容不同的申请：重试时请发送与第一次完全相同的内容，提交新的申请请使用新的 Idempotency-Key');
    }
    const { caseNumber } = previous.response;
    // A key stored before its code was kept (the former design) can only be answered with a new code.
    if (!previous.query_code_ciphertext) return { caseNumber, queryCode: await this.intake.renewQueryCode(caseNumber) };
    return { caseNumber, queryCode: this.cipher.decrypt('idempotent_query_code', previous.query_code_ciphertext) };
  }

  /**
   * Desk intake: the receipt date is given by the officer per Art. 31 and the channel; the case is registered at once,
   * with the scanned pages (the application, the identity copy, the 授权委托书) kept on it in the same transaction.
   */
  async registerAtDesk(principal: Principal, body: DeskApplicationDto, address: string, files: readonly UploadedFile[] = []) {
    const today = this.calendars.today();
    if (body.receivedAt > today) throw invalid(`收到申请之日（${body.receivedAt}）不能晚于今天（${today}）`);
    if (body.receivedAt < REGULATION_IN_FORCE) throw invalid(`收到申请之日不能早于《政府信息公开条例》（2019年修订）施行之日 ${REGULATION_IN_FORCE}`);
    const agency = await this.agencies.byId(principal.agencyId);
    const created = await this.dataSource.transaction(async (manager) => {
      const registered = await this.intake.create(
        {
          agency,
          creation: {
            type: 'REGISTER',
            at: body.receivedAt,
            channel: body.channel,
            requestType: body.requestType ?? 'disclosure',
            ...(body.postalTrackingNumber ? { postalTrackingNumber: body.postalTrackingNumber } : {}),
            ...(body.agentName ? { agentName: body.agentName } : {}),
          },
          channel: body.channel,
          applicant: body.applicant,
          description: body.description,
          deliveryForm: body.deliveryForm,
          actor: { id: principal.userId, name: principal.username },
        },
        manager,
      );
      for (const file of files) await this.attachments.store(manager, registered.id, file, principal.userId);
      return registered;
    });
    return { ...(await this.views.view(principal, created.id, address)), queryCode: created.queryCode };
  }

  /** Online: received now, the receipt date is set when the office confirms it (Art. 31(3)). */
  private async createOnline(manager: EntityManager, agency: AgencyEntity, body: PublicApplicationDto, files: readonly ApplicantFile[] = []): Promise<OnlineSubmission> {
    const created = await this.intake.create(
      {
        agency,
        creation: { type: 'SUBMIT_ONLINE', at: this.calendars.today(), requestType: body.requestType ?? 'disclosure', ...(body.agentName ? { agentName: body.agentName } : {}) },
        channel: 'online',
        applicant: body.applicant,
        description: body.description,
        deliveryForm: body.deliveryForm,
        actor: APPLICANT_ACTOR,
      },
      manager,
    );
    // In the case's transaction: what the applicant asked to be told of, and the files sent with the form.
    if (body.notifyByEmail || body.notifyBySms) {
      await this.applicantFiles.savePreferences(manager, created.id, { email: body.notifyByEmail === true, sms: body.notifyBySms === true });
    }
    await this.applicantFiles.addFiles(manager, created.id, files);
    return { caseNumber: created.caseNumber, queryCode: created.queryCode };
  }
}

/** JSON with every object's keys sorted: the same application hashes alike whatever order a client sends its fields in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.keys(inner).sort().map((name) => [name, (inner as Record<string, unknown>)[name]]))
      : inner,
  );
}
