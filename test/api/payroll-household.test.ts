/**
 * The payroll names each worker's household status, as the employment report does:
 * the base hands both to the same offices (issue 8). Found by the journey test in
 * Chromium, where the downloaded payroll had no such column.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAYROLL_COLUMNS, PAYROLL_SHEET } from '../../src/server/services/payroll-sheet.js';
import { dialects } from '../helpers/databases.js';
import { face5Answer, startTestApp, type TestApp } from '../helpers/harness.js';

const HOUSEHOLD = '户籍类别 Household status';

describe.each(dialects)('payroll household status on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => t.close());

  it('writes each worker’s household label in the JSON, the .xlsx and the CSV', async () => {
    const manager = await t.newUser('manager', 'manager');
    const poor = await t.newUser('poor', 'worker');
    await t.newUser('plain', 'worker');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/people/${poor.id}`,
      headers: manager.headers,
      payload: { household: 'registered_poor' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const project = await t.newProject(manager.headers, { overlap: 1, pieceRateFen: 120 });
    await t.addImages(manager.headers, project.id, 1);
    const lease = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/lease`, headers: poor.headers })
    ).json().lease;
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/assignments/${lease.assignmentId}/submit`,
      headers: poor.headers,
      payload: { clientSubmissionId: randomUUID(), data: face5Answer(), activeMs: 60_000 },
    });
    expect(submitted.statusCode).toBe(200);

    const json = (
      await t.app.inject({ method: 'GET', url: '/api/pay/payroll?period=2026-11', headers: manager.headers })
    ).json();
    const byName = new Map(json.rows.map((r: { username: string }) => [r.username, r]));
    expect(byName.get('poor')).toMatchObject({
      household: 'registered_poor',
      householdLabel: '建档立卡贫困户',
      grossFen: 120,
    });
    // A person created without a status holds the default, 一般户.
    expect(byName.get('plain')).toMatchObject({ householdLabel: '一般户', grossFen: 0 });

    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/pay/payroll.xlsx?period=2026-11',
      headers: manager.headers,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.getWorksheet(PAYROLL_SHEET)!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(PAYROLL_COLUMNS.map((c) => c.header));
    const col = header.indexOf(HOUSEHOLD) + 1;
    const user = header.findIndex((h) => String(h).includes('Username')) + 1;
    expect(col).toBeGreaterThan(0);
    const cells = new Map<unknown, unknown>();
    sheet.eachRow((row, n) => n > 1 && cells.set(row.getCell(user).value, row.getCell(col).value));
    expect(cells.get('poor')).toBe('建档立卡贫困户');
    expect(cells.get('plain')).toBe('一般户');

    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/pay/payroll.csv?period=2026-11',
      headers: manager.headers,
    });
    const records = parseCsv(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.find((r) => r['用户名 Username'] === 'poor')![HOUSEHOLD]).toBe('建档立卡贫困户');
  });
});
