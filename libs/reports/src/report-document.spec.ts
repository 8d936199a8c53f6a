import { aggregateAnnualReport, emptyReport, type ReportCase } from './annual-report';
import { cellLabel, feeParagraph, overviewParagraph, percent, reportBreaches } from './report-document';

const person = (id: string, receivedAt: string, conclusion: ReportCase['conclusion']): ReportCase => ({ caseId: id, category: 'natural_person', receivedAt, conclusion, requestType: 'disclosure' });

describe('annual report document: the tables’ identities, section 一 and 六', () => {
  const report = aggregateAnnualReport(
    2025,
    [
      person('a', '2025-03-01', { at: '2025-03-20', outcome: 'disclosed' }),
      person('b', '2024-12-20', { at: '2025-01-10', outcome: 'partial' }),
      person('c', '2025-12-20', null),
      { ...person('d', '2025-05-01', { at: '2025-05-20', outcome: 'withheld.process_info' }), category: 'business' },
    ],
    [
      { disputeId: 'r1', caseId: 'a', kind: 'review', afterReview: false, filedAt: '2025-04-01', result: 'corrected', decidedAt: '2025-06-01' },
      { disputeId: 'r2', caseId: 'b', kind: 'review', afterReview: false, filedAt: '2025-04-01', result: 'upheld', decidedAt: '2025-06-01' },
      { disputeId: 'l1', caseId: 'd', kind: 'litigation', afterReview: true, filedAt: '2025-07-01', result: null, decidedAt: null },
    ],
  );

  it('a consistent report breaks no identity', () => {
    expect(reportBreaches(report)).toEqual([]);
    expect(reportBreaches(emptyReport(2025))).toEqual([]);
  });

  it('names every cell a wrong figure breaks, with the cells on the other side', () => {
    const tampered = structuredClone(report);
    tampered.applications['withheld.state_secret'].business += 1;
    const breaches = reportBreaches(tampered);
    expect(breaches.map((breach) => breach.cell).sort()).toEqual(['withheld.state_secret|total', 'withheld|business'].sort());
    expect(breaches.find((breach) => breach.cell === 'withheld|business')).toMatchObject({
      identity: '（三）不予公开·商业企业 应等于其各小项之和',
      value: 1,
      sum: 2,
      parts: expect.arrayContaining(['withheld.state_secret|business', 'withheld.process_info|business']),
    });
    const carried = structuredClone(report);
    carried.applications.carried_forward.total += 1;
    expect(reportBreaches(carried)).toContainEqual(
      expect.objectContaining({ identity: '总计列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度', cell: 'total|total', value: 3, sum: 2 }),
    );
    const disputes = structuredClone(report);
    disputes.disputes.review.total = 5;
    expect(reportBreaches(disputes)).toEqual([expect.objectContaining({ cell: 'disputes.review|total', value: 5, sum: 2 })]);
    expect(cellLabel('disputes.litigation_after_review|pending')).toBe('复议后起诉·尚未审结');
    expect(cellLabel('withheld.process_info|business')).toBe('6.属于四类过程性信息·商业企业');
  });

  it('section 一: the year’s figures, the change on the year before, disputes and the correction rate', () => {
    const previous = aggregateAnnualReport(2024, [person('x', '2024-03-01', null), person('y', '2024-04-01', null), person('z', '2024-05-01', null), person('w', '2024-06-01', null)], []);
    expect(overviewParagraph(2025, report, previous)).toBe(
      '2025年，本机关新收政府信息公开申请3件，比上年（4件）减少1件（下降25%）；上年结转1件。' +
        '本年度办理结果共3件，其中予以公开1件，部分公开1件，不予公开1件，无法提供0件，不予处理0件，其他处理0件；结转下年度继续办理1件。' +
        '本年度涉及政府信息公开的行政复议2件，已审结2件，其中结果纠正1件，纠错率50%；行政诉讼1件，均未审结。',
    );
    expect(overviewParagraph(2025, report, null)).toMatch(/^2025年，本机关新收政府信息公开申请3件；/);
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(1, 0)).toBeNull();
  });

  it('section 六: 信息处理费 charged and collected', () => {
    expect(feeParagraph({ noticesSent: 2, amountCharged: 4900, paymentsReceived: 1, amountCollected: 4700 })).toBe(
      '本年度本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知2件，金额合计4,900元；实际收取信息处理费1件，金额合计4,700元。',
    );
    expect(feeParagraph({ noticesSent: 0, amountCharged: 0, paymentsReceived: 0, amountCollected: 0 })).toBe('本年度本机关未收取信息处理费，未发出收费通知。');
  });
});
