import { addCalendarDays, type IsoDate } from '@desk/calendar';
import { applyEvent, isConcluded, startCase, type CaseEvent, type CaseEventType, type CaseSnapshot, type TransitionResult } from '@desk/case-workflow';
import { conclusionOf, type LoggedEvent } from '@desk/reports';

/**
 * The life stories the seed gives its cases. Each is played once through the real workflow machine on a canonical
 * receipt date, so every state_after, snapshot and prerequisite is exactly what the service would have written; the
 * seed then shifts the recorded dates to each case's own receipt date in SQL. Dates are written as day offsets from
 * the receipt date (`@@D<n>@@`), the handler as `@@H@@` and the reply's 文号 as `@@DOC1@@`, `@@DOC2@@`.
 */

export type SeedActor = 'applicant' | 'intake' | 'handler' | 'legal' | 'head' | 'system';

export interface SeedStep {
  type: CaseEventType;
  day: number;
  actor: SeedActor;
  /** What the service logs besides type and at; dates and names as tokens. */
  payload?: Record<string, unknown>;
}

/** How the application arrived: at the desk (its receipt is its registration) or online (confirmed a day later). */
type Arrival = 'desk' | 'online';

interface Story {
  name: string;
  /** Open stories are for recent cases (and a few stuck old ones); closed stories end concluded. */
  open: boolean;
  weight: number;
  steps: SeedStep[];
  arrivals?: Arrival[];
  requestType?: 'disclosure' | 'correction';
  /** The earliest age (days since receipt) a case may have to be given this story: every step must lie in the past. */
  minAgeDays?: number;
  /** Art. 33 ¶2: the reply clock was extended by this many working days. */
  extendedWorkingDays?: number;
}

export interface Archetype {
  id: number;
  name: string;
  open: boolean;
  weight: number;
  minAgeDays: number;
  requestType: 'disclosure' | 'correction';
  channelKind: Arrival;
  steps: (SeedStep & { sequence: number; stateAfter: string; payloadTemplate: string })[];
  /** Snapshot JSON with date, handler tokens. */
  snapshotTemplate: string;
  state: string;
  receivedDay: number | null;
  /** The day the reply clock (re)started: the receipt, or the supplement's receipt (Art. 30); null while waiting. */
  clockStartDay: number | null;
  extendedWorkingDays: number;
  outcome: string | null;
  concludedDay: number | null;
  firstConclusion: { day: number; outcome: string | null } | null;
  lastEventDay: number;
  handled: boolean;
  /** Days (offsets) used anywhere in the templates. */
  days: number[];
}

const day = (offset: number): string => `@@D${offset}@@`;
const HANDLER = '@@H@@';

const CANONICAL_RECEIPT: IsoDate = '2024-03-04';

const REVIEW_AND_ISSUE = (from: number, document = '@@DOC1@@'): SeedStep[] => [
  { type: 'APPROVE', day: from, actor: 'legal' },
  { type: 'APPROVE', day: from + 1, actor: 'head' },
  { type: 'ISSUE_REPLY', day: from + 2, actor: 'intake', payload: { documentNumber: document } },
];
const ASSIGN = (at: number): SeedStep => ({ type: 'ASSIGN', day: at, actor: 'intake', payload: { handler: HANDLER } });
const DECIDE = (at: number, outcome: string, fields: Record<string, unknown> = {}): SeedStep => ({
  type: 'DECIDE',
  day: at,
  actor: 'handler',
  payload: { outcome, ...(outcome === 'disclosed' ? {} : { reasons: '依据《政府信息公开条例》相关规定作出决定' }), ...fields },
});
const PROVIDED = { provided: '以纸质复印件形式提供' };
const SERVICE = (at: number): SeedStep => ({ type: 'RECORD_SERVICE', day: at, actor: 'intake', payload: { method: 'post', postalService: 'ems', trackingNumber: 'EMS1000000000' } });
const PROACTIVE = (at: number): SeedStep => ({ type: 'DECIDE_PROACTIVE', day: at, actor: 'handler', payload: { publish: false, reason: '涉及特定申请人，不具有普遍性' } });
const SEARCH = (at: number): SeedStep => ({ type: 'RECORD_SEARCH', day: at, actor: 'handler', payload: { scope: 'OA系统、档案室', terms: '申请所述事项', result: '经检索未找到' } });

