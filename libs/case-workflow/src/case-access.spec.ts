import { actionRefusal, mayRelationSend, maySee, platformMaySee, relationTo, type CaseAccessFacts } from './case-access';

const facts: CaseAccessFacts = { agencyId: 'agency-a', departmentId: 'housing', assistingDepartmentIds: ['office'] };

describe('case access: who may see, act on and reveal a case', () => {
  it('agency-wide roles see every case of their agency and none of another agency', () => {
    expect(relationTo({ roles: ['legal'], agencyId: 'agency-a', departmentId: 'legal-office' }, facts)).toBe('agency');
    expect(relationTo({ roles: ['head'], agencyId: 'agency-b', departmentId: null }, facts)).toBe('none');
    expect(relationTo({ roles: ['system'], agencyId: null, departmentId: null }, facts)).toBe('agency');
  });

  it('a handler leads its department’s cases, assists where asked, and sees nothing else', () => {
    expect(relationTo({ roles: ['handler'], agencyId: 'agency-a', departmentId: 'housing' }, facts)).toBe('lead');
    expect(relationTo({ roles: ['handler'], agencyId: 'agency-a', departmentId: 'office' }, facts)).toBe('assisting');
    expect(relationTo({ roles: ['handler'], agencyId: 'agency-a', departmentId: 'planning' }, facts)).toBe('none');
    expect(relationTo({ roles: ['handler'], agencyId: 'agency-a', departmentId: null }, facts)).toBe('none');
    expect(relationTo({ roles: ['handler'], agencyId: 'agency-b', departmentId: 'housing' }, facts)).toBe('none');
  });

  it('an assisting department sees the case and answers its request; nothing else, and never the personal data', () => {
    expect(maySee('assisting')).toBe(true);
    expect(mayRelationSend('assisting', 'ANSWER_ASSISTANCE')).toBe(true);
    for (const type of ['ASSIGN', 'WITHDRAW', 'DECIDE', 'RECORD_SEARCH', 'REQUEST_EXTENSION'] as const) expect(mayRelationSend('assisting', type)).toBe(false);
    expect(actionRefusal('assisting', 'act')).toMatch(/协办部门/);
    expect(actionRefusal('assisting', 'reveal')).toMatch(/协办部门/);
    expect(actionRefusal('lead', 'reveal')).toBeNull();
    expect(actionRefusal('agency', 'act')).toBeNull();
    expect(maySee('none')).toBe(false);
  });

  it('the applicant proved by the 查询码 reaches the own case only, and takes only the own steps there', () => {
    const own = { ...facts, caseId: 'case-1' };
    expect(relationTo({ roles: ['applicant'], agencyId: null, departmentId: null, ownCaseId: 'case-1' }, own)).toBe('applicant');
    expect(relationTo({ roles: ['applicant'], agencyId: null, departmentId: null, ownCaseId: 'case-2' }, own)).toBe('none');
    expect(relationTo({ roles: ['applicant'], agencyId: 'agency-a', departmentId: null }, own)).toBe('none');
    // A viewer that also claims a staff role is still only the applicant.
    expect(relationTo({ roles: ['applicant', 'head'], agencyId: 'agency-a', departmentId: null, ownCaseId: 'case-2' }, own)).toBe('none');
    expect(mayRelationSend('applicant', 'RECEIVE_SUPPLEMENT')).toBe(true);
    expect(mayRelationSend('applicant', 'WITHDRAW')).toBe(true);
    for (const type of ['CONFIRM_RECEIPT', 'ASSIGN', 'DECIDE', 'ISSUE_REPLY', 'RECORD_SERVICE', 'REQUEST_SUPPLEMENT'] as const) expect(mayRelationSend('applicant', type)).toBe(false);
    expect(actionRefusal('applicant', 'act')).toMatch(/申请人/);
    expect(actionRefusal('applicant', 'reveal')).toMatch(/申请人/);
  });

  it('a platform client sees only the cases its own platform imported, of the agencies it may address', () => {
    const platform = { source: 'zlgk', agencyIds: ['agency-a'] };
    expect(platformMaySee(platform, { agencyId: 'agency-a', importedFrom: 'zlgk' })).toBe(true);
    expect(platformMaySee(platform, { agencyId: 'agency-a', importedFrom: 'ywtb' })).toBe(false);
    expect(platformMaySee(platform, { agencyId: 'agency-a', importedFrom: null })).toBe(false);
    expect(platformMaySee(platform, { agencyId: 'agency-b', importedFrom: 'zlgk' })).toBe(false);
  });
});
