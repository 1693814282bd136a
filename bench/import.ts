/**
 * Manifest import benchmark: a generated JSON Lines manifest (every row names one
 * stored image by sha256, with width, height, a name and a small meta) imported by
 * `ManifestService.importFile`, and once more through the CLI with `--cli`.
 *
 *     npx tsx bench/import.ts [--rows 1000000] [--cli] [--sync FULL|NORMAL] [--keep]
 *
 * Baselines in the same run: reading + JSON.parse of the file the way the service
 * reads it (readline), and raw better-sqlite3 prepared-statement inserts of the same
 * rows in one transaction into a scratch table shaped and indexed like `items` (the
 * floor of what the database can do). Writing the manifest is not timed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import SQLite from 'better-sqlite3';
import { boxLoad, cpuSecondsOf, fmt, mdTable, parseArgs, RESULT_TAG, ROOT, shuguCli, tempDir } from './lib.js';
import { benchContext, buildFixture, createProject, IMAGE_H, IMAGE_W, writeManifest } from './setup.js';

const args = parseArgs({ rows: 1_000_000, cli: false, sync: 'FULL', keep: false, json: '' });
if (!['FULL', 'NORMAL'].includes(args.sync)) throw new Error('--sync is FULL or NORMAL');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const perS = (n: number, ms: number) => n / (ms / 1000);
/** CPU milliseconds (user + system) this process used since `from`. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

async function readAndParse(file: string): Promise<{ ms: number; cpu: number; rows: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  let rows = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const text of lines) {
    if (!text.trim()) continue;
    const rec = JSON.parse(text) as { width: number };
    if (rec.width > 0) rows++;
  }
  return { ms: performance.now() - t, cpu: cpuMs(c), rows };
}

/** Raw prepared inserts into a scratch copy of `items` (same columns and indexes, no foreign keys). */
function rawInsert(dbFile: string, rows: number, sha: string): { ms: number; cpu: number } {
  const db = new SQLite(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${args.sync}`);
  db.pragma('cache_size = -65536');
  db.exec(`
    drop table if exists items_scratch;
    create table items_scratch (
      id integer primary key autoincrement, project_id integer not null, blob_sha256 text, source_path text,
      name text not null, width integer not null, height integer not null, meta text,
      is_gold integer not null default 0, claimed integer not null default 0, open integer not null default 1,
      submitted integer not null default 0, created_at bigint not null);
    create index items_scratch_lease on items_scratch (project_id, open, id);
    create index items_scratch_project on items_scratch (project_id, id);
    create index items_scratch_blob on items_scratch (project_id, blob_sha256);`);
  const stmt = db.prepare(
    `insert into items_scratch (project_id, blob_sha256, source_path, name, width, height, meta, is_gold, claimed, open, submitted, created_at)
     values (?, ?, null, ?, ?, ?, ?, 0, 0, 1, 0, ?)`,
  );
  const now = Date.now();
  const c = process.cpuUsage();
  const t = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      stmt.run(
        999,
        sha,
        `img-${String(i).padStart(7, '0')}.jpg`,
        IMAGE_W,
        IMAGE_H,
        `{"batch":${i % 97},"camera":"cam-${i % 5}"}`,
        now,
      );
    }
  })();
  const ms = performance.now() - t;
  const cpu = cpuMs(c);
  db.exec('drop table items_scratch');
  db.close();
  return { ms, cpu };
}

function runCli(
  dir: string,
  projectId: number,
  file: string,
): Promise<{ wallMs: number; cpuMs: number; reported: string; code: number | null }> {
  const cli = shuguCli();
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const proc = spawn(process.execPath, [...cli.args, '--data-dir', dir, 'import-manifest', String(projectId), file], {
      cwd: ROOT,
      env: { ...process.env, SHUGU_SEED_DEMO: '0', SHUGU_LOG_LEVEL: 'warn', SHUGU_SQLITE_SYNC: args.sync },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    // The child's CPU time, read from /proc until it exits (so within 100 ms of the end).
    let cpu = 0;
    const poll = setInterval(() => {
      const c = cpuSecondsOf(proc.pid!);
      if (Number.isFinite(c)) cpu = c;
    }, 100);
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (out += c));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearInterval(poll);
      resolve({
        wallMs: performance.now() - t,
        cpuMs: cpu * 1000,
        code,
        reported: /added .*items\/s\)/.exec(out)?.[0] ?? out.slice(-300),
      });
    });
  });
}

async function main() {
  const dir = tempDir('shugu-bench-import-');
  log(`import: ${args.rows} rows, synchronous=${args.sync}; ${boxLoad()}; node ${process.version}; folder ${dir}`);
  try {
    const ctx = await benchContext(dir, undefined, args.sync as 'FULL' | 'NORMAL');
    const fx = await buildFixture(ctx, { workers: 0, overlap: 1 });
    const second = args.cli ? await createProject(ctx, fx.orgId, fx.managerId, 1, 'CLI import') : undefined;
    const file = path.join(dir, 'manifest.jsonl');
    let t = performance.now();
    const bytes = writeManifest(file, args.rows, fx.blobSha);
    log(`manifest written: ${fmt.mb(bytes)} MB in ${fmt.s(performance.now() - t)} s (not timed)`);

    // Warm the page cache the same way for everyone: the first reader would otherwise pay for the disk.
    const parse = await readAndParse(file);
    log(`BASELINE read + JSON.parse (readline): ${fmt.s(parse.ms)} s, ${fmt.int(perS(parse.rows, parse.ms))} rows/s`);

    let checkDone = 0;
    const c0 = process.cpuUsage();
    t = performance.now();
    const { added } = await ctx.services.manifests.importFile(
      null,
      fx.projectId,
      file,
      'jsonl',
      (phase, _rows, total) => {
        if (phase === 'check' && total) checkDone = performance.now();
      },
    );
    const importMs = performance.now() - t;
    const importCpu = cpuMs(c0);
    const checkMs = checkDone - t;
    const count = Number(
      (
        await ctx.db
          .selectFrom('items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', fx.projectId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (count !== args.rows || added !== args.rows)
      throw new Error(`imported ${added}, counted ${count}, expected ${args.rows}`);
    log(
      `service import: ${fmt.s(importMs)} s (${fmt.int(perS(added, importMs))} rows/s; check pass ${fmt.s(checkMs)} s, write pass ${fmt.s(importMs - checkMs)} s); ${count} items counted`,
    );
    const peakRss = process.memoryUsage().rss;
    await ctx.close();

    const raw = rawInsert(path.join(dir, 'shugu.db'), args.rows, fx.blobSha);
    log(
      `BASELINE raw better-sqlite3 inserts, one transaction: ${fmt.s(raw.ms)} s, ${fmt.int(perS(args.rows, raw.ms))} rows/s`,
    );

    let cli: Awaited<ReturnType<typeof runCli>> | undefined;
    if (second) {
      cli = await runCli(dir, second.id, file);
      log(
        `CLI import-manifest: ${fmt.s(cli.wallMs)} s wall incl. start-up (exit ${cli.code}); it reported: ${cli.reported}`,
      );
      if (cli.code !== 0) throw new Error('the CLI import failed');
    }

    console.log('\n## Manifest import summary\n');
    console.log(
      `${args.rows.toLocaleString('en-US')} JSONL rows (${fmt.mb(bytes)} MB), SQLite synchronous=${args.sync}, node ${process.version}, ${boxLoad()} at the end\n`,
    );
    const row = (name: string, ms: number, cpu: number, target = '') => [
      name,
      fmt.s(ms),
      fmt.int(perS(args.rows, ms)),
      Number.isFinite(cpu) ? fmt.s(cpu) : '–',
      Number.isFinite(cpu) ? fmt.int(perS(args.rows, cpu)) : '–',
      target,
    ];
    console.log(
      mdTable(
        ['path', 'wall s', 'rows/s', 'CPU s', 'rows per CPU-second', 'target'],
        [
          row('ManifestService.importFile (check + write)', importMs, importCpu, '≥ 100,000 rows/s'),
          row('  of which check pass (parse + validate + blob lookups)', checkMs, NaN),
          row('  of which write pass (parse again + insert in 10k chunks)', importMs - checkMs, NaN),
          ...(cli ? [row('CLI import-manifest (wall incl. start-up; CPU of the child)', cli.wallMs, cli.cpuMs)] : []),
          row('BASELINE read + JSON.parse only', parse.ms, parse.cpu),
          row('BASELINE raw prepared inserts, one transaction', raw.ms, raw.cpu),
          row('BASELINE floor: one parse + raw inserts', parse.ms + raw.ms, parse.cpu + raw.cpu),
        ],
      ),
    );
    console.log(`\nRSS of the benchmark process after the service import: ${fmt.mb(peakRss)} MB`);
    const result = {
      args,
      node: process.version,
      bytes,
      importMs,
      importCpuMs: importCpu,
      checkMs,
      serviceRowsPerS: perS(args.rows, importMs),
      cli: cli && {
        wallMs: cli.wallMs,
        cpuMs: cli.cpuMs,
        rowsPerS: perS(args.rows, cli.wallMs),
        reported: cli.reported,
      },
      parseMs: parse.ms,
      parseCpuMs: parse.cpu,
      rawInsertMs: raw.ms,
      rawInsertCpuMs: raw.cpu,
    };
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2));
    console.log(`\n${RESULT_TAG}${JSON.stringify(result)}`);
  } finally {
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
