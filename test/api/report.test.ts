import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/harness.js';
import { HIDDEN, NOVEMBER, seedNovember } from '../helpers/report-seed.js';

type Sheet = (string | number | null)[][];

/** Every sheet as rows of plain values (row 1 = title, row 2 = header, as the writer lays them out). */
async function readXlsx(body: Buffer): Promise<Map<string, Sheet>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  const sheets = new Map<string, Sheet>();
  wb.eachSheet((ws) => {
    const rows: Sheet = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: (string | number | null)[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const v = row.getCell(c).value;
        cells.push(v === null || v === undefined ? null : (v as string | number));
      }
      rows.push(cells);
    }
    sheets.set(ws.name, rows);
  });
  return sheets;
}

/** Column index by header text (row 2). */
const col = (sheet: Sheet, header: string) => {
  const i = sheet[1].indexOf(header);
  if (i < 0) throw new Error(`no column ${header} in ${sheet[1].join(', ')}`);
  return i;
};
const rowOf = (sheet: Sheet, label: string) => {
  const row = sheet.find((r) => r[0] === label);
  if (!row) throw new Error(`no row ${label}`);
  return row;
};
/** Body rows: between the header and the totals row. */
const body = (sheet: Sheet) =>
  sheet.slice(
    2,
    sheet.findIndex((r) => r[0] === '合计'),
  );

const FIGURE_HEADERS: [string, string][] = [
  ['在岗人数', 'workers'],
  ['新增', 'newWorkers'],
  ['活跃', 'activeWorkers'],
  ['离开', 'leavingWorkers'],
  ['工作天数', 'activeDays'],
  ['有效工时（小时）', 'hours'],
  ['完成条数', 'items'],
  ['合格条数', 'accepted'],
];