// Weights follow the mix of outcomes the national annual reports show for district-level agencies: about a third
// disclosed, a third unavailable (mostly 不掌握), the rest withheld, not processed, withdrawn or lapsed.
const STORIES: Story[] = [
  {
    name: 'disclosed',
    open: false,
    weight: 30,
    steps: [ASSIGN(1), DECIDE(12, 'disclosed', PROVIDED), ...REVIEW_AND_ISSUE(14), PROACTIVE(17), SERVICE(19)],
  },
  {
    name: 'partial',
    open: false,
    weight: 8,
    steps: [ASSIGN(1), DECIDE(13, 'partial', { ...PROVIDED, withheld: '内部人事管理信息部分', withheldBasis: 'withheld.internal_affairs' }), ...REVIEW_AND_ISSUE(15), PROACTIVE(18), SERVICE(20)],
  },
  {
    name: 'not_held',
    open: false,
    weight: 24,
    steps: [ASSIGN(1), SEARCH(6), DECIDE(10, 'unavailable.not_held'), ...REVIEW_AND_ISSUE(12), SERVICE(16)],
  },
  {
    name: 'not_held_extended',
    open: false,
    weight: 4,
    extendedWorkingDays: 20,
    steps: [
      ASSIGN(1),
      { type: 'REQUEST_EXTENSION', day: 24, actor: 'handler', payload: { workingDays: 20, reason: '需多部门检索' } },
      { type: 'EXTEND', day: 25, actor: 'head', payload: { workingDays: 20, reason: '需多部门检索', dueDate: day(28), dueDateBeforeExtension: day(28) } },
      SEARCH(30),
      DECIDE(36, 'unavailable.not_held'),
      ...REVIEW_AND_ISSUE(38),
      SERVICE(43),
    ],
  },
  { name: 'needs_creation', open: false, weight: 4, steps: [ASSIGN(1), DECIDE(11, 'unavailable.needs_creation'), ...REVIEW_AND_ISSUE(13)] },
  { name: 'process_info', open: false, weight: 5, steps: [ASSIGN(1), DECIDE(14, 'withheld.process_info'), ...REVIEW_AND_ISSUE(16), SERVICE(20)] },
  {
    name: 'third_party',
    open: false,
    weight: 2,
    steps: [
      ASSIGN(1),
      { type: 'START_CONSULTATION', day: 4, actor: 'handler', payload: { kind: 'third_party', party: '某置业有限公司', partyReceivedAt: day(6) } },
      { type: 'END_CONSULTATION', day: 20, actor: 'handler', payload: { answer: 'objection', summary: '第三方书面表示不同意公开' } },
      DECIDE(24, 'withheld.third_party'),
      ...REVIEW_AND_ISSUE(26),
    ],
  },
  { name: 'admin_query', open: false, weight: 2, steps: [ASSIGN(1), DECIDE(8, 'withheld.admin_query'), ...REVIEW_AND_ISSUE(10)] },
  { name: 'petition', open: false, weight: 3, steps: [ASSIGN(1), DECIDE(6, 'not_processed.petition'), ...REVIEW_AND_ISSUE(8)] },
  { name: 'publication', open: false, weight: 2, steps: [ASSIGN(1), DECIDE(7, 'not_processed.publication'), ...REVIEW_AND_ISSUE(9)] },
  {
    name: 'supplemented',
    open: false,
    weight: 5,
    steps: [
      { type: 'REQUEST_SUPPLEMENT', day: 2, actor: 'intake', payload: { items: ['所需信息的名称或文号'], periodWorkingDays: 15 } },
      { type: 'RECEIVE_SUPPLEMENT', day: 9, actor: 'intake' },
      ASSIGN(10),
      DECIDE(22, 'disclosed', PROVIDED),
      ...REVIEW_AND_ISSUE(24),
      PROACTIVE(27),
    ],
  },
  {
    name: 'supplement_lapsed',
    open: false,
    weight: 4,
    steps: [
      { type: 'REQUEST_SUPPLEMENT', day: 2, actor: 'intake', payload: { items: ['所需信息的名称或文号'], periodWorkingDays: 15 } },
      { type: 'SUPPLEMENT_LAPSED', day: 26, actor: 'system', payload: { supplementDueDate: day(23) } },
    ],
  },
  { name: 'withdrawn', open: false, weight: 4, steps: [ASSIGN(1), { type: 'WITHDRAW', day: 6, actor: 'intake', payload: { reason: '申请人书面撤回' } }] },
  {
    name: 'fee_lapsed',
    open: false,
    weight: 0.5,
    steps: [
      ASSIGN(1),
      { type: 'SEND_FEE_NOTICE', day: 5, actor: 'handler', payload: { method: 'per_page', pages: 300, amountYuan: 200, noticeReceivedAt: day(7) } },
      { type: 'FEE_LAPSED', day: 40, actor: 'system', payload: { feeDueDate: day(36) } },
    ],
  },
  {
    // A corrected review ordered a new reply: the case counts where it first concluded (rules.md §8).
    name: 'reopened_reconcluded',
    open: false,
    weight: 0.5,
    minAgeDays: 140,
    steps: [
      ASSIGN(1),
      DECIDE(14, 'withheld.process_info'),
      ...REVIEW_AND_ISSUE(16),
      { type: 'REOPEN', day: 95, actor: 'legal', payload: { reason: '行政复议决定责令重新答复', reference: '某府复决〔2024〕1号' } },
      ASSIGN(96),
      DECIDE(110, 'disclosed', PROVIDED),
      ...REVIEW_AND_ISSUE(112, '@@DOC2@@'),
      PROACTIVE(116),
    ],
  },
  {
    name: 'correction',
    open: false,
    weight: 1,
    requestType: 'correction',
    arrivals: ['desk'],
    steps: [ASSIGN(1), DECIDE(10, 'correction.corrected'), ...REVIEW_AND_ISSUE(12, '@@DOC1@@')],
  },
  // Open cases: received in the last weeks, at every step of the work.
  { name: 'open_unconfirmed', open: true, weight: 4, arrivals: ['online'], steps: [] },
  { name: 'open_registered', open: true, weight: 10, steps: [] },
  { name: 'open_handling', open: true, weight: 30, steps: [ASSIGN(1)] },
  { name: 'open_searched', open: true, weight: 15, steps: [ASSIGN(1), SEARCH(3)] },
  {
    name: 'open_supplement',
    open: true,
    weight: 8,
    steps: [{ type: 'REQUEST_SUPPLEMENT', day: 2, actor: 'intake', payload: { items: ['所需信息的名称或文号'], periodWorkingDays: 15 } }],
  },
  {
    name: 'open_consulting',
    open: true,
    weight: 5,
    steps: [ASSIGN(1), { type: 'START_CONSULTATION', day: 4, actor: 'handler', payload: { kind: 'third_party', party: '某置业有限公司', partyReceivedAt: day(6) } }],
  },
  { name: 'open_legal_review', open: true, weight: 8, steps: [ASSIGN(1), SEARCH(6), DECIDE(8, 'unavailable.not_held')] },
  { name: 'open_head_approval', open: true, weight: 5, steps: [ASSIGN(1), DECIDE(8, 'disclosed', PROVIDED), { type: 'APPROVE', day: 9, actor: 'legal' }] },
];

