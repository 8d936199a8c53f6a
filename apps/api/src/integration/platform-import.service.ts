import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RegisterEvent, SubmitOnlineEvent } from '@desk/case-workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { canonicalJson, REGULATION_IN_FORCE } from '../applications/applications.service';
import { MAX_ATTACHMENT_BYTES } from '../attachments/attachments.service';
import type { ApiClientPrincipal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { IntakeService } from '../cases/intake.service';
import { conflict, DomainError, forbidden, invalid, unprocessable } from '../common/domain-error';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import type { AgencyEntity } from '../database/entities';
import type { PlatformApplicationDto, PlatformImportResultDto } from './dto/platform.dto';
import { PlatformCaseView } from './platform-case-view';

interface DecodedAttachment {
  filename: string;
  mimeType: string;
  content: Buffer;
  sha256: string;
}

/**
 * A platform's import (issue 19): the application its applicant submitted there, addressed to an agency of this
 * deployment, with the files uploaded there. The platform's own reference (source, externalRef) makes it idempotent:
 * the same reference always answers the same case, never a second one.
 *
 * - The reference is claimed inside the case's transaction: parallel imports of one reference — in this process or in
 *   another instance — wait on the first one's claim row and then answer its case; a claim whose transaction never
 *   committed vanishes with it. In this process they queue before taking a connection, as the online form's
 *   Idempotency-Key does (applications.service.ts), so a burst of retries cannot hold the pool the first one needs.
 * - The receipt rule of the channel (rules.md §1, Art. 31(3)): a platform that confirmed receipt with the applicant
 *   gives that date (`confirmedAt`), which is the receipt date — the case is registered (REGISTER) and its 接收回执
 *   issued at once; otherwise the case waits, like an online application, for the office to confirm (SUBMIT_ONLINE,
 *   then CONFIRM_RECEIPT, whose day is the receipt date).
 * - The same reference with another body is refused (422): the platform must not change an application silently.
 */
@Injectable()
export class PlatformImportService {
  private readonly inFlight = new Map<string, Promise<PlatformImportResultDto>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
    private readonly calendars: CalendarService,
    private readonly intake: IntakeService,
    private readonly view: PlatformCaseView,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async importOnce(client: ApiClientPrincipal, body: PlatformApplicationDto): Promise<PlatformImportResultDto> {
    if (body.source !== client.source) throw forbidden(`本客户端登记的来源平台为“${client.source}”，不能以来源平台“${body.source}”转入申请`);
    const key = `${body.source}\u0000${body.externalRef}`;
    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    while (this.inFlight.has(key)) await this.inFlight.get(key)!.catch(() => undefined);
    const attempt = this.replayOrCreate(client, body, requestHash);
    this.inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      if (this.inFlight.get(key) === attempt) this.inFlight.delete(key);
    }
  }

  private async replayOrCreate(client: ApiClientPrincipal, body: PlatformApplicationDto, requestHash: string): Promise<PlatformImportResultDto> {
    const earlier = await this.replay(body, requestHash);
    if (earlier) return earlier;
    // Everything that reads outside the transaction is read before it (see the class comment on the pool).
    const agency = await this.addressee(client, body.agency);
    const receivedAt = this.receiptDate(body.confirmedAt);
    const attachments = this.decode(body.attachments ?? []);
    const caseId = await this.dataSource.transaction(async (manager) => {
      if (!(await this.claim(manager, client, body, requestHash))) return null;
      return this.create(manager, client, agency, body, receivedAt, attachments);
    });
    if (caseId) return { ...(await this.view.of(caseId)), created: true };
    // Another import of this reference committed first, while this one waited on its claim.
    const replayed = await this.replay(body, requestHash);
    if (!replayed) throw conflict('同一平台申请编号的申请正在转入，请稍后重试');
    return replayed;
  }

  /** The case of an earlier import of this reference, or null; 422 when that import had another body. */
  private async replay(body: PlatformApplicationDto, requestHash: string): Promise<PlatformImportResultDto | null> {
    const [previous]: { request_hash: string; case_id: string | null; case_number: string | null }[] = await this.dataSource.query(
      `SELECT p.request_hash, p.case_id, c.case_number FROM platform_imports p LEFT JOIN cases c ON c.id = p.case_id WHERE p.source = $1 AND p.external_ref = $2`,
      [body.source, body.externalRef],
    );
    if (!previous?.case_id) return null;
    if (previous.request_hash !== requestHash) {
      throw unprocessable(
        `平台申请编号“${body.externalRef}”已转入，案件编号为 ${previous.case_number}，但本次内容与已转入的申请不同：` +
          '重试时请发送与第一次完全相同的内容；申请人提交的新申请请使用新的平台申请编号',
      );
    }
    return { ...(await this.view.of(previous.case_id)), created: false };
  }

  /** The agency the application is addressed to: one of this deployment, and one this client may address. */
  private async addressee(client: ApiClientPrincipal, code: string): Promise<AgencyEntity> {
    const agency = await this.agencies.byCode(code);
    // Words the platform can show its applicant as they are.
    if (!agency) throw invalid(`受理机关编码“${code}”不在本系统中：本系统不办理该机关的政府信息公开申请，请向该机关提出申请，或重新选择受理机关`);
    if (!client.agencyIds.includes(agency.id)) throw forbidden(`本客户端未获准向“${agency.name}”转入申请，请联系该机关开通`);
    return agency;
  }

  /** Art. 31(3): the platform's confirmation date, if it confirmed; never in the future, never before the regulation. */
  private receiptDate(confirmedAt: string | undefined): string | null {
    if (confirmedAt === undefined) return null;
    const today = this.calendars.today();
    if (confirmedAt > today) throw invalid(`平台确认收到之日（${confirmedAt}）不能晚于今天（${today}）`);
    if (confirmedAt < REGULATION_IN_FORCE) throw invalid(`平台确认收到之日不能早于《政府信息公开条例》（2019年修订）施行之日 ${REGULATION_IN_FORCE}`);
    return confirmedAt;
  }

  private decode(attachments: PlatformApplicationDto['attachments'] & object): DecodedAttachment[] {
    return attachments.map((attachment, index) => {
      const content = Buffer.from(attachment.content, 'base64');
      const which = `第 ${index + 1} 个附件（${attachment.filename}）`;
      if (!content.length) throw invalid(`${which}是空文件`);
      if (content.length > MAX_ATTACHMENT_BYTES) throw new DomainError('too_large', `${which}超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
      const sha256 = createHash('sha256').update(content).digest('hex');
      if (attachment.sha256 && attachment.sha256.toLowerCase() !== sha256) throw invalid(`${which}的文件摘要与文件内容不符，文件可能在传输中损坏，请重新发送`);
      return { filename: attachment.filename, mimeType: attachment.contentType.toLowerCase(), content, sha256 };
    });
  }

  /** Inside the case's transaction: false when another transaction holds the reference and committed (that one answers). */
  private async claim(manager: EntityManager, client: ApiClientPrincipal, body: PlatformApplicationDto, requestHash: string): Promise<boolean> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO platform_imports (source, external_ref, client_id, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING source`,
      [body.source, body.externalRef, client.clientId, requestHash],
    );
    return claimed.length > 0;
  }

  private async create(
    manager: EntityManager,
    client: ApiClientPrincipal,
    agency: AgencyEntity,
    body: PlatformApplicationDto,
    receivedAt: string | null,
    attachments: DecodedAttachment[],
  ): Promise<string> {
    const requestType = body.requestType ?? 'disclosure';
    const creation: RegisterEvent | SubmitOnlineEvent =
      receivedAt !== null
        ? { type: 'REGISTER', at: receivedAt, channel: 'platform_import', requestType }
        : { type: 'SUBMIT_ONLINE', at: this.calendars.today(), channel: 'platform_import', requestType };
    const created = await this.intake.create(
      {
        agency,
        creation,
        channel: 'platform_import',
        applicant: body.applicant,
        description: body.description,
        deliveryForm: body.deliveryForm,
        // The event log names who brought the application: the platform, by its client's name.
        actor: { id: null, name: client.name },
        platformReference: { source: body.source, externalRef: body.externalRef },
      },
      manager,
    );
    await manager.query(`UPDATE platform_imports SET case_id = $3 WHERE source = $1 AND external_ref = $2`, [body.source, body.externalRef, created.id]);
    for (const file of attachments) {
      await manager.query(
        `INSERT INTO attachments (case_id, filename, mime_type, size_bytes, sha256, content, imported_by_client_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [created.id, file.filename, file.mimeType, file.content.length, file.sha256, file.content, client.clientId],
      );
    }
    return created.id;
  }
}