describe.each(dialects)('employment report on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
    const project = await t.newProject(manager.headers);
    await seedNovember(t.ctx, t.vendor.id, project.id);
  });
  afterEach(async () => t.close());

  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

  it('matches the hand counts by household status and by county / township', async () => {
    const res = await get('/api/reports/employment?month=2026-11', manager.headers);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.period).toEqual({ from: '2026-11', to: '2026-11', months: ['2026-11'] });
    expect(r.summary).toEqual(NOVEMBER.summary);

    const byCode = Object.fromEntries(r.byHousehold.rows.map((row: any) => [row.code, row]));
    expect(r.byHousehold.rows.map((row: any) => row.code)).toEqual(['registered_poor', 'lifted', 'monitored', 'none']);
    expect(byCode.registered_poor).toMatchObject({ labelZh: '建档立卡贫困户', workers: 3, suppressed: false });
    expect(byCode.registered_poor.figures).toEqual(NOVEMBER.registeredPoor);
    expect(byCode.none.figures).toEqual(NOVEMBER.none);
    expect(byCode.monitored).toMatchObject({ workers: 0, suppressed: false });
    // wang alone is "lifted": a group of one shows "<3" and nothing else.
    expect(byCode.lifted).toMatchObject({ workers: '<3', suppressed: true, figures: null });
    expect(r.byHousehold.smallGroups).toMatchObject({ groups: 1, workers: '<3', figures: null });
    expect(r.byHousehold.total).toEqual(NOVEMBER.summary);

    expect(r.byArea.rows.map((a: any) => [a.county, a.township, a.workers])).toEqual([
      ['武宁县', 'C镇', '<3'],
      ['修水县', 'A镇', 4],
      ['修水县', 'B乡', '<3'],
    ]);
    expect(r.byArea.rows[1].figures).toEqual(NOVEMBER.xiushuiA);
    expect(r.byArea.smallGroups).toMatchObject({ groups: 2, workers: 3, suppressed: false });
    expect(r.byArea.smallGroups.figures).toEqual(NOVEMBER.smallAreas);

    expect(r.workers.named.map((w: any) => w.name)).toEqual(NOVEMBER.named);
    expect(r.workers.unnamed.count).toBe(1);
    expect(r.workers.unnamed.figures).toMatchObject({ items: 4, accepted: 3, incomeFen: 450, hours: 1 });

    expect(r.retention.after3).toMatchObject({ cohort: '2026-08', size: 1, retained: 0, rate: 0 });
    expect(r.retention.after6).toMatchObject({ cohort: '2026-05', size: 1, retained: 1, rate: 1 });
    const oct = r.trend.find((m: any) => m.month === '2026-10');
    // October: zhang, wang, zhao, sun (started) and gone (worked, was paid, left) employed; gone active.
    expect(oct).toMatchObject({ workers: 5, newWorkers: 1, activeWorkers: 1, incomeFen: 500 });
    expect(r.trend.at(-1)).toMatchObject({ month: '2026-11', ...NOVEMBER.summary });
  });

  it('never names a worker who did not consent, in JSON or in the .xlsx', async () => {
    const json = await get('/api/reports/employment?month=2026-11', manager.headers);
    const xlsx = await get('/api/reports/employment.xlsx?month=2026-11', manager.headers);
    const en = await get('/api/reports/employment.xlsx?month=2026-11&lang=en', manager.headers);
    expect(xlsx.statusCode).toBe(200);
    const texts = [json.body];
    for (const file of [xlsx.rawPayload, en.rawPayload]) {
      for (const sheet of (await readXlsx(file)).values()) texts.push(JSON.stringify(sheet));
    }
    for (const text of texts) {
      expect(text).not.toContain(HIDDEN.name);
      expect(text).not.toContain(HIDDEN.username);
      expect(text).not.toContain('Secretname');
    }
    // She is counted, though: in the totals and in one anonymous row.
    const sheets = await readXlsx(xlsx.rawPayload);
    const people = sheets.get('人员明细')!;
    const unnamed = rowOf(people, '未具名 1 人');
    expect(unnamed[col(people, '完成条数')]).toBe(4);
    expect(rowOf(people, '合计')[col(people, '在岗人数')]).toBe(7);
  });

  it('writes an .xlsx whose figures match the JSON and whose totals add up', async () => {
    const res = await get('/api/reports/employment.xlsx?month=2026-11', manager.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('shugu-employment-2026-11.xlsx');
    const sheets = await readXlsx(res.rawPayload);
    expect([...sheets.keys()]).toEqual(['概况', '按户籍类别', '按县乡', '月度趋势', '人员明细', '留存']);

    const summary = sheets.get('概况')!;
    expect(rowOf(summary, '在岗人数')[1]).toBe(7);
    expect(rowOf(summary, '有效工时（小时）')[1]).toBe(4.85);
    expect(rowOf(summary, '收入（元）')[1]).toBe(11.8);
    expect(rowOf(summary, '时均收入（元/小时）')[1]).toBe(2.43);

    const household = sheets.get('按户籍类别')!;
    const poor = rowOf(household, '建档立卡贫困户');
    for (const [header, key] of FIGURE_HEADERS) {
      expect(poor[col(household, header)]).toBe((NOVEMBER.registeredPoor as any)[key]);
    }
    expect(poor[col(household, '收入（元）')]).toBe(9.5);
    const lifted = rowOf(household, '脱贫户');
    expect(lifted[col(household, '在岗人数')]).toBe('<3');
    expect(lifted.slice(col(household, '新增')).every((v) => v === null)).toBe(true);
    expect(rowOf(household, '合计')[col(household, '在岗人数')]).toBe(7);

    // Rows (including the small groups taken together) add up to the totals row.
    for (const [name, lead] of [
      ['按县乡', 2],
      ['人员明细', 7],
    ] as const) {
      const sheet = sheets.get(name)!;
      const total = rowOf(sheet, '合计');
      // A group under 3 shows "<3" and empty cells; it is inside the small groups' row.
      const rows = body(sheet).filter((r) => r[col(sheet, '在岗人数')] !== '<3');
      for (const header of [...FIGURE_HEADERS.map(([h]) => h), '收入（元）']) {
        const c = col(sheet, header);
        expect(c).toBeGreaterThanOrEqual(lead);
        const values = rows.map((r) => r[c]);
        expect(
          values.every((v) => typeof v === 'number'),
          `${name} ${header}`,
        ).toBe(true);
        const sum = values.reduce((s: number, v) => s + (v as number), 0);
        expect(sum, `${name} ${header}`).toBeCloseTo(total[c] as number, 9);
      }
    }
    const area = sheets.get('按县乡')!;
    expect(rowOf(area, '不足3人的组合计（2组）')[col(area, '收入（元）')]).toBe(2.3);

    // The monthly trend: what adds up over months does.
    const trend = sheets.get('月度趋势')!;
    const trendTotal = rowOf(trend, '合计');
    for (const header of ['新增', '离开', '工作天数', '有效工时（小时）', '完成条数', '合格条数', '收入（元）']) {
      const c = col(trend, header);
      const sum = body(trend).reduce((s, r) => s + ((r[c] as number) ?? 0), 0);
      expect(sum, header).toBeCloseTo(trendTotal[c] as number, 9);
    }
    expect(rowOf(trend, '2026-11')[col(trend, '在岗人数')]).toBe(7);

    const retention = sheets.get('留存')!;
    const may = rowOf(retention, '2026-05');
    // wang started in May: no answers in August, back at work in November.
    expect(may).toEqual(['2026-05', 1, '2026-08', 0, 0, '2026-11', 1, 1]);
    const total = rowOf(retention, '合计');
    expect(total[col(retention, '入职人数')]).toBe(body(retention).reduce((s, r) => s + (r[1] as number), 0));
  });

  it('counts only the actor’s own base, and only for managers and admins', async () => {
    const other = await t.ctx.repos.orgs.create('Third base', 'vendor', t.clock.now());
    const otherManager = await t.newUser('other_mgr', 'manager', other.id);
    const theirs = await get('/api/reports/employment?month=2026-11', otherManager.headers);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().summary.workers).toBe(0);

    const admin = await t.newUser('admin', 'admin');
    expect((await get('/api/reports/employment?month=2026-11', admin.headers)).json().summary).toEqual(
      NOVEMBER.summary,
    );
    for (const role of ['worker', 'reviewer'] as const) {
      const u = await t.newUser(`a_${role}`, role);
      for (const url of ['/api/reports/employment?month=2026-11', '/api/reports/employment.xlsx?month=2026-11']) {
        const res = await get(url, u.headers);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.id).toBe('role_not_allowed');
      }
    }
    const anonymous = await get('/api/reports/employment?month=2026-11', {});
    expect(anonymous.statusCode).toBe(401);
  });

  it('covers a range of months and the current month by default', async () => {
    const range = await get('/api/reports/employment?from=2026-10&to=2026-11', manager.headers);
    expect(range.statusCode).toBe(200);
    // gone joins (she worked, was paid and left in October).
    expect(range.json().summary).toMatchObject({ workers: 8, leavingWorkers: 2, incomeFen: 1680 });
    const now = await get('/api/reports/employment', manager.headers);
    expect(now.json().period.to).toBe('2026-11'); // the test clock's month
  });

  it('rejects a bad period with a stable error id', async () => {
    for (const [url, id] of [
      ['/api/reports/employment?month=2026-13', 'invalid_request'],
      ['/api/reports/employment?month=November', 'invalid_request'],
      ['/api/reports/employment?from=2026-11&to=2026-10', 'invalid_period'],
      ['/api/reports/employment?month=2026-11&from=2026-10', 'invalid_period'],
      ['/api/reports/employment?from=2020-01&to=2026-11', 'period_too_long'],
      ['/api/reports/employment.xlsx?trendMonths=0', 'invalid_request'],
    ] as const) {
      const res = await get(url, manager.headers);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.id, url).toBe(id);
    }
  });
});
