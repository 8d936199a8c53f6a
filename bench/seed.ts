import { createHash } from 'node:crypto';
import type { IsoDate } from '@desk/calendar';
import type { Client } from 'pg';
import { formatSequenceNumber } from '../apps/api/src/agencies/agencies.service';
import { hashQueryCode } from '../apps/api/src/cases/query-code';
import { DEFAULT_AGENCY_SETTINGS } from '../apps/api/src/database/entities';
import type { PersonalDataCipher } from '../apps/api/src/personal-data/personal-data-cipher';
import { buildArchetypes, type Archetype } from './archetypes';

/**
 * A realistic agency history, written with set-based SQL (generate_series, INSERT … SELECT) so a million cases take
 * minutes: receipts on the official working days of 2019 to today, growing year by year; the applicant categories,
 * channels and outcomes of a district-level agency; every case's events in case_events with their sequence numbers and
 * the state after each (played through the real workflow, bench/archetypes.ts); issued receipts and replies; a few
 * reviews; the recent cases still open with due dates, and a few old ones stuck (overdue).
 */

export const AGENCY_CODE = 'default';
export const CASE_NUMBER_PREFIX = '沪某房依申';
const AGENCY_NAME = '上海市某区住房保障和房屋管理局';

export const OFFICE = '政府信息公开办公室';
const LEGAL_DEPARTMENT = '法制科';
export const HANDLING_DEPARTMENTS = ['住房保障科', '房屋征收科', '物业管理科', '房屋安全科', '市场管理科', '规划建设科'] as const;
export const HANDLERS_PER_DEPARTMENT = 5;

interface BenchUser {
  username: string;
  roles: string[];
  department: string;
}

const BENCH_USERS: BenchUser[] = [
  { username: 'bench-admin', roles: ['intake', 'handler', 'legal', 'head', 'admin'], department: OFFICE },
  { username: 'bench-intake', roles: ['intake'], department: OFFICE },
  { username: 'bench-head', roles: ['head'], department: OFFICE },
  { username: 'bench-legal', roles: ['legal'], department: LEGAL_DEPARTMENT },
  ...HANDLING_DEPARTMENTS.flatMap((department, d) =>
    Array.from({ length: HANDLERS_PER_DEPARTMENT }, (_, k) => ({ username: handlerName(d + 1, k + 1), roles: ['handler'], department })),
  ),
];

export function handlerName(department: number, index: number): string {
  return `bench-handler-${department}-${index}`;
}

// Relative volume of applications per year (a district agency's caseload grows); 2026 runs to the day before today.
const YEAR_WEIGHTS: Record<number, number> = { 2019: 0.7, 2020: 0.8, 2021: 0.9, 2022: 1.0, 2023: 1.1, 2024: 1.2, 2025: 1.3, 2026: 1.4 };

/** Open stories go to cases received in the last OPEN_WINDOW_DAYS; older cases are concluded but for a few stuck ones. */
const OPEN_WINDOW_DAYS = 30;
const STUCK_SHARE = 0.004;
const STUCK_WINDOW_DAYS = 400;

