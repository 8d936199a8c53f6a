import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_CASE_NUMBER_PATTERN, DEFAULT_LETTER_NUMBER_PATTERN, formatDocumentNumber, numberPatternProblems } from '@desk/letters';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { conflict, invalid, notFound } from '../common/domain-error';
import { APP_CONFIG } from '../common/tokens';
import { AgencyEntity, DEFAULT_AGENCY_SETTINGS, type AgencySettings } from '../database/entities';

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

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgencyEntity> {
    const agency = await manager.getRepository(AgencyEntity).findOne({ where: { id } });
    if (!agency) throw notFound('机关不存在');
    return withDefaults(agency);
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