function arrivalSteps(arrival: Arrival, requestType: 'disclosure' | 'correction', channel: string): SeedStep[] {
  return arrival === 'desk'
    ? [{ type: 'REGISTER', day: 0, actor: 'intake', payload: { channel, requestType } }]
    : [
        { type: 'SUBMIT_ONLINE', day: -1, actor: 'applicant', payload: { channel: 'online', requestType } },
        { type: 'CONFIRM_RECEIPT', day: 0, actor: 'intake' },
      ];
}

const DAY_TOKEN = /@@D(-?\d+)@@/g;

function materialise(template: string): string {
  return template.replace(DAY_TOKEN, (_match, offset: string) => addCalendarDays(CANONICAL_RECEIPT, Number(offset))).replaceAll(HANDLER, 'bench-handler');
}

function ok(result: TransitionResult, story: string, step: string): Extract<TransitionResult, { ok: true }> {
  if (!result.ok) throw new Error(`bench story ${story}: ${step} refused by the workflow: ${result.problems.join('; ')}`);
  return result;
}

/** Every story, for each arrival it allows, played through the machine. Desk arrivals take the channel placeholder. */
export function buildArchetypes(): Archetype[] {
  const archetypes: Archetype[] = [];
  for (const story of STORIES) {
    const requestType = story.requestType ?? 'disclosure';
    for (const arrival of story.arrivals ?? (['desk', 'online'] as const)) {
      const unconfirmed = story.name === 'open_unconfirmed';
      const creation = arrivalSteps(arrival, requestType, '@@CHANNEL@@').slice(0, unconfirmed ? 1 : undefined);
      const steps = [...creation, ...story.steps];
      let snapshot: CaseSnapshot | null = null;
      let persisted: unknown = null;
      let state = '';
      const played: Archetype['steps'] = [];
      const logged: LoggedEvent[] = [];
      let firstConclusion: Archetype['firstConclusion'] = null;
      steps.forEach((step, index) => {
        const payloadTemplate = JSON.stringify(step.payload ?? {});
        const payload = JSON.parse(materialise(payloadTemplate).replace('@@CHANNEL@@', 'in_person')) as Record<string, unknown>;
        const event = { ...payload, type: step.type, at: addCalendarDays(CANONICAL_RECEIPT, step.day) } as CaseEvent;
        const result = ok(snapshot ? applyEvent(snapshot, event) : startCase(event), story.name, step.type);
        snapshot = result.snapshot;
        persisted = result.persisted;
        state = result.state;
        // The same derivation the service projects onto the case row (libs/reports first-conclusion.ts).
        const conclusion = conclusionOf(step.type, event.at, logged);
        if (conclusion && !firstConclusion) firstConclusion = { day: step.day, outcome: conclusion.outcome };
        logged.push({ type: step.type, payload });
        played.push({ ...step, sequence: index + 1, stateAfter: result.state, payloadTemplate });
      });
      const final = snapshot as CaseSnapshot | null;
      if (!final) throw new Error(`bench story ${story.name} has no steps`);
      const context = final.context;
      const dayOf = (date: string | null): number | null => {
        if (date === null) return null;
        const offset = played.find((step) => addCalendarDays(CANONICAL_RECEIPT, step.day) === date)?.day;
        if (offset === undefined) throw new Error(`bench story ${story.name}: ${date} is no step's date`);
        return offset;
      };
      // Back from canonical dates to offset tokens: every date in the snapshot is one of the steps' dates.
      let snapshotTemplate = JSON.stringify(persisted).replaceAll('"bench-handler"', `"${HANDLER}"`).replace('"channel":"in_person"', '"channel":"@@CHANNEL@@"');
      const days = [...new Set(played.flatMap((step) => [step.day, ...[...step.payloadTemplate.matchAll(DAY_TOKEN)].map((match) => Number(match[1]))]))];
      for (const offset of days) snapshotTemplate = snapshotTemplate.replaceAll(`"${addCalendarDays(CANONICAL_RECEIPT, offset)}"`, `"${day(offset)}"`);
      const supplementReceived = played.find((step) => step.type === 'RECEIVE_SUPPLEMENT');
      const receivedDay = dayOf(context.receivedAt);
      archetypes.push({
        id: archetypes.length + 1,
        name: `${story.name}/${arrival}`,
        open: story.open,
        // Two thirds of applications come in at the desk, by post or email; a third online.
        weight: story.weight * (story.arrivals ? 1 : arrival === 'desk' ? 2 / 3 : 1 / 3),
        minAgeDays: story.minAgeDays ?? Math.max(0, ...played.map((step) => step.day)) + 5,
        requestType,
        channelKind: arrival,
        steps: played,
        snapshotTemplate,
        state,
        receivedDay,
        clockStartDay: state === 'awaitingSupplement' ? null : supplementReceived ? supplementReceived.day : receivedDay,
        extendedWorkingDays: story.extendedWorkingDays ?? 0,
        outcome: context.outcome,
        concludedDay: isConcluded(state) ? dayOf(context.concludedAt) : null,
        firstConclusion,
        lastEventDay: played[played.length - 1].day,
        handled: played.some((step) => step.type === 'ASSIGN'),
        days,
      });
    }
  }
  return archetypes;
}
