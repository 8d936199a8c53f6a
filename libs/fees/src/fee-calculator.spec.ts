// Expected amounts are worked out by hand from rules.md §5 / 国办函〔2020〕109号, never with the code under test.
import {
  FEE_BASIS,
  PER_ITEM_TARIFF,
  PER_PAGE_BANDS,
  itemsEarlierInMonth,
  perItemBandFor,
  quote,
  quotePerItem,
  quotePerPage,
  type FeeBand,
  type PerItemTariff,
} from './index';

describe('按量计收 quotePerPage (rules.md §5)', () => {
  it.each([
    [0, 0],
    [30, 0],
    [31, 10], // 1×10
    [100, 700], // 70×10
    [101, 720], // 700 + 1×20
    [200, 2700], // 700 + 100×20
    [201, 2740], // 2700 + 1×40
    [250, 4700], // 700 + 2000 + 50×40
    [1000, 34700], // 700 + 2000 + 800×40
  ])('%i pages cost %i 元', (pages, yuan) => {
    const q = quotePerPage(pages);
    expect(q.method).toBe('per_page');
    expect(q.amountYuan).toBe(yuan);
  });

  it('prices the spec example, 250 pages, in three lines', () => {
    const q = quotePerPage(250);
    expect(q.lines).toEqual([
      { from: 31, to: 100, units: 70, yuanPerUnit: 10, amountYuan: 700 },
      { from: 101, to: 200, units: 100, yuanPerUnit: 20, amountYuan: 2000 },
      { from: 201, to: 250, units: 50, yuanPerUnit: 40, amountYuan: 2000 },
    ]);
    expect(q.explanation).toBe(
      '共250页：第31—100页70页×10元=700元；第101—200页100页×20元=2000元；第201—250页50页×40元=2000元；合计4700元',
    );
    expect(q.basis).toBe(FEE_BASIS);
    expect(q.basis).toContain('第四十二条');
    expect(q.basis).toContain('国办函〔2020〕109号');
  });

  it('states the standard with every threshold and rate', () => {
    expect(quotePerPage(0).standard).toBe(
      '按量计收：30页（含）以内免费；31—100页每页10元；101—200页每页20元；200页以上每页40元',
    );
  });

  it('gives no lines and says so when everything is free', () => {
    const q = quotePerPage(30);
    expect(q.lines).toEqual([]);
    expect(q.explanation).toBe('共30页：均在免费范围内，不收费；合计0元');
  });

  it('one line for a single page in a band', () => {
    const q = quotePerPage(31);
    expect(q.lines).toEqual([{ from: 31, to: 31, units: 1, yuanPerUnit: 10, amountYuan: 10 }]);
    expect(q.explanation).toBe('共31页：第31页1页×10元=10元；合计10元');
  });

  it('uses a band table passed as a parameter', () => {
    const bands: FeeBand[] = [
      { from: 1, to: 10, yuanPerUnit: 0 },
      { from: 11, to: null, yuanPerUnit: 0.5 },
    ];
    const q = quotePerPage(25, bands); // 15 × 0.5 = 7.5
    expect(q.amountYuan).toBe(7.5);
    expect(q.standard).toBe('按量计收：10页（含）以内免费；10页以上每页0.50元');
    expect(q.explanation).toBe('共25页：第11—25页15页×0.50元=7.50元；合计7.50元');
  });

  it('sums cents exactly (no floating-point drift)', () => {
    // 0.1 + 0.2 style drift: 3 pages at 0.10 + 3 pages at 0.20 = 0.90 exactly.
    const bands: FeeBand[] = [
      { from: 1, to: 3, yuanPerUnit: 0.1 },
      { from: 4, to: null, yuanPerUnit: 0.2 },
    ];
    expect(quotePerPage(6, bands).amountYuan).toBe(0.9);
  });

  it('keeps the default table frozen', () => {
    expect(Object.isFrozen(PER_PAGE_BANDS)).toBe(true);
    expect(Object.isFrozen(PER_PAGE_BANDS[0])).toBe(true);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1_000_001])('refuses %p pages', (pages) => {
    expect(() => quotePerPage(pages)).toThrow(RangeError);
    expect(() => quotePerPage(pages)).toThrow(/页数.*pages/);
  });

  it('accepts the largest sane volume', () => {
    // 700 + 2000 + (1 000 000 − 200) × 40 = 2700 + 39 992 000
    expect(quotePerPage(1_000_000).amountYuan).toBe(39_994_700);
  });

  it.each<[string, FeeBand[]]>([
    ['empty', []],
    ['not starting at 1', [{ from: 2, to: null, yuanPerUnit: 1 }]],
    ['with a gap', [{ from: 1, to: 10, yuanPerUnit: 0 }, { from: 12, to: null, yuanPerUnit: 1 }]],
    ['with an overlap', [{ from: 1, to: 10, yuanPerUnit: 0 }, { from: 10, to: null, yuanPerUnit: 1 }]],
    ['not open-ended', [{ from: 1, to: 10, yuanPerUnit: 0 }]],
    ['open-ended too early', [{ from: 1, to: null, yuanPerUnit: 0 }, { from: 2, to: null, yuanPerUnit: 1 }]],
    ['with a negative rate', [{ from: 1, to: null, yuanPerUnit: -1 }]],
    ['with a sub-cent rate', [{ from: 1, to: null, yuanPerUnit: 0.001 }]],
  ])('refuses a band table %s', (_label, bands) => {
    expect(() => quotePerPage(5, bands)).toThrow(RangeError);
  });
});

