import { Injectable } from '@nestjs/common';
import { yearOf } from '@desk/calendar';
import { startCase, type ApplicantCategory, type Channel, type DeliveryForm, type RegisterEvent, type SubmitOnlineEvent } from '@desk/case-workflow';
import { normaliseIdentityNumber, type IdType } from '@desk/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service';
import { CalendarService } from '../calendar/calendar.service';
import { conflict } from '../common/domain-error';
import { CaseEntity, type AgencyEntity } from '../database/entities';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { CaseRepository, type LoggedEvent } from './case.repository';
import { hashQueryCode, newQueryCode } from './query-code';
import { StepIntents } from './step-intents.service';

export interface ApplicantInput {
  category: ApplicantCategory;
  name: string;
  idType: IdType;
  idNumber: string;
  phone?: string;
  email?: string;
  address?: string;
}

export interface NewCaseInput {
  agency: AgencyEntity;
  creation: RegisterEvent | SubmitOnlineEvent;
  channel: Channel;
  applicant: ApplicantInput;
  description: string;
  deliveryForm: DeliveryForm;
  actor: { id: string | null; name: string };
  /** A platform's import: its own reference, logged with the creation event (shown to staff beside the case's history). */
  platformReference?: { source: string; externalRef: string };
}

/**
 * A new case: desk intake (REGISTER, the receipt issued at once), the online form (SUBMIT_ONLINE, confirmed later), or a
 * platform's import (either, by whether the platform confirmed receipt with the applicant).
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly agencies: AgenciesService,
    private readonly cases: CaseRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly intents: StepIntents,
  ) {}

  /**
   * Register a new case with its creation event, in one transaction (the caller's, when given). The case number is taken
   * in it (gapless); the query code is returned once and kept only as a hash.
   */
  async create(input: NewCaseInput, outer?: EntityManager): Promise<{ id: string; caseNumber: string; queryCode: string }> {
    const started = startCase(input.creation);
    if (!started.ok) throw conflict(started.problems.join('；'), started.problems);
    const queryCode = newQueryCode();
    const today = this.calendars.today();
    const register = async (manager: EntityManager) => {
      const { creation, applicant, agency } = input;
      if (await this.cases.isYearLocked(manager, agency.id, yearOf(creation.at))) {
        throw conflict(`${yearOf(creation.at)} 年度报告已发布并锁定，不能再登记收到日期在该年度内的申请（${creation.at}）`);
      }
      const caseNumber = await this.agencies.nextCaseNumber(manager, agency, yearOf(today));
      // The creation event's own fields (its declaration's), as the log keeps every event's payload.
      const { type: _type, at: _at, ...own } = creation;
      const payload = { ...own, channel: input.channel, requestType: creation.requestType ?? 'disclosure', ...input.platformReference };
      const log: LoggedEvent[] = [{ sequence: 1, type: creation.type, at: creation.at, payload, actorName: input.actor.name, recordedAt: new Date().toISOString() }];
      const clock = this.calendars.clockOf(log, agency.settings);
      const values = {
        agencyId: agency.id,
        caseNumber,
        requestType: creation.requestType ?? 'disclosure',
        channel: input.channel,
        receivedAt: started.snapshot.context.receivedAt,
        submittedAt: new Date(),
        applicantCategory: applicant.category,
        applicantName: applicant.name,
        applicantIdType: applicant.idType,
        applicantIdNumberCiphertext: this.cipher.encrypt('applicant_id_number', normaliseIdentityNumber(applicant.idNumber)),
        applicantIdBlindIndex: this.cipher.blindIndex(normaliseIdentityNumber(applicant.idNumber)),
        applicantPhoneCiphertext: this.cipher.encryptNullable('applicant_phone', applicant.phone?.trim() || null),
        applicantEmail: applicant.email?.trim() || null,
        applicantAddress: applicant.address?.trim() || null,
        description: input.description,
        deliveryForm: input.deliveryForm,
        queryCodeHash: hashQueryCode(queryCode),
        state: started.state,
        snapshot: started.persisted,
        version: 1,
        dueDate: clock.dueDate,
        dueProvisional: clock.provisional,
        outcome: null,
        concludedAt: null,
        lastEventAt: creation.at,
        departmentId: null,
        handlerId: null,
      };
      const id = await this.cases.insert(manager, values);
      await this.cases.appendEvent(manager, { caseId: id, sequence: 1, type: creation.type, at: creation.at, actorId: input.actor.id, actorName: input.actor.name, payload, stateAfter: started.state });
      // REGISTER's receipt (接收回执) is issued with it; an online application's waits for the office's confirmation.
      await this.intents.carryOut(manager, started.intents, {
        row: manager.getRepository(CaseEntity).create({ ...values, id }),
        handlerName: null,
        agency,
        actor: { userId: input.actor.id, username: input.actor.name },
        at: creation.at,
        clock,
        events: log,
        payload,
      });
      return { id, caseNumber, queryCode };
    };
    return outer ? register(outer) : this.dataSource.transaction(register);
  }

  /** A new 查询码 for a case (the old one stops working); returned once, stored as a hash. */
  async renewQueryCode(caseNumber: string): Promise<string> {
    const queryCode = newQueryCode();
    await this.cases.replaceQueryCodeHash(caseNumber, hashQueryCode(queryCode));
    return queryCode;
  }
}
