import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { invalid, notFound } from '../common/domain-error';
import { APP_CONFIG } from '../common/tokens';
import { AgencyEntity, DEFAULT_AGENCY_SETTINGS, type AgencySettings } from '../database/entities';

/** Case numbers and 文号 read 沪住建依申〔2026〕第00123号: a prefix, the year, a per-year sequence. */
export function formatSequenceNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}〔${year}〕第${String(sequence).padStart(5, '0')}号`;
}

/** Settings added after an agency was created take their defaults. */
function withDefaults(agency: AgencyEntity): AgencyEntity {
  agency.settings = { ...DEFAULT_AGENCY_SETTINGS, ...agency.settings };
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
    const settings: AgencySettings = { ...DEFAULT_AGENCY_SETTINGS, caseNumberPrefix: this.config.CASE_NUMBER_PREFIX };
    await repository.createQueryBuilder().insert().values({ code: this.config.AGENCY_CODE, name: this.config.AGENCY_NAME, settings }).orIgnore().execute();
    return withDefaults(await repository.findOneOrFail({ where: { code: this.config.AGENCY_CODE } }));
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgencyEntity> {
    const agency = await manager.getRepository(AgencyEntity).findOne({ where: { id } });
    if (!agency) throw notFound('机关不存在');
    return withDefaults(agency);
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
  async nextNumber(manager: EntityManager, agency: AgencyEntity, year: number, kind: string, prefix: string): Promise<string> {
    const rows: { last_value: number }[] = await manager.query(
      `INSERT INTO number_sequences (agency_id, year, kind, last_value) VALUES ($1, $2, $3, 1)
       ON CONFLICT (agency_id, year, kind) DO UPDATE SET last_value = number_sequences.last_value + 1
       RETURNING last_value`,
      [agency.id, year, kind],
    );
    return formatSequenceNumber(prefix, year, rows[0].last_value);
  }

  nextCaseNumber(manager: EntityManager, agency: AgencyEntity, year: number): Promise<string> {
    return this.nextNumber(manager, agency, year, 'case', agency.settings.caseNumberPrefix);
  }
}
