// The service tier (CONVENTIONS 17): the use case of recording a step — load once → access → enrich → machine → save →
// intents — on real PostgreSQL, without HTTP. Between the machine's unit specs and the e2e tests: what the transaction
// writes, and what it leaves untouched when it refuses.
import { RecordEventService } from '../../apps/api/src/cases/record-event.service';
import { ApplicationsService } from '../../apps/api/src/applications/applications.service';
import { principalOf, type Principal } from '../../apps/api/src/auth/principal';
import { DomainError } from '../../apps/api/src/common/domain-error';
import type { DeskApplicationDto } from '../../apps/api/src/applications/dto/application.dto';
import { AgenciesService } from '../../apps/api/src/agencies/agencies.service';
import { LettersService } from '../../apps/api/src/letters/letters.service';
import { CaseRepository } from '../../apps/api/src/cases/case.repository';
import { accessRecordInsert } from '../../apps/api/src/personal-data/personal-data-audit.service';
import { deskApplication } from '../factories/applications';
import { startTestApp, type TestApp } from '../setup/test-app';

describe('recording a step (service tier, no HTTP)', () => {
  let t: TestApp;
  let steps: RecordEventService;
  const staff = new Map<string, Principal>();

  async function principal(username: string): Promise<Principal> {
    if (!staff.has(username)) {
      const [user] = await t.dataSource.query(`SELECT id, username, display_name AS "displayName", agency_id AS "agencyId", department_id AS "departmentId", roles FROM users WHERE username = $1`, [username]);
      staff.set(username, principalOf(user, 'service-tier'));
    }
    return staff.get(username)!;
  }

  async function registered(overrides: Record<string, unknown> = {}): Promise<string> {
    const intake = t.app.get(ApplicationsService);
    const view = await intake.registerAtDesk(await principal('intake'), deskApplication(overrides) as unknown as DeskApplicationDto, '127.0.0.1');
    return view.id;
  }

  const counts = async (caseId: string) => {
    const [row] = await t.dataSource.query(
      `SELECT c.version, c.state, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events,
              (SELECT count(*)::int FROM letters l WHERE l.case_id = c.id) AS letters
         FROM cases c WHERE c.id = $1`,
      [caseId],
    );
    return row as { version: number; state: string; events: number; letters: number };
  };

  async function refusal(work: Promise<unknown>): Promise<DomainError> {
    const error = await work.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  beforeAll(async () => {
    t = await startTestApp();
    steps = t.app.get(RecordEventService);
  });
  afterAll(() => t.close());

  it('assigns through the enricher: the user named becomes the handler, its department the lead', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    const step = await steps.record(await principal('intake'), id, { type: 'ASSIGN', handler: 'handler' });
    expect(step.record.row.state).toBe('handling.active');
    expect(step.record.handler).toEqual({ username: 'handler', displayName: expect.any(String) });
    expect(step.record.department).not.toBeNull();
    // The answer is built from what the transaction holds: the same as a fresh read.
    expect(await counts(id)).toMatchObject({ version: step.record.row.version, state: 'handling.active', events: 2 });
  });

  it('carries out the step’s intents in the same transaction: the 补正告知书 is issued with the step', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    const before = await counts(id);
    await steps.record(await principal('intake'), id, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['请写明所需信息的名称或文号'] });
    const [letter] = await t.dataSource.query(`SELECT kind, status, number FROM letters WHERE case_id = $1 AND kind = 'supplement_notice'`, [id]);
    expect(letter).toMatchObject({ kind: 'supplement_notice', status: 'issued' });
    expect(letter.number).toMatch(/〔2025〕\d+号$/);
    expect(await counts(id)).toMatchObject({ state: 'awaitingSupplement', events: before.events + 1, letters: before.letters + 1 });
  });

  it('writes a step with letters in one transaction: a letter that fails takes the step’s own statement back', async () => {
    // Without a caller's transaction only a step writing nothing but its statement goes without one (RecordEventService.apply).
    t.setToday('2025-09-29');
    const id = await registered();
    const before = await counts(id);
    const [{ sequences }] = await t.dataSource.query(`SELECT count(*)::int AS sequences FROM number_sequences`);
    const failing = jest.spyOn(LettersService.prototype, 'issueNotice').mockRejectedValueOnce(new Error('the printer caught fire'));
    try {
      await expect(steps.record(await principal('intake'), id, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['请写明所需信息的名称或文号'] })).rejects.toThrow('the printer caught fire');
    } finally {
      failing.mockRestore();
    }
    expect(await counts(id)).toEqual(before);
    const [{ sequences: after }] = await t.dataSource.query(`SELECT count(*)::int AS sequences FROM number_sequences`);
    expect(after).toBe(sequences);
  });

  it('writes the step’s other write only with the step’s own: a version that moved leaves no access record behind', async () => {
    // The POST's record of the view it answers goes in the step's statement (CaseRepository.recordStep), which runs
    // without a transaction: a step refused at its write must not leave a view on record that nobody saw.
    t.setToday('2025-09-29');
    const id = await registered();
    const [{ version }] = await t.dataSource.query(`SELECT version FROM cases WHERE id = $1`, [id]);
    const intake = await principal('intake');
    const views = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM personal_data_access WHERE $1 = ANY(case_ids)`, [id]))[0].n as number;
    const before = await views();
    const write = (at: number) =>
      t.app.get(CaseRepository).recordStep(t.dataSource.manager, {
        id,
        version: at,
        changes: { state: 'registered', snapshot: {}, receivedAt: '2025-09-29', dueDate: null, dueProvisional: false, outcome: null, concludedAt: null, lastEventAt: '2025-09-29', handlerId: null, departmentId: null },
        firstConclusion: null,
        event: { sequence: 99, type: 'RECORD_SEARCH', at: '2025-09-29', actorId: intake.userId, actorName: intake.username, payload: {}, stateAfter: 'registered' },
        alsoWrite: (param, written) => accessRecordInsert(intake, { action: 'view_case', caseIds: [id], address: '127.0.0.1' }, param, written),
      });
    expect(await write(version - 1)).toBeNull();
    expect(await views()).toBe(before);
    expect(await write(version)).toMatchObject({ sequence: 99 });
    expect(await views()).toBe(before + 1);
  });

  it('takes a number only inside a transaction: outside one it is refused and nothing is taken', async () => {
    const agencies = t.app.get(AgenciesService);
    const [{ id: agencyId }] = await t.dataSource.query(`SELECT id FROM agencies ORDER BY created_at LIMIT 1`);
    const stored = await agencies.byId(agencyId);
    const taken = async () => (await t.dataSource.query(`SELECT last_value FROM number_sequences WHERE agency_id = $1 AND year = 2031 AND kind = 'reply'`, [agencyId]))[0]?.last_value ?? 0;
    await expect(agencies.nextLetterNumber(t.dataSource.manager, stored, 2031, 'reply', '答复')).rejects.toThrow('inside the transaction');
    expect(await taken()).toBe(0);
    await t.dataSource.transaction((manager) => agencies.nextLetterNumber(manager, stored, 2031, 'reply', '答复'));
    expect(await taken()).toBe(1);
  });

  it('refuses a payload that is incomplete with 400 naming the field, and writes nothing', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    await steps.record(await principal('intake'), id, { type: 'ASSIGN', handler: 'handler' });
    const before = await counts(id);
    const error = await refusal(steps.record(await principal('handler'), id, { type: 'DECIDE', outcome: 'withheld.process_info' }));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('须填写理由');
    expect(await counts(id)).toEqual(before);
  });

  it('refuses a decision whose prerequisite is not on record with 409 naming it, and writes nothing', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    await steps.record(await principal('intake'), id, { type: 'ASSIGN', handler: 'handler' });
    const before = await counts(id);
    const error = await refusal(steps.record(await principal('handler'), id, { type: 'DECIDE', outcome: 'unavailable.not_held', reasons: '经检索未找到' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('缺少检索记录');
    expect(await counts(id)).toEqual(before);
  });

  it('asks the database what only it knows: a duplicate of an unanswered earlier request is refused (Art. 36(6))', async () => {
    t.setToday('2025-10-09');
    const earlier = await registered({ receivedAt: '2025-09-26' });
    const [{ case_number: earlierNumber }] = await t.dataSource.query(`SELECT case_number FROM cases WHERE id = $1`, [earlier]);
    const id = await registered({ receivedAt: '2025-10-09' });
    await steps.record(await principal('intake'), id, { type: 'ASSIGN', handler: 'handler' });
    const error = await refusal(
      steps.record(await principal('handler'), id, { type: 'DECIDE', outcome: 'not_processed.duplicate', reasons: '与在先申请内容相同', duplicateOf: earlierNumber }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(`尚未对在先申请 ${earlierNumber} 作出答复`);
  });

  it('lets one of several steps sent at once on the same version win; the others change nothing', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    const { version } = await counts(id);
    const intake = await principal('intake');
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => steps.record(intake, id, { type: 'REQUEST_SUPPLEMENT', version, items: ['请写明所需信息的名称或文号'] })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((settled): settled is PromiseRejectedResult => settled.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(DomainError);
      expect((result.reason as DomainError).code).toBe('conflict');
    }
    const after = await counts(id);
    expect(after).toMatchObject({ version: version + 1, events: 2 });
    const [{ notices }] = await t.dataSource.query(`SELECT count(*)::int AS notices FROM letters WHERE case_id = $1 AND kind = 'supplement_notice'`, [id]);
    expect(notices).toBe(1);
  });

  it('records a lapse for the system actor once the 补正 period has run out (Art. 30), with the lapse notice', async () => {
    t.setToday('2025-09-29');
    const id = await registered();
    await steps.record(await principal('intake'), id, { type: 'REQUEST_SUPPLEMENT', at: '2025-09-29', items: ['请写明所需信息的名称或文号'] });
    t.setToday('2025-11-10');
    const step = await steps.recordForSystem(id, { type: 'SUPPLEMENT_LAPSED' });
    expect(step.record.row.state).toBe('abandoned');
    const [last] = await t.dataSource.query(`SELECT type, actor_name, at::text AS at FROM case_events WHERE case_id = $1 ORDER BY sequence DESC LIMIT 1`, [id]);
    expect(last).toMatchObject({ type: 'SUPPLEMENT_LAPSED', actor_name: 'system' });
    const [notice] = await t.dataSource.query(`SELECT status FROM letters WHERE case_id = $1 AND kind = 'supplement_lapse_notice'`, [id]);
    expect(notice).toEqual({ status: 'issued' });
  });
});
