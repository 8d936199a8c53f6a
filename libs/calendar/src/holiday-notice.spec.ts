import { OFFICIAL_CALENDAR } from './calendar-data';
import { formatHolidayNotice, parseHolidayNotice } from './holiday-notice';

// The notices' own text (国办发明电〔2024〕12号, 〔2025〕7号, 〔2018〕15号 with 〔2019〕3号), as an administrator copies it
// from the State Council's site: the addressees, the items, the closing paragraph and the signature.
const NOTICE_2025 = `国务院办公厅关于2025年部分节假日安排的通知
国办发明电〔2024〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2024年11月12日`;

const NOTICE_2026 = `一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。`;

const official = (year: number) => {
  const data = OFFICIAL_CALENDAR.find((entry) => entry.year === year)!;
  return { holidays: data.holidays, workdays: data.workdays };
};

describe('the State Council notice, pasted', () => {
  it('reads the 2025 notice into the official days, ignoring the preamble, closing paragraph and signature date', () => {
    const parsed = parseHolidayNotice(2025, NOTICE_2025);
    expect(parsed.problems).toEqual([]);
    expect({ holidays: parsed.holidays, workdays: parsed.workdays }).toEqual(official(2025));
  });

  it('reads the 2026 notice into the official days', () => {
    const parsed = parseHolidayNotice(2026, NOTICE_2026);
    expect(parsed.problems).toEqual([]);
    expect({ holidays: parsed.holidays, workdays: parsed.workdays }).toEqual(official(2026));
  });

  it('reads a 元旦 range that opens in the previous December (2019) and workdays in that December', () => {
    const parsed = parseHolidayNotice(2019, '一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。');
    expect(parsed).toEqual({
      holidays: [
        { date: '2018-12-30', name: '元旦' },
        { date: '2018-12-31', name: '元旦' },
        { date: '2019-01-01', name: '元旦' },
      ],
      workdays: [{ date: '2018-12-29', name: '元旦' }],
      problems: [],
    });
  });

  it('reads the fragments people paste: a bare date, a range, workdays with weekday remarks, a line continuing the item above', () => {
    const parsed = parseHolidayNotice(2025, '1月1日\n国庆节、中秋节：10月1日至8日\n9月28日（星期日）、10月11日（星期六）上班');
    expect(parsed.problems).toEqual([]);
    expect(parsed.holidays.map((day) => day.date)).toEqual(['2025-01-01', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']);
    expect(parsed.holidays[0].name).toBe('放假');
    expect(parsed.holidays[1].name).toBe('国庆节、中秋节');
    expect(parsed.workdays).toEqual([
      { date: '2025-09-28', name: '国庆节、中秋节' },
      { date: '2025-10-11', name: '国庆节、中秋节' },
    ]);
  });

  it('places each date by the nearest 放假 or 上班 after it in its sentence', () => {
    const parsed = parseHolidayNotice(2025, '国庆节：10月1日至8日放假调休，9月28日，10月11日上班');
    expect(parsed.workdays.map((day) => day.date)).toEqual(['2025-09-28', '2025-10-11']);
    expect(parsed.holidays).toHaveLength(8);
  });

  it('takes ISO dates too', () => {
    const parsed = parseHolidayNotice(2027, '元旦：2027-01-01放假');
    expect(parsed).toEqual({ holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [], problems: [] });
  });

  it('says which line it could not read, and why', () => {
    const parsed = parseHolidayNotice(2025, '春节：2月30日放假\n国庆节：10月8日至1日放假\n劳动节：5月1日至7月1日放假\n清明放假\n端午节：6月1日放假；6月1日上班\n5日放假');
    expect(parsed.problems).toEqual([
      '第 1 行：没有2月30日这一天',
      // 10月8日至1日 reads as running into the next year: far too long.
      expect.stringMatching(/^第 2 行：“10月8日至1日”长达 \d+ 天，请核对$/),
      '第 3 行：“5月1日至7月1日”长达 62 天，请核对',
      '第 4 行：没有找到日期（如“10月1日至8日放假”“9月28日上班”）',
      '第 5 行：2025年6月1日既列为放假又列为上班',
      '第 6 行：“5日”没有写月份',
    ]);
  });
});

describe('a year written back in the notice’s words', () => {
  it.each(OFFICIAL_CALENDAR.map((data) => [data.year, data] as const))('%i reads back to the same days and names', (year, data) => {
    const text = formatHolidayNotice(year, data);
    const parsed = parseHolidayNotice(year, text);
    expect(parsed.problems).toEqual([]);
    expect({ holidays: parsed.holidays, workdays: parsed.workdays }).toEqual({ holidays: data.holidays, workdays: data.workdays });
  });

  it('writes one line per holiday, ranges within a month without repeating it', () => {
    expect(formatHolidayNotice(2025, official(2025))).toBe(
      [
        '元旦：1月1日放假。',
        '春节：1月28日至2月4日放假；1月26日、2月8日上班。',
        '清明节：4月4日至6日放假。',
        '劳动节：5月1日至5日放假；4月27日上班。',
        '端午节：5月31日至6月2日放假。',
        '国庆节、中秋节：10月1日至8日放假；9月28日、10月11日上班。',
      ].join('\n'),
    );
    expect(formatHolidayNotice(2019, official(2019)).split('\n')[0]).toBe('元旦：2018年12月30日至1月1日放假；2018年12月29日上班。');
  });
});