describe('按件计收 perItemBandFor (rules.md §5, band reading [verify])', () => {
  it.each([
    [1, { from: 1, to: 10, yuanPerUnit: 0 }],
    [10, { from: 1, to: 10, yuanPerUnit: 0 }],
    [11, { from: 11, to: 30, yuanPerUnit: 100 }],
    [30, { from: 11, to: 30, yuanPerUnit: 100 }],
    [31, { from: 31, to: 40, yuanPerUnit: 200 }],
    [40, { from: 31, to: 40, yuanPerUnit: 200 }],
    [41, { from: 41, to: 50, yuanPerUnit: 300 }],
    [51, { from: 51, to: 60, yuanPerUnit: 400 }],
    [60, { from: 51, to: 60, yuanPerUnit: 400 }],
    [61, { from: 61, to: 70, yuanPerUnit: 500 }],
    // 31–40:200, 41–50:300, 51–60:400, 61–70:500, 71–80:600, 81–90:700, 91–100:800, 101–110:900
    [101, { from: 101, to: 110, yuanPerUnit: 900 }],
  ])('item %i falls in %o', (item, band) => {
    expect(perItemBandFor(item)).toEqual(band);
  });

  it('exports the tariff as frozen data', () => {
    expect(PER_ITEM_TARIFF).toEqual({
      freeItems: 10,
      firstBand: { from: 11, to: 30, yuanPerUnit: 100 },
      bandSize: 10,
      bandIncrementYuan: 100,
    });
    expect(Object.isFrozen(PER_ITEM_TARIFF)).toBe(true);
    expect(Object.isFrozen(PER_ITEM_TARIFF.firstBand)).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses item number %p', (n) => {
    expect(() => perItemBandFor(n)).toThrow(RangeError);
  });
});

