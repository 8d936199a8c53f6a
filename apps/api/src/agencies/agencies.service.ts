import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_CASE_NUMBER_PATTERN, DEFAULT_LETTER_NUMBER_PATTERN, formatDocumentNumber, numberPatternProblems } from '@desk/letters';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { AppConfig } from '../config/app-config';
import { conflict, invalid, notFound } from '../common/domain-error';
import { APP_CONFIG } from '../common/tokens';
import { AgencyEntity, DEFAULT_AGENCY_SETTINGS, type AgencySettings } from '../database/entities';
import { JobsService } from '../jobs/jobs.service';
import { agencySettingsProblems, changedSettingLabels, CLOCK_SETTING_KEYS, SETTING_DECLARATIONS, type AgencySettingsInput } from './agency-settings';

/** The job that recomputes open cases' due dates (calendar/calendar-admin.service.ts handles it). */
export const RECOMPUTE_DEADLINES_JOB = 'recompute-deadlines';

export interface SettingsChange {
  id: string;
  changedAt: Date;
  changedBy: string;
  /** The labels of the settings that changed. */
  changed: string[];
  recomputedCases: number | null;
  changedCases: number | null;
}

/** A number in the register form (case numbers, 索引号): 沪住建依申〔2026〕第00123号. */
export function formatSequenceNumber(prefix: string, year: number, sequence: number): string {
  return formatDocumentNumber(DEFAULT_CASE_NUMBER_PATTERN, prefix, year, sequence);
}

/** The number patterns' defaults: 文号 per GB/T 9704-2012 (机关代字〔2025〕1号), case numbers as they always read. */
const NUMBER_PATTERNS = { letterNumberPattern: DEFAULT_LETTER_NUMBER_PATTERN, caseNumberPattern: DEFAULT_CASE_NUMBER_PATTERN };

/** Settings added after an agency was created take their defaults. */
function withDefaults(agency: AgencyEntity): AgencyEntity {
  agency.settings = { ...DEFAULT_AGENCY_SETTINGS, ...NUMBER_PATTERNS, ...agency.settings };
  return agency;
}

