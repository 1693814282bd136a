/**
 * `shugu report employment` in a child process, against a SQLite file seeded with
 * the November month of `report-seed.ts`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { createContext } from '../../src/server/context.js';
import { UserService } from '../../src/server/services/user.service.js';
import { PASSWORD } from '../helpers/harness.js';
import { HIDDEN, NOVEMBER, seedNovember } from '../helpers/report-seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('shugu report employment', { timeout: 120_000 }, () => {
  let dataDir: string;
  let orgId: number;

  const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHUGU_')));
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args],
        { cwd: root, env: { ...env, SHUGU_DATA_DIR: dataDir, SHUGU_SEED_DEMO: '0' }, timeout: 100_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-report-cli-'));
    const ctx = await createContext(loadConfig({}, { dataDir, seedDemo: false }));
    try {
      const now = Date.now();
      orgId = (await ctx.repos.orgs.create('Report base', 'vendor', now)).id;
      const manager = await UserService.insert(
        ctx.repos.users,
        { orgId, username: 'manager', password: PASSWORD, role: 'manager' },
        now,
      );
      const project = await ctx.services.projects.create((await ctx.repos.users.get(manager.id))!, {
        name: 'Report faces',
        templateId: 'face-5',
        overlap: 1,
        leaseSeconds: 600,
        pieceRateFen: 150,
        maxInstances: 5,
        instructions: '',
      });
      await seedNovember(ctx, orgId, project.id); // also adds a second vendor
    } finally {
      await ctx.close();
    }
  });
  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks which base when there are several', async () => {
    const run = await cli(['report', 'employment', '--month', '2026-11']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--org');
  });

  it('prints the figures as JSON and as text, naming nobody who did not consent', async () => {
    const json = await cli(['report', 'employment', '--month', '2026-11', '--org', String(orgId), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toEqual(NOVEMBER.summary);
    const text = await cli(['report', 'employment', '--month', '2026-11', '--org', String(orgId)]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('建档立卡贫困户');
    expect(text.stdout).toContain('未具名 1 人');
    expect(text.stdout).toContain('<3');
    for (const out of [json.stdout, text.stdout]) {
      expect(out).not.toContain(HIDDEN.name);
      expect(out).not.toContain(HIDDEN.username);
    }
  });

  it('writes the .xlsx workbook', async () => {
    const file = path.join(dataDir, 'november.xlsx');
    const run = await cli(['report', 'employment', '--month', '2026-11', '--org', String(orgId), '--out', file]);
    expect(run.code, run.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const summary = wb.getWorksheet('概况')!;
    const workers = summary.getColumn(1).values.indexOf('在岗人数');
    expect(summary.getRow(workers).getCell(2).value).toBe(NOVEMBER.summary.workers);
    expect(wb.worksheets.map((w) => w.name)).toHaveLength(6);
  });

  it('refuses a bad month', async () => {
    const run = await cli(['report', 'employment', '--month', '2026-13', '--org', String(orgId)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('2026-13');
  });
});
