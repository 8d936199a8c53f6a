// The first conclusion of a case (rules.md §8): which events conclude, and the row each counts in.
import { CONCLUDING_EVENT_TYPES, conclusionOf, isReportOutcome, lastDecidedOutcome, type LoggedEvent } from './index';

const event = (type: string, payload: Record<string, unknown> = {}): LoggedEvent => ({ type, payload });

describe('the first conclusion of a case', () => {
  const decidedTwice = [event('REGISTER'), event('DECIDE', { outcome: 'withheld.process_info' }), event('RETURN'), event('DECIDE', { outcome: 'partial' })];

  it('a reply counts the outcome of the last decision before it', () => {
    expect(conclusionOf('ISSUE_REPLY', '2025-03-20', decidedTwice)).toEqual({ at: '2025-03-20', outcome: 'partial' });
  });

  it('a reply with no decision before it concludes with no outcome', () => {
    expect(conclusionOf('ISSUE_REPLY', '2025-03-20', [event('REGISTER')])).toEqual({ at: '2025-03-20', outcome: null });
    expect(lastDecidedOutcome([event('DECIDE', {})])).toBeNull();
  });

  it('withdrawal and the two lapses have rows of their own, whatever was decided', () => {
    expect(conclusionOf('WITHDRAW', '2025-04-01', decidedTwice)).toEqual({ at: '2025-04-01', outcome: 'other.other' });
    expect(conclusionOf('SUPPLEMENT_LAPSED', '2025-04-01', [])).toEqual({ at: '2025-04-01', outcome: 'other.no_supplement' });
    expect(conclusionOf('FEE_LAPSED', '2025-04-01', [])).toEqual({ at: '2025-04-01', outcome: 'other.fee_unpaid' });
  });

  it('other events conclude nothing', () => {
    for (const type of ['REGISTER', 'DECIDE', 'APPROVE', 'REOPEN', 'RECORD_SERVICE', 'DECIDE_PROACTIVE']) {
      expect(conclusionOf(type, '2025-04-01', decidedTwice)).toBeNull();
    }
  });

  it('every fixed row is a row of the report', () => {
    for (const type of CONCLUDING_EVENT_TYPES.filter((type) => type !== 'ISSUE_REPLY')) {
      expect(isReportOutcome(conclusionOf(type, '2025-01-01', [])!.outcome!)).toBe(true);
    }
  });
});