const CATEGORY_WEIGHTS: [string, number][] = [
  ['natural_person', 0.8],
  ['business', 0.1],
  ['legal_services', 0.04],
  ['research', 0.02],
  ['public_interest', 0.02],
  ['other', 0.02],
];
const DESK_CHANNELS: [string, number][] = [
  ['in_person', 0.45],
  ['post_signed', 0.25],
  ['email', 0.12],
  ['platform_import', 0.08],
  ['post_ordinary', 0.06],
  ['fax', 0.02],
  ['oral', 0.02],
];
const DELIVERY_FORMS: [string, number][] = [
  ['paper_post', 0.45],
  ['paper_pickup', 0.25],
  ['email', 0.2],
  ['online', 0.08],
  ['disc', 0.02],
];
const TOPICS = [
  '本区公共租赁住房分配结果', '某地块房屋征收补偿方案', '某小区维修资金使用明细', '某项目房屋安全鉴定报告', '某街道旧住房改造计划',
  '本人房屋征收评估报告', '廉租住房申请审核材料', '某小区物业服务企业招标文件', '某项目预售许可证及附件', '某地块拆迁安置人员名单',
  '房屋征收决定及其依据', '某小区加装电梯审批材料', '住房保障资格审核标准', '某项目规划许可及附图', '某路段房屋修缮工程合同',
  '本区群租整治工作方案', '某小区业主大会备案材料', '房屋租赁合同备案统计数据', '某项目竣工验收备案表', '共有产权保障住房供应计划',
  '某街道违法建筑拆除决定', '某小区绿化改造审批文件', '保障性住房建设年度计划', '某地块土地出让合同',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌鹏宇浩凯健俊帆帅旭宁龙林欣佳琳雪梅晨阳';
const COMPANY_WORDS = ['恒信', '华润', '东方', '浦江', '申城', '长宁', '明德', '远景', '弘毅', '金桥', '新元', '嘉和'];
const COMPANY_KINDS: Record<string, string[]> = {
  business: ['置业有限公司', '房地产开发有限公司', '物业管理有限公司', '建设工程有限公司'],
  legal_services: ['律师事务所'],
  research: ['城市规划研究院', '住房政策研究中心'],
  public_interest: ['公益服务中心', '社区发展基金会'],
  other: ['业主委员会', '居民委员会'],
};
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The 查询码 of the g-th seeded case, derived so the benchmark can track any case it picks. Never stored in clear. */
export function queryCodeFor(g: number): string {
  const digest = createHash('sha256').update(`ogi-desk bench query code ${g}`).digest();
  return Array.from({ length: 10 }, (_, index) => QUERY_CODE_ALPHABET[digest[index] % QUERY_CODE_ALPHABET.length]).join('');
}

/** A deterministic pseudo-random stream, so two runs of one size seed the same applicants. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(weights: [T, number][], r: number): T {
  let sum = 0;
  for (const [value, weight] of weights) {
    sum += weight;
    if (r < sum) return value;
  }
  return weights[weights.length - 1][0];
}

/** A valid 居民身份证号码 (GB 11643-1999 check character), born 1950–2004 in Shanghai. */
function residentId(random: () => number): string {
  const region = ['310101', '310104', '310105', '310106', '310107', '310110', '310112', '310115'][Math.floor(random() * 8)];
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(random() * 55 * 365.25) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `${region}${birth}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, digit, index) => acc + Number(digit) * weights[index], 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}

/** A valid 统一社会信用代码 (GB 32100-2015 check character). */
function creditCode(random: () => number): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = '91310';
  while (body.length < 17) body += charset[Math.floor(random() * charset.length)];
  const sum = [...body].reduce((acc, char, index) => acc + charset.indexOf(char) * weights[index], 0);
  return `${body}${charset[(31 - (sum % 31)) % 31]}`;
}

export interface SeedSummary {
  agencyId: string;
  cases: number;
  events: number;
  letters: number;
  disputes: number;
  openCases: number;
  applicants: number;
  archetypes: { name: string; cases: number }[];
  /** Each step's duration, in the order run. */
  steps: { step: string; seconds: number }[];
}

export interface SeedOptions {
  cases: number;
  today: IsoDate;
  cipher: PersonalDataCipher;
  passwordHash: string;
  log: (line: string) => void;
}

/** The sequence part of a number as formatSequenceNumber writes it: at least five digits, never cut. */
const PADDED_SEQUENCE = `(CASE WHEN p.case_seq < 100000 THEN lpad(p.case_seq::text, 5, '0') ELSE p.case_seq::text END)`;

/** SQL literal for a trusted, generated string (archetype tokens, names from the tables above). */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A CASE expression choosing among weighted values by a uniform draw `r` in [0, 1). */
function weightedCase(r: string, weights: [string, number][]): string {
  const total = weights.reduce((acc, [, weight]) => acc + weight, 0);
  let cumulative = 0;
  const branches = weights.map(([value, weight]) => {
    cumulative += weight / total;
    return `WHEN ${r} < ${cumulative.toFixed(6)} THEN ${value}`;
  });
  return `(CASE ${branches.join(' ')} ELSE ${weights[weights.length - 1][0]} END)`;
}

export async function seedAgency(client: Client, options: SeedOptions): Promise<SeedSummary> {
  const steps: SeedSummary['steps'] = [];
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    const result = await work();
    steps.push({ step: label, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    options.log(`  seed: ${label} ${steps[steps.length - 1].seconds.toFixed(1)} s`);
    return result;
  };
  // A bulk load on a throw-away database: no need to wait for each commit to reach the disk.
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET work_mem = '64MB'`);
  await client.query(`SELECT setseed(0.42)`);

  const agencyId = await timed('agency, departments, users', async () => {
    const settings = { ...DEFAULT_AGENCY_SETTINGS, caseNumberPrefix: CASE_NUMBER_PREFIX };
    const [{ id }] = (await client.query(`INSERT INTO agencies (code, name, settings) VALUES ($1, $2, $3) RETURNING id`, [AGENCY_CODE, AGENCY_NAME, settings])).rows;
    for (const name of [OFFICE, LEGAL_DEPARTMENT, ...HANDLING_DEPARTMENTS]) {
      await client.query(`INSERT INTO departments (agency_id, name) VALUES ($1, $2)`, [id, name]);
    }
    for (const user of BENCH_USERS) {
      await client.query(
        `INSERT INTO users (agency_id, department_id, username, display_name, password_hash, roles)
         SELECT $1, d.id, $2, $2, $3, $4 FROM departments d WHERE d.agency_id = $1 AND d.name = $5`,
        [id, user.username, options.passwordHash, user.roles, user.department],
      );
    }
    return String(id);
  });

  await timed('working-day tables', async () => {
    // The official calendar the migrations seeded: weekdays, minus holidays, plus 调休 working weekends.
    await client.query(`
      CREATE UNLOGGED TABLE bench_working_days AS
      SELECT d::date AS d, row_number() OVER (ORDER BY d) AS n
        FROM generate_series('2018-12-01'::date, '2027-12-31'::date, interval '1 day') d
        LEFT JOIN calendar_days c ON c.date = d::date
       WHERE (extract(isodow FROM d) < 6 AND c.kind IS DISTINCT FROM 'holiday') OR c.kind = 'workday'`);
    await client.query(`CREATE UNIQUE INDEX ON bench_working_days (n)`);
    // Art. 33: the reply is due on the 20th working day after receipt (the 40th with the one extension).
    await client.query(`
      CREATE UNLOGGED TABLE bench_due AS
      SELECT day::date AS d,
             (SELECT w2.d FROM bench_working_days w2 WHERE w2.n = base.n + 20) AS due20,
             (SELECT w2.d FROM bench_working_days w2 WHERE w2.n = base.n + 40) AS due40
        FROM generate_series('2018-12-01'::date, '2027-10-31'::date, interval '1 day') day
        CROSS JOIN LATERAL (SELECT max(w.n) AS n FROM bench_working_days w WHERE w.d <= day::date) base`);
    await client.query(`CREATE UNIQUE INDEX ON bench_due (d)`);
  });

  const applicantCount = Math.max(500, Math.round(options.cases / 4));
  await timed(`applicants (${applicantCount}, encrypted with the app's cipher)`, async () => {
    await client.query(`
      CREATE UNLOGGED TABLE bench_applicants (n int PRIMARY KEY, category text, name text, id_type text, id_ciphertext text, blind_index text,
                                             phone_ciphertext text, email text, address text)`);
    const random = generator(20_251_231);
    const batch = 5_000;
    for (let start = 0; start < applicantCount; start += batch) {
      const columns: (string | number | null)[][] = Array.from({ length: 9 }, () => []);
      for (let n = start; n < Math.min(start + batch, applicantCount); n++) {
        const category = pick(CATEGORY_WEIGHTS, random());
        const person = category === 'natural_person';
        const name = person
          ? `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}${random() < 0.6 ? GIVEN[Math.floor(random() * GIVEN.length)] : ''}`
          : `上海${COMPANY_WORDS[Math.floor(random() * COMPANY_WORDS.length)]}${COMPANY_KINDS[category][Math.floor(random() * COMPANY_KINDS[category].length)]}`;
        const idType = person ? (random() < 0.97 ? 'id_card' : 'passport') : 'uscc';
        const idNumber = idType === 'id_card' ? residentId(random) : idType === 'passport' ? `E${String(10_000_000 + n)}` : creditCode(random);
        const phone = person || random() < 0.5 ? `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}` : null;
        const row = [
          n,
          category,
          name,
          idType,
          options.cipher.encrypt('applicant_id_number', idNumber),
          options.cipher.blindIndex(idNumber),
          options.cipher.encryptNullable('applicant_phone', phone),
          person ? null : `office${n}@example.com`,
          `上海市某区某路${1 + (n % 999)}号`,
        ];
        row.forEach((value, index) => columns[index].push(value));
      }
      await client.query(
        `INSERT INTO bench_applicants SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
        columns,
      );
    }
  });

  const archetypes = buildArchetypes();
  await timed(`plan (${options.cases} cases)`, async () => {
    const open = archetypes.filter((archetype) => archetype.open);
    const closed = archetypes.filter((archetype) => !archetype.open);
    const stuck = archetypes.filter((archetype) => archetype.name.startsWith('open_handling') || archetype.name.startsWith('open_searched'));
    const choose = (set: Archetype[], r: string, age?: string) => {
      const total = set.reduce((acc, archetype) => acc + archetype.weight, 0);
      let cumulative = 0;
      const branches = set.map((archetype) => {
        cumulative += archetype.weight / total;
        // A long story needs an old enough case (all its steps in the past); otherwise the next story takes the draw.
        const oldEnough = age && archetype.minAgeDays > OPEN_WINDOW_DAYS ? ` AND ${age} >= ${archetype.minAgeDays}` : '';
        return `WHEN ${r} < ${cumulative.toFixed(6)}${oldEnough} THEN ${archetype.id}`;
      });
      return `(CASE ${branches.join(' ')} ELSE ${set[0].id} END)`;
    };
    const totalWeight = Object.values(YEAR_WEIGHTS).reduce((acc, weight) => acc + weight, 0);
    let cumulative = 0;
    const years = Object.entries(YEAR_WEIGHTS).map(([year, weight]) => {
      const low = cumulative;
      cumulative += weight / totalWeight;
      return `(${year}, ${low.toFixed(6)}, ${year === '2026' ? '1.000001' : cumulative.toFixed(6)})`;
    });
    await client.query(`
      CREATE UNLOGGED TABLE bench_year_days AS
      SELECT extract(year FROM d)::int AS year, d, row_number() OVER (PARTITION BY extract(year FROM d) ORDER BY d) AS k,
             count(*) OVER (PARTITION BY extract(year FROM d)) AS days
        FROM bench_working_days WHERE d BETWEEN '2019-01-01' AND $1::date - 1`, [options.today]);
    await client.query(`CREATE INDEX ON bench_year_days (year, k)`);
    const departments = (await client.query(`SELECT id, name FROM departments WHERE agency_id = $1`, [agencyId])).rows as { id: string; name: string }[];
    const departmentValues = HANDLING_DEPARTMENTS.map((name, index) => `(${index + 1}, '${departments.find((entry) => entry.name === name)!.id}'::uuid)`).join(', ');
    await client.query(`
      CREATE UNLOGGED TABLE bench_plan AS
      WITH years (year, low, high) AS (VALUES ${years.join(', ')}),
      draws AS (
        SELECT g, random() AS r_year, random() AS r_day, random() AS r_story, random() AS r_stuck, random() AS r_applicant,
               random() AS r_department, random() AS r_handler, random() AS r_channel, random() AS r_topic, random() AS r_delivery, random() AS r_time
          FROM generate_series(1, ${options.cases}) g),
      year_days AS (SELECT year, max(days) AS days FROM bench_year_days GROUP BY year),
      dated AS (
        SELECT dr.*, yd.d AS base, ($1::date - yd.d) AS age
          FROM draws dr JOIN years y ON dr.r_year >= y.low AND dr.r_year < y.high
          JOIN year_days yc ON yc.year = y.year
          JOIN bench_year_days yd ON yd.year = y.year AND yd.k = 1 + floor(dr.r_day * yc.days)::int),
      storied AS (
        SELECT d.*,
               CASE WHEN d.age <= ${OPEN_WINDOW_DAYS} THEN ${choose(open, 'd.r_story')}
                    WHEN d.age <= ${STUCK_WINDOW_DAYS} AND d.r_stuck < ${STUCK_SHARE} THEN ${choose(stuck, 'd.r_story')}
                    ELSE ${choose(closed, 'd.r_story', 'd.age')} END AS archetype
          FROM dated d)
      SELECT s.g, gen_random_uuid() AS case_id, s.base, s.archetype,
             floor(${applicantCount} * power(s.r_applicant, 1.5))::int AS applicant,
             dep.id AS department_id, 1 + floor(s.r_department * ${HANDLING_DEPARTMENTS.length})::int AS department_no,
             1 + floor(s.r_handler * ${HANDLERS_PER_DEPARTMENT})::int AS handler_no,
             ${weightedCase('s.r_channel', DESK_CHANNELS.map(([value, weight]) => [literal(value), weight]))} AS desk_channel,
             ${weightedCase('s.r_delivery', DELIVERY_FORMS.map(([value, weight]) => [literal(value), weight]))} AS delivery_form,
             format('申请公开%s年%s的相关信息', extract(year FROM s.base)::int - floor(s.r_topic * 3)::int,
                    (ARRAY[${TOPICS.map(literal).join(', ')}])[1 + floor(s.r_topic * 1000)::int % ${TOPICS.length}]) AS description,
             s.r_time
        FROM storied s
        JOIN (VALUES ${departmentValues}) dep (no, id) ON dep.no = 1 + floor(s.r_department * ${HANDLING_DEPARTMENTS.length})::int`,
      [options.today],
    );
    // Case numbers count per year of creation, in order of submission (AgenciesService.nextCaseNumber).
    const creationDay = `(CASE p.archetype ${archetypes.map((archetype) => `WHEN ${archetype.id} THEN ${archetype.steps[0].day}`).join(' ')} END)`;
    await client.query(`
      CREATE UNLOGGED TABLE bench_cases AS
      SELECT p.*, u.id AS handler_id, u.username AS handler_username,
             c.created_on, extract(year FROM c.created_on)::int AS case_year,
             row_number() OVER (PARTITION BY extract(year FROM c.created_on) ORDER BY c.created_on, p.g) AS case_seq,
             ((c.created_on + time '08:30' + p.r_time * interval '9 hours') AT TIME ZONE 'Asia/Shanghai') AS submitted_at
        FROM bench_plan p
        CROSS JOIN LATERAL (SELECT LEAST(p.base + ${creationDay}, $1::date) AS created_on) c
        JOIN users u ON u.username = 'bench-handler-' || p.department_no || '-' || p.handler_no`,
      [options.today],
    );
    await client.query(`DROP TABLE bench_plan`);
    await client.query(`ALTER TABLE bench_cases ADD PRIMARY KEY (g)`);
    await client.query(`CREATE INDEX ON bench_cases (archetype)`);
  });

  await timed('query-code hashes (the app\'s hashQueryCode)', async () => {
    await client.query(`CREATE UNLOGGED TABLE bench_codes (g int PRIMARY KEY, hash text NOT NULL)`);
    const batch = 20_000;
    for (let start = 1; start <= options.cases; start += batch) {
      const numbers: number[] = [];
      const hashes: string[] = [];
      for (let g = start; g < Math.min(start + batch, options.cases + 1); g++) {
        numbers.push(g);
        hashes.push(hashQueryCode(queryCodeFor(g)));
      }
      await client.query(`INSERT INTO bench_codes SELECT * FROM unnest($1::int[], $2::text[])`, [numbers, hashes]);
    }
  });

  const [{ intake, legal, head }] = (
    await client.query(
      `SELECT (SELECT id FROM users WHERE username = 'bench-intake') AS intake, (SELECT id FROM users WHERE username = 'bench-legal') AS legal,
              (SELECT id FROM users WHERE username = 'bench-head') AS head`,
    )
  ).rows as { intake: string; legal: string; head: string }[];

  // Bulk loading: secondary indexes are dropped and built once at the end, as pg_dump's restore does.
  const deferred = await timed('drop secondary indexes', () => dropSecondaryIndexes(client, ['cases', 'case_events', 'letters']));

  await timed('cases and events', async () => {
    // Rows go in in key order: the primary and unique indexes on uuids then grow page by page instead of at random.
    for (const archetype of archetypes) {
      const date = (offset: number) => `LEAST(p.base + ${offset}, '${options.today}'::date)`;
      const text = (offset: number) => `to_char(${date(offset)}, 'YYYY-MM-DD')`;
      const documentNumber = (suffix: string) =>
        `format('%s〔%s〕第%s号${suffix}', ${literal(archetype.requestType === 'correction' ? DEFAULT_AGENCY_SETTINGS.letterNumberPrefixes.correction_reply! : DEFAULT_AGENCY_SETTINGS.replyNumberPrefix)}, p.case_year, ${PADDED_SEQUENCE})`;
      const channel = archetype.channelKind === 'desk' ? 'p.desk_channel' : `'online'`;
      const substitute = (template: string) => {
        let expression = template;
        for (const offset of archetype.days) expression = `replace(${expression}, '@@D${offset}@@', ${text(offset)})`;
        return `replace(replace(replace(replace(${expression}, '@@H@@', p.handler_username), '@@CHANNEL@@', ${channel}), '@@DOC1@@', ${documentNumber('')}), '@@DOC2@@', ${documentNumber('（重新答复）')})`;
      };
      const maybeDate = (offset: number | null) => (offset === null ? 'NULL::date' : date(offset));
      const due =
        archetype.clockStartDay === null
          ? 'NULL::date'
          : `(SELECT ${archetype.extendedWorkingDays ? 'due40' : 'due20'} FROM bench_due WHERE d = ${date(archetype.clockStartDay)})`;
      await client.query(
        `INSERT INTO cases (id, agency_id, case_number, request_type, channel, received_at, submitted_at, applicant_category, applicant_name,
                            applicant_id_type, applicant_id_number_ciphertext, applicant_id_blind_index, applicant_phone_ciphertext,
                            applicant_email, applicant_address, description, delivery_form, query_code_hash, state, snapshot, version,
                            department_id, handler_id, due_date, due_provisional, outcome, concluded_at, last_event_at, created_at, updated_at,
                            first_concluded_at, first_outcome)
         SELECT p.case_id, $1, format('%s〔%s〕第%s号', $2::text, p.case_year, ${PADDED_SEQUENCE}), $3, ${channel},
                ${maybeDate(archetype.receivedDay)}, p.submitted_at, a.category, a.name, a.id_type, a.id_ciphertext, a.blind_index,
                a.phone_ciphertext, a.email, a.address, p.description, p.delivery_form, q.hash, $4, ${substitute('$5::text')}::jsonb, $6,
                ${archetype.handled ? 'p.department_id' : 'NULL'}, ${archetype.handled ? 'p.handler_id' : 'NULL'}, ${due}, false, $7,
                ${maybeDate(archetype.concludedDay)}, ${date(archetype.lastEventDay)}, p.submitted_at, ${date(archetype.lastEventDay)} + time '16:00',
                ${maybeDate(archetype.firstConclusion?.day ?? null)}, $8
           FROM bench_cases p JOIN bench_applicants a ON a.n = p.applicant JOIN bench_codes q ON q.g = p.g
          WHERE p.archetype = $9
          ORDER BY p.case_id`,
        [agencyId, CASE_NUMBER_PREFIX, archetype.requestType, archetype.state, archetype.snapshotTemplate, archetype.steps.length, archetype.outcome,
          archetype.firstConclusion?.outcome ?? null, archetype.id],
      );
      const steps = archetype.steps;
      await client.query(
        `INSERT INTO case_events (case_id, sequence, type, at, actor_id, actor_name, payload, state_after, created_at)
         SELECT p.case_id, s.sequence, s.type, LEAST(p.base + s.day, '${options.today}'::date),
                CASE s.actor WHEN 'handler' THEN p.handler_id WHEN 'intake' THEN $2::uuid WHEN 'legal' THEN $3::uuid WHEN 'head' THEN $4::uuid END,
                CASE s.actor WHEN 'handler' THEN p.handler_username WHEN 'intake' THEN 'bench-intake' WHEN 'legal' THEN 'bench-legal'
                             WHEN 'head' THEN 'bench-head' ELSE s.actor END,
                ${substitute('s.payload')}::jsonb, s.state_after,
                (LEAST(p.base + s.day, '${options.today}'::date) + time '09:00' + s.sequence * interval '3 minutes') AT TIME ZONE 'Asia/Shanghai'
           FROM bench_cases p
          CROSS JOIN unnest($5::int[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[]) AS s (sequence, type, day, actor, payload, state_after)
          WHERE p.archetype = $1
          ORDER BY p.case_id, s.sequence`,
        [
          archetype.id,
          intake,
          legal,
          head,
          steps.map((step) => step.sequence),
          steps.map((step) => step.type),
          steps.map((step) => step.day),
          steps.map((step) => step.actor),
          steps.map((step) => step.payloadTemplate),
          steps.map((step) => step.stateAfter),
        ],
      );
    }
  });

  await timed('letters (issued receipts and replies)', async () => {
    // Frozen PDFs are placeholders: the look-ups read the letters' rows, never their bytes.
    const pdf = `convert_to('%PDF-1.4 bench placeholder ' || e.case_id || ' ' || e.sequence, 'UTF8')`;
    await client.query(
      `INSERT INTO letters (case_id, kind, addressee, status, data, number, issued_at, content_pdf, sha256, created_at, updated_at)
       SELECT e.case_id, 'receipt', 'applicant', 'issued',
              jsonb_build_object('kind', 'receipt', 'title', '政府信息公开申请接收回执', 'addressee', c.applicant_name, 'date', to_char(e.at, 'YYYY-MM-DD'),
                                 'case', jsonb_build_object('caseNumber', c.case_number, 'receivedAt', to_char(c.received_at, 'YYYY-MM-DD'))),
              replace(c.case_number, $1, $2), e.at, ${pdf}, encode(sha256(${pdf}), 'hex'), e.created_at, e.created_at
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.type IN ('REGISTER', 'CONFIRM_RECEIPT') AND c.received_at IS NOT NULL
        ORDER BY e.case_id`,
      [CASE_NUMBER_PREFIX, DEFAULT_AGENCY_SETTINGS.letterNumberPrefixes.receipt],
    );
    await client.query(
      `INSERT INTO letters (case_id, kind, addressee, status, data, number, issued_at, content_pdf, sha256, created_at, updated_at)
       SELECT e.case_id, CASE c.request_type WHEN 'correction' THEN 'correction_reply' ELSE 'reply' END, 'applicant', 'issued',
              jsonb_build_object('kind', 'reply', 'title', CASE c.request_type WHEN 'correction' THEN '政府信息更正答复书' ELSE '政府信息公开申请答复书' END,
                                 'addressee', c.applicant_name, 'date', to_char(e.at, 'YYYY-MM-DD'), 'number', e.payload->>'documentNumber',
                                 'case', jsonb_build_object('caseNumber', c.case_number)),
              e.payload->>'documentNumber', e.at, ${pdf}, encode(sha256(${pdf}), 'hex'), e.created_at, e.created_at
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.type = 'ISSUE_REPLY'
        ORDER BY e.case_id`,
    );
  });

  await timed('disputes', async () => {
    // About one withheld or unavailable reply in forty goes to review, a tenth of those then to court.
    await client.query(
      `INSERT INTO disputes (case_id, agency_id, kind, after_review, body, reference, filed_at, served_at, answer_due_date, result, decided_at)
       SELECT c.id, c.agency_id, k.kind, k.kind = 'litigation', CASE k.kind WHEN 'review' THEN '上海市某区人民政府' ELSE '上海市某区人民法院' END,
              NULL, f.filed, f.filed + 3, f.filed + 17,
              CASE WHEN f.filed + 60 < $1::date THEN (ARRAY['upheld', 'upheld', 'upheld', 'upheld', 'upheld', 'upheld', 'upheld', 'corrected', 'other', 'other'])[1 + floor(random() * 10)::int] END,
              CASE WHEN f.filed + 60 < $1::date THEN f.filed + 60 END
         FROM cases c
         CROSS JOIN LATERAL (SELECT c.concluded_at + 20 + floor(random() * 30)::int AS filed) f
         CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.1 THEN 'litigation' ELSE 'review' END AS kind) k
        WHERE (c.outcome LIKE 'withheld.%' OR c.outcome LIKE 'unavailable.%') AND c.concluded_at IS NOT NULL AND random() < 0.025 AND f.filed < $1::date`,
      [options.today],
    );
  });

  await timed('build secondary indexes', () => restoreIndexes(client, deferred));

  await timed('number sequences', async () => {
    // The app's next number continues after the seeded ones: case numbers, reply 文号, receipts.
    for (const kind of ['case', 'reply', 'letter:receipt']) {
      await client.query(
        `INSERT INTO number_sequences (agency_id, year, kind, last_value) SELECT $1, case_year, $2, max(case_seq) FROM bench_cases GROUP BY case_year`,
        [agencyId, kind],
      );
    }
  });

  // bench_cases stays: it maps each case to the number its 查询码 derives from (queryCodeFor).
  for (const table of ['bench_applicants', 'bench_codes', 'bench_due', 'bench_working_days', 'bench_year_days']) await client.query(`DROP TABLE ${table}`);

  await timed('vacuum analyze', async () => {
    for (const table of ['cases', 'case_events', 'letters', 'disputes', 'users', 'departments', 'number_sequences']) await client.query(`VACUUM (ANALYZE) ${table}`);
  });

  // The SQL numbering must be the app's: check the largest and smallest number of a year against formatSequenceNumber.
  for (const row of (await client.query(`SELECT b.case_year, b.case_seq, c.case_number FROM bench_cases b JOIN cases c ON c.id = b.case_id
                                          WHERE b.g IN ((SELECT g FROM bench_cases ORDER BY case_seq DESC LIMIT 1), (SELECT g FROM bench_cases ORDER BY case_seq LIMIT 1))`)).rows as {
    case_year: number;
    case_seq: string;
    case_number: string;
  }[]) {
    const expected = formatSequenceNumber(CASE_NUMBER_PREFIX, row.case_year, Number(row.case_seq));
    if (row.case_number !== expected) throw new Error(`seeded case number ${row.case_number} differs from the app's format ${expected}`);
  }

  const counts = (
    await client.query(
      `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events, (SELECT count(*) FROM letters)::int AS letters,
              (SELECT count(*) FROM disputes)::int AS disputes, (SELECT count(*) FROM cases WHERE concluded_at IS NULL)::int AS open`,
    )
  ).rows[0] as { cases: number; events: number; letters: number; disputes: number; open: number };
  const perArchetype = (await client.query(`SELECT archetype, count(*)::int AS cases FROM bench_cases GROUP BY archetype ORDER BY archetype`)).rows as {
    archetype: number;
    cases: number;
  }[];
  return {
    agencyId,
    cases: counts.cases,
    events: counts.events,
    letters: counts.letters,
    disputes: counts.disputes,
    openCases: counts.open,
    applicants: applicantCount,
    archetypes: perArchetype.map((row) => ({ name: archetypes.find((archetype) => archetype.id === row.archetype)!.name, cases: row.cases })),
    steps,
  };
}

interface DeferredIndex {
  name: string;
  definition: string;
}

/** Secondary indexes (not backing a constraint) of these tables, dropped; their definitions to build them again. */
async function dropSecondaryIndexes(client: Client, tables: string[]): Promise<DeferredIndex[]> {
  const rows = (
    await client.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [tables],
    )
  ).rows as DeferredIndex[];
  for (const row of rows) await client.query(`DROP INDEX ${row.name}`);
  return rows;
}

async function restoreIndexes(client: Client, indexes: DeferredIndex[]): Promise<void> {
  for (const index of indexes) await client.query(index.definition);
}
