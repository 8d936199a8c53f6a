import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { CaseViewService } from '../cases/case-view.service';
import { DisputesService } from '../disputes/disputes.service';
import { NotificationsService } from '../notifications/notifications.service';
import { LettersService } from '../letters/letters.service';
import { notFound } from '../common/domain-error';
import { QueuePages, QUEUE_VIEWS, readQueueFilters, type QueueView } from './queue-page.service';

interface Card {
  view: QueueView;
  hint: string;
  tone: 'urgent' | 'warn' | 'calm' | 'info';
}

/** The counts each role starts its day with (issue 16 item 2); every card opens the queue it counts. */
const CARDS: Record<string, Card[]> = {
  intake: [
    { view: 'online', hint: '与申请人确认收到，出具接收回执（第三十一条）', tone: 'warn' },
    { view: 'unassigned', hint: '分办给承办部门', tone: 'info' },
    { view: 'supplement', hint: '补正期限在进行中（第三十条）', tone: 'calm' },
    { view: 'service', hint: '出具后记录送达', tone: 'info' },
  ],
  handler: [
    { view: 'overdue', hint: '已超过答复期限', tone: 'urgent' },
    { view: 'due_soon', hint: '即将届满的答复期限', tone: 'warn' },
    { view: 'returned', hint: '审核退回，请按意见修改', tone: 'warn' },
    { view: 'mine', hint: '全部在办', tone: 'info' },
  ],
  legal: [{ view: 'review', hint: '合法性审查', tone: 'warn' }],
  head: [
    { view: 'signing', hint: '签发答复书', tone: 'warn' },
    { view: 'extension', hint: '审批延长答复期限（第三十三条第二款）', tone: 'warn' },
    { view: 'overdue', hint: '督办：已超过答复期限', tone: 'urgent' },
    { view: 'due_soon', hint: '督办：即将届满', tone: 'info' },
  ],
};

/** Each role's home page: its counts, what waits for it by name, and the notices of the clock. */
@Injectable()
export class HomePages {
  constructor(
    private readonly cases: CaseViewService,
    private readonly queues: QueuePages,
    private readonly disputes: DisputesService,
    private readonly notifications: NotificationsService,
    private readonly letters: LettersService,
  ) {}

  /** The replies awaiting this user's step: 合法性审查 for legal, 签发 for the head. */
  async reviewQueues(principal: Principal, address: string) {
    const sections = [];
    for (const [role, view] of [['legal', 'review'], ['head', 'signing']] as const) {
      if (!principal.roles.includes(role)) continue;
      const query = await this.queues.query(principal, readQueueFilters({ view }, view).filters, 1, 100);
      const { items } = await this.cases.list(principal, query, address);
      sections.push({ role, label: QUEUE_VIEWS[view].label, items });
    }
    return { sections };
  }

  /** The reply of a case still in the making (the draft under review), or 404. */
  async openReply(principal: Principal, caseId: string): Promise<string> {
    await this.cases.assertAccess(principal, caseId);
    const letters = await this.letters.forCase(caseId);
    const open = [...letters].reverse().find((letter) => (letter.kind === 'reply' || letter.kind === 'correction_reply') && letter.status !== 'issued');
    if (!open) throw notFound('本案没有待审查的答复书');
    return open.id;
  }

  async page(principal: Principal) {
    const sections = [];
    for (const role of ['intake', 'handler', 'legal', 'head'] as const) {
      if (!principal.roles.includes(role)) continue;
      const cards = await Promise.all(
        CARDS[role].map(async (card) => {
          const query = await this.queues.query(principal, readQueueFilters({ view: card.view }, card.view).filters, 1, 1);
          const { page: _page, pageSize: _pageSize, ...filters } = query;
          const { total, exact } = await this.cases.count(principal, filters);
          // A queue of more than a thousand is shown as such: counting it exactly would read every case (CaseRepository.count).
          return { ...card, label: QUEUE_VIEWS[card.view].label, count: exact ? String(total) : `${total}+`, href: `/staff/queue?view=${card.view}` };
        }),
      );
      sections.push({ role, cards });
    }
    const [assistance, disputes, notices] = await Promise.all([
      principal.roles.includes('handler') ? this.cases.openAssistanceRequests(principal) : Promise.resolve([]),
      principal.roles.includes('legal') || principal.roles.includes('head') ? this.disputes.open(principal) : Promise.resolve([]),
      this.notifications.listFor(principal.userId),
    ]);
    return {
      sections,
      assistance,
      disputes,
      notices: notices.items.filter((item) => !item.readAt).slice(0, 5),
      isAdmin: principal.roles.includes('admin'),
    };
  }
}