describe('按件计收 quotePerItem (rules.md §5)', () => {
  it('the first 10 items of a month are free', () => {
    const q = quotePerItem(0, 10);
    expect(q.method).toBe('per_item');
    expect(q.amountYuan).toBe(0);
    expect(q.lines).toEqual([]);
    expect(q.explanation).toBe('本自然月内此前已申请0件，本次申请计10件（本月第1—10件）：均在免费范围内，不收费；合计0元');
    expect(quotePerItem(9, 1).amountYuan).toBe(0);
  });

  it('the 11th item costs 100 元', () => {
    const q = quotePerItem(10, 1);
    expect(q.amountYuan).toBe(100);
    expect(q.lines).toEqual([{ from: 11, to: 11, units: 1, yuanPerUnit: 100, amountYuan: 100 }]);
  });

  it('8 earlier items + an application of 5 pays for items 11–13 = 300 元', () => {
    const q = quotePerItem(8, 5);
    expect(q.amountYuan).toBe(300);
    expect(q.lines).toEqual([{ from: 11, to: 13, units: 3, yuanPerUnit: 100, amountYuan: 300 }]);
    expect(q.explanation).toBe('本自然月内此前已申请8件，本次申请计5件（本月第9—13件）：第11—13件3件×100元=300元；合计300元');
  });

  it('items 29–32 = 100+100+200+200 = 600 元, across the 30/31 boundary', () => {
    const q = quotePerItem(28, 4);
    expect(q.amountYuan).toBe(600);
    expect(q.lines).toEqual([
      { from: 29, to: 30, units: 2, yuanPerUnit: 100, amountYuan: 200 },
      { from: 31, to: 32, units: 2, yuanPerUnit: 200, amountYuan: 400 },
    ]);
    expect(q.explanation).toContain('第29—30件2件×100元=200元');
    expect(q.explanation).toContain('第31—32件2件×200元=400元');
    expect(q.explanation).toContain('合计600元');
  });

  it('items 40–41 = 200 + 300 = 500 元', () => {
    expect(quotePerItem(39, 2).amountYuan).toBe(500);
  });

  it('item 51 = 400 元', () => {
    expect(quotePerItem(50, 1).amountYuan).toBe(400);
  });

  it('50 items in one application = 20×100 + 10×200 + 10×300 = 7000 元', () => {
    const q = quotePerItem(0, 50);
    expect(q.amountYuan).toBe(7000);
    expect(q.lines.map((l) => [l.from, l.to, l.amountYuan])).toEqual([
      [11, 30, 2000],
      [31, 40, 2000],
      [41, 50, 3000],
    ]);
  });

  it('states the standard with its thresholds and rates', () => {
    expect(quotePerItem(0, 1).standard).toBe(
      '按件计收（同一申请人一个自然月内累计件数）：10件（含）以内免费；11—30件每件100元；' +
        '30件以上以10件为一档，每增加一档每件提高100元（31—40件每件200元，41—50件每件300元，依此类推）',
    );
    expect(quotePerItem(0, 1).basis).toBe(FEE_BASIS);
  });

  it('a tariff passed as a parameter changes the result', () => {
    const tariff: PerItemTariff = {
      freeItems: 5,
      firstBand: { from: 6, to: 20, yuanPerUnit: 50 },
      bandSize: 5,
      bandIncrementYuan: 25,
    };
    // Items 4–23: 4–5 free; 6–20: 15×50 = 750; 21–23 (band 21–25 at 75): 3×75 = 225; total 975.
    const q = quotePerItem(3, 20, tariff);
    expect(q.amountYuan).toBe(975);
    expect(q.lines).toEqual([
      { from: 6, to: 20, units: 15, yuanPerUnit: 50, amountYuan: 750 },
      { from: 21, to: 23, units: 3, yuanPerUnit: 75, amountYuan: 225 },
    ]);
    expect(q.standard).toContain('5件（含）以内免费');
    expect(q.standard).toContain('21—25件每件75元');
    expect(perItemBandFor(26, tariff)).toEqual({ from: 26, to: 30, yuanPerUnit: 100 });
    // Same items under the default tariff: 11–23 at 100 = 1300.
    expect(quotePerItem(3, 20).amountYuan).toBe(1300);
  });

  it('a tariff with no free items', () => {
    const tariff: PerItemTariff = { freeItems: 0, firstBand: { from: 1, to: 2, yuanPerUnit: 10 }, bandSize: 1, bandIncrementYuan: 10 };
    // items 1,2 at 10; 3 at 20; 4 at 30 → 70
    expect(quotePerItem(0, 4, tariff).amountYuan).toBe(70);
    expect(quotePerItem(0, 4, tariff).standard).not.toContain('免费');
  });

  it.each([
    [-1, 1],
    [0, 0],
    [0, -3],
    [1.5, 1],
    [0, 2.5],
    [1_000_001, 1],
    [0, 1_000_001],
    [Number.NaN, 1],
  ])('refuses %p earlier items / %p items', (before, items) => {
    expect(() => quotePerItem(before, items)).toThrow(RangeError);
  });

  it('names the bad argument in Chinese and English', () => {
    expect(() => quotePerItem(-1, 1)).toThrow(/本月此前已申请件数.*itemsBeforeThisMonth/);
    expect(() => quotePerItem(0, 0)).toThrow(/本次申请件数.*itemsInThisApplication/);
  });

  it.each<[string, PerItemTariff]>([
    ['first band not after the free items', { ...PER_ITEM_TARIFF, firstBand: { from: 12, to: 30, yuanPerUnit: 100 } }],
    ['first band inverted', { ...PER_ITEM_TARIFF, firstBand: { from: 11, to: 5, yuanPerUnit: 100 } }],
    ['band size 0', { ...PER_ITEM_TARIFF, bandSize: 0 }],
    ['negative free items', { ...PER_ITEM_TARIFF, freeItems: -1 }],
    ['negative increment', { ...PER_ITEM_TARIFF, bandIncrementYuan: -100 }],
  ])('refuses a tariff with %s', (_label, tariff) => {
    expect(() => quotePerItem(0, 20, tariff)).toThrow(RangeError);
  });
});