@Injectable()
export class AgenciesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureDefaultAgency();
  }

  /** The default install has one agency, created from configuration; nothing assumes it is the only one. */
  async ensureDefaultAgency(): Promise<AgencyEntity> {
    const repository = this.dataSource.getRepository(AgencyEntity);
    const existing = await repository.findOne({ where: { code: this.config.AGENCY_CODE } });
    if (existing) return withDefaults(existing);
    const settings: AgencySettings = { ...DEFAULT_AGENCY_SETTINGS, ...NUMBER_PATTERNS, caseNumberPrefix: this.config.CASE_NUMBER_PREFIX };
    await repository.createQueryBuilder().insert().values({ code: this.config.AGENCY_CODE, name: this.config.AGENCY_NAME, settings }).orIgnore().execute();
    return withDefaults(await repository.findOneOrFail({ where: { code: this.config.AGENCY_CODE } }));
  }

  /** The agency from its row as read beside something else (CaseRepository.load), with its settings' defaults. */
  fromStored(stored: { id: string; code: string; name: string; settings: Record<string, unknown>; createdAt: string }): AgencyEntity {
    return withDefaults(Object.assign(new AgencyEntity(), { ...stored, settings: stored.settings as unknown as AgencySettings, createdAt: new Date(stored.createdAt) }));
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgencyEntity> {
    const agency = await manager.getRepository(AgencyEntity).findOne({ where: { id } });
    if (!agency) throw notFound('机关不存在');
    return withDefaults(agency);
  }

  /**
   * The administrator's change of the agency's name and settings, whole: checked field by field (400 naming each field),
   * recorded with who and when and what it was before, and — when a setting the clock reads changed — every open case's
   * due date recomputed in the background, as after a calendar change (rules.md §2, §3).
   */
  async updateSettings(principal: Principal, input: AgencySettingsInput): Promise<AgencyEntity> {
    const problems = agencySettingsProblems(input);
    if (problems.length) throw invalid(problems.map((problem) => problem.message).join('；'), problems.map((problem) => problem.message));
    await this.dataSource.transaction(async (manager) => {
      // The row lock: two administrators saving at once are recorded one after the other, each with what it replaced.
      const [row]: { name: string; settings: AgencySettings }[] = await manager.query(`SELECT name, settings FROM agencies WHERE id = $1 FOR UPDATE`, [principal.agencyId]);
      if (!row) throw notFound('机关不存在');
      const before: AgencySettingsInput = { name: row.name, settings: { ...DEFAULT_AGENCY_SETTINGS, ...NUMBER_PATTERNS, ...row.settings } };
      if (!changedSettingLabels(before, input).length) return;
      if (before.settings.caseNumberPrefix !== input.settings.caseNumberPrefix) {
        // Only a change of prefix is checked (an agency saving anything else is not held to it), and two agencies taking
        // the same prefix at once are checked one after the other.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('agencies.caseNumberPrefix'))`);
        await this.refuseCaseNumberPrefixOfAnotherAgency(manager, principal.agencyId, input.settings.caseNumberPrefix);
      }
      await manager.query(`UPDATE agencies SET name = $2, settings = $3 WHERE id = $1`, [principal.agencyId, input.name, JSON.stringify(input.settings)]);
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO agency_settings_changes (agency_id, changed_by, before, after) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [principal.agencyId, principal.userId, JSON.stringify(before), JSON.stringify(input)],
      );
      if (CLOCK_SETTING_KEYS.some((key) => before.settings[key] !== input.settings[key])) {
        await this.jobs.enqueue(RECOMPUTE_DEADLINES_JOB, { settingsChangeId: id, agencyId: principal.agencyId }, { manager });
      }
    });
    return this.byId(principal.agencyId);
  }

  /**
   * Case numbers stay unique across the deployment, unlike 文号 (unique within their agency): an applicant tracks a case
   * by its number and 查询码 alone, without naming the agency (public-tracking.service.ts). So two agencies may not
   * share a case-number prefix; the bare prefix is compared, since an agency may change its pattern later.
   */
  private async refuseCaseNumberPrefixOfAnotherAgency(manager: EntityManager, agencyId: string, prefix: string): Promise<void> {
    const [other]: { name: string }[] = await manager.query(`SELECT name FROM agencies WHERE id <> $1 AND settings->>'caseNumberPrefix' = $2 LIMIT 1`, [agencyId, prefix]);
    if (!other) return;
    const message = `${SETTING_DECLARATIONS.caseNumberPrefix.label}“${prefix}”已由本平台的${other.name}使用：申请人凭案件编号和查询码查询进度，案件编号在全平台不能重复，请另选代字`;
    throw invalid(message, [message]);
  }

  /** The record of settings changes, newest first. */
  async settingsChanges(principal: Principal, limit = 50): Promise<SettingsChange[]> {
    const rows: { id: string; changedAt: Date; changedBy: string; before: AgencySettingsInput; after: AgencySettingsInput; recomputedCases: number | null; changedCases: number | null }[] =
      await this.dataSource.query(
        `SELECT c.id::text, c.changed_at AS "changedAt", COALESCE(u.display_name, '') AS "changedBy", c.before, c.after,
                c.recomputed_cases AS "recomputedCases", c.changed_cases AS "changedCases"
           FROM agency_settings_changes c LEFT JOIN users u ON u.id = c.changed_by
          WHERE c.agency_id = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT $2`,
        [principal.agencyId, limit],
      );
    return rows.map(({ before, after, ...row }) => ({ ...row, changed: changedSettingLabels(before, after) }));
  }

  /** The agency of this deployment with this code, or null. */
  async byCode(code: string): Promise<AgencyEntity | null> {
    const agency = await this.dataSource.getRepository(AgencyEntity).findOne({ where: { code } });
    return agency ? withDefaults(agency) : null;
  }

  /** The agency an online application is addressed to: by code, or the default one. */
  async forPublicApplication(code: string | undefined): Promise<AgencyEntity> {
    const agency = await this.dataSource.getRepository(AgencyEntity).findOne({ where: { code: code ?? this.config.AGENCY_CODE } });
    if (!agency) throw invalid(`没有编码为“${code}”的机关`);
    return withDefaults(agency);
  }

  /**
   * The next number of this agency, year and kind, inside the caller's transaction: the row lock serialises concurrent
   * writers and a rolled-back step gives its number back, so numbers have no gaps or duplicates.
   */
  async nextNumber(manager: EntityManager, agency: AgencyEntity, year: number, kind: string, prefix: string, pattern = DEFAULT_CASE_NUMBER_PATTERN): Promise<string> {
    const problems = numberPatternProblems(pattern);
    if (problems.length) throw conflict(`机关设置中的编号格式“${pattern}”有误：${problems.join('；')}`);
    // A number taken outside the transaction of what it numbers would stay taken when that is refused: a gap in the register.
    if (!manager.queryRunner?.isTransactionActive) throw new Error('a number is taken only inside the transaction of what it numbers');
    const rows: { last_value: number }[] = await manager.query(
      `INSERT INTO number_sequences (agency_id, year, kind, last_value) VALUES ($1, $2, $3, 1)
       ON CONFLICT (agency_id, year, kind) DO UPDATE SET last_value = number_sequences.last_value + 1
       RETURNING last_value`,
      [agency.id, year, kind],
    );
    return formatDocumentNumber(pattern, prefix, year, rows[0].last_value);
  }

  nextCaseNumber(manager: EntityManager, agency: AgencyEntity, year: number): Promise<string> {
    return this.nextNumber(manager, agency, year, 'case', agency.settings.caseNumberPrefix, agency.settings.caseNumberPattern);
  }

  /** A letter's 文号 (GB/T 9704-2012 7.2.4), in the agency's pattern: 机关代字〔2025〕1号 by default. */
  nextLetterNumber(manager: EntityManager, agency: AgencyEntity, year: number, kind: string, prefix: string): Promise<string> {
    return this.nextNumber(manager, agency, year, kind, prefix, agency.settings.letterNumberPattern);
  }
}
