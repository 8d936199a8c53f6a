import { caseNumberCandidates, parseTypedCaseNumber, type CaseNumbering } from './case-number-input';
import { DEFAULT_CASE_NUMBER_PATTERN } from './document-number';

const DESK: CaseNumbering = { prefix: '沪某房依申', pattern: DEFAULT_CASE_NUMBER_PATTERN };
const OTHER: CaseNumbering = { prefix: '沪某规依申', pattern: '{prefix}〔{year}〕{n}号' };

describe('case numbers as applicants type them', () => {
  it.each([
    '沪某房依申〔2026〕第00008号',
    '沪某房依申[2026]第8号',
    '沪某房依申(2026)第8号',
    '沪某房依申（2026）第00008号',
    '沪某房依申［２０２６］第８号',
    '沪某房依申【2026】8号',
    '沪某房依申〔2026〕00008',
    '沪某房依申2026年第8号',
    ' 沪某房依申 〔2026〕 第 8 号 ',
    '〔2026〕第8号',
    '(2026)8',
    '2026年第8号',
    '2026-8',
    '2026-00008',
    '2026/8',
    '2026 8',
  ])('%s → 沪某房依申〔2026〕第00008号', (typed) => {
    expect(caseNumberCandidates(typed, [DESK])[0]).toBe('沪某房依申〔2026〕第00008号');
  });

  it('reads the year and the serial, and the prefix as typed', () => {
    expect(parseTypedCaseNumber('沪某房依申（2026）第00012号')).toEqual({ prefix: '沪某房依申', year: 2026, serial: 12 });
    expect(parseTypedCaseNumber('2025-123')).toEqual({ prefix: '', year: 2025, serial: 123 });
  });

  it.each(['20268', '8', '第8号', '00008', '沪某房依申', '2026', '2026-0', '', 'abc'])('does not guess a number from %p', (typed) => {
    expect(parseTypedCaseNumber(typed)).toBeNull();
  });

  it('tries the text as typed last, so a number in a pattern it does not read is still found when typed exactly', () => {
    expect(caseNumberCandidates('沪某房依申[2026]第8号', [DESK])).toEqual(['沪某房依申〔2026〕第00008号', '沪某房依申[2026]第8号']);
    expect(caseNumberCandidates('A-2026-X', [DESK])).toEqual(['A-2026-X']);
    expect(caseNumberCandidates('沪某房依申〔2026〕第00008号', [DESK])).toEqual(['沪某房依申〔2026〕第00008号']);
  });

  it('with several agencies: the one whose prefix was typed; every one when only the year and serial were', () => {
    expect(caseNumberCandidates('沪某规依申(2026)8号', [DESK, OTHER])).toEqual(['沪某规依申〔2026〕8号', '沪某规依申(2026)8号']);
    expect(caseNumberCandidates('2026-8', [DESK, OTHER])).toEqual(['沪某房依申〔2026〕第00008号', '沪某规依申〔2026〕8号', '2026-8']);
    // A prefix typed wrong matches no agency: every agency's number is tried (the 查询码 still has to match).
    expect(caseNumberCandidates('沪房依申(2026)8号', [DESK, OTHER])).toEqual(['沪某房依申〔2026〕第00008号', '沪某规依申〔2026〕8号', '沪房依申(2026)8号']);
  });

  it('skips an agency whose pattern is broken', () => {
    expect(caseNumberCandidates('2026-8', [{ prefix: 'X', pattern: '{prefix}' }, DESK])).toEqual(['沪某房依申〔2026〕第00008号', '2026-8']);
  });
});