describe('quote dispatches to exactly one method', () => {
  it('per page', () => {
    const q = quote({ method: 'per_page', pages: 250 });
    expect(q.method).toBe('per_page');
    expect(q.amountYuan).toBe(4700);
  });

  it('per item', () => {
    const q = quote({ method: 'per_item', itemsBeforeThisMonth: 8, items: 5 });
    expect(q.method).toBe('per_item');
    expect(q.amountYuan).toBe(300);
  });

  it('refuses bad input through the dispatcher too', () => {
    expect(() => quote({ method: 'per_page', pages: -5 })).toThrow(RangeError);
    expect(() => quote({ method: 'per_item', itemsBeforeThisMonth: 0, items: 0 })).toThrow(RangeError);
  });
});

describe('itemsEarlierInMonth: the calendar-month count for 按件', () => {
  it('counts earlier and same-day receipts of the same month', () => {
    expect(itemsEarlierInMonth(['2025-03-01', '2025-03-09', '2025-03-10'], '2025-03-10')).toBe(3);
  });

  it('ignores later receipts of the same month', () => {
    expect(itemsEarlierInMonth(['2025-03-20'], '2025-03-10')).toBe(0);
  });

  it('counts a repeated date once per entry (a multi-item application)', () => {
    expect(itemsEarlierInMonth(['2025-03-02', '2025-03-02', '2025-03-02'], '2025-03-05')).toBe(3);
  });

  it('31 January and 1 February are in different months', () => {
    expect(itemsEarlierInMonth(['2025-01-31'], '2025-02-01')).toBe(0);
    expect(itemsEarlierInMonth(['2025-01-30', '2025-01-31'], '2025-01-31')).toBe(2);
  });

  it('handles the leap day 2024-02-29', () => {
    expect(itemsEarlierInMonth(['2024-02-01', '2024-02-29', '2024-03-01'], '2024-02-29')).toBe(2);
    expect(itemsEarlierInMonth(['2024-02-29'], '2024-03-01')).toBe(0);
  });

  it('December and January of the next year are different months', () => {
    expect(itemsEarlierInMonth(['2024-12-15', '2024-12-31'], '2025-01-01')).toBe(0);
  });

  it('the same month of another year does not count', () => {
    expect(itemsEarlierInMonth(['2024-01-05', '2025-01-05'], '2025-01-10')).toBe(1);
  });

  it('no other applications: 0', () => {
    expect(itemsEarlierInMonth([], '2025-06-15')).toBe(0);
  });

  it.each(['2025-02-29', '2023-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-05', '2025/01/05', ''])(
    'refuses the date %p',
    (bad) => {
      expect(() => itemsEarlierInMonth([], bad)).toThrow(RangeError);
      expect(() => itemsEarlierInMonth([bad], '2025-01-10')).toThrow(RangeError);
    },
  );

  it('feeds quotePerItem: the 11th–12th items of February 2024', () => {
    const others = ['2024-01-31', ...Array.from({ length: 10 }, () => '2024-02-10')];
    const before = itemsEarlierInMonth(others, '2024-02-29');
    expect(before).toBe(10);
    expect(quotePerItem(before, 2).amountYuan).toBe(200);
  });
});
