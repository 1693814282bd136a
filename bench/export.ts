/**
 * COCO export benchmark: a face-68 project whose export holds `--annotations`
 * annotations (one face of 68 points each) is streamed to a file by
 * `ExportService.coco` in `--mode` (final, the default; accepted; all), in a child
 * process of its own so that its peak RSS is the export's and not the set-up's.
 *
 *     npx tsx bench/export.ts [--annotations 1000000] [--mode final|accepted|all] [--overlap 3] [--keep] [--json out.json]
 *
 * Set-up (not timed): org, manager, `overlap` workers and the project through the
 * services, then rows inserted with raw better-sqlite3 prepared statements (foreign
 * keys on). Every item is finished: its overlap of answers counted and its consensus
 * stored. `final` exports one consensus per item, so it gets `--annotations` items
 * with a consensus each and no stored answers (the final export never reads them);
 * `accepted` and `all` export the stored answers, so they get `--annotations`
 * answers, `--overlap` per item, and a consensus per item.
 * Measured: annotations/s, output size, peak RSS (sampled every 50 ms and after every
 * chunk; no --expose-gc, no forced GC) and the kernel's high-water mark. BASELINE in
 * the same run, also in a child: reading the same rows (consensus, or answers) with
 * better-sqlite3 `.iterate()` and JSON.parse of each, nothing else. The output is
 * checked afterwards: head and tail, and the number of images and annotations by a
 * streaming scan; at ≤ 100k annotations it is also JSON.parse'd whole.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import {
  boxLoad,
  face68Answer,
  fmt,
  kernelPeakRss,
  mdTable,
  MemorySampler,
  parseArgs,
  prng,
  RESULT_TAG,
  runNodeForResult,
  tempDir,
} from './lib.js';
import { benchContext, buildFixture, IMAGE_H, IMAGE_W } from './setup.js';
import { DEFAULT_EXPORT_OPTIONS, EXPORT_MODES, type ExportMode } from '../src/core/api/export-options.js';

const args = parseArgs({
  annotations: 1_000_000,
  mode: 'final',
  overlap: 3,
  keep: false,
  json: '',
  // Internal: the child phases.
  phase: '',
  dir: '',
  project: 0,
});
if (!(EXPORT_MODES as readonly string[]).includes(args.mode))
  throw new Error(`--mode is one of ${EXPORT_MODES.join(', ')}`);
const mode = args.mode as ExportMode;
/** Answers per item in the fixture: `final` stores none, only each item's consensus. */
const perItem = mode === 'final' ? 1 : args.overlap;
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const perS = (n: number, ms: number) => n / (ms / 1000);
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

interface PhaseResult {
  ms: number;
  /** CPU time (user + system) of the child during the phase, all threads. */
  cpuMs: number;
  rows: number;
  bytes: number;
  rssBefore: number;
  peakRss: number;
  peakHeap: number;
  kernelPeakRss: number;
  samples: number;
}

// ---------------------------------------------------------------------------------
// Child phases.

async function exportPhase(): Promise<PhaseResult> {
  const ctx = await benchContext(args.dir);
  const out = path.join(args.dir, 'export.json');
  const rssBefore = process.memoryUsage().rss;
  const mem = new MemorySampler(50);
  const c0 = process.cpuUsage();
  const t = performance.now();
  const { chunks } = await ctx.services.exports.coco(null, args.project, { ...DEFAULT_EXPORT_OPTIONS, mode });
  const ws = fs.createWriteStream(out);
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    if (!ws.write(chunk)) await once(ws, 'drain');
    mem.sample();
  }
  ws.end();
  await once(ws, 'finish');
  const ms = performance.now() - t;
  const cpuMs = cpuSince(c0);
  mem.stop();
  await ctx.close();
  return {
    ms,
    cpuMs,
    rows: args.annotations,
    bytes,
    rssBefore,
    peakRss: mem.peakRss,
    peakHeap: mem.peakHeap,
    kernelPeakRss: kernelPeakRss(),
    samples: mem.samples,
  };
}

async function baselinePhase(): Promise<PhaseResult> {
  const db = new SQLite(path.join(args.dir, 'shugu.db'), { readonly: true });
  db.pragma('cache_size = -65536');
  const rssBefore = process.memoryUsage().rss;
  const mem = new MemorySampler(50);
  const c0 = process.cpuUsage();
  const t = performance.now();
  const stmt = db.prepare(
    mode === 'final'
      ? 'select item_id, data from consensus where project_id = ? order by item_id'
      : 'select id, item_id, worker_id, data from annotations where project_id = ? order by id',
  );
  let rows = 0;
  let instances = 0;
  for (const r of stmt.iterate(args.project) as IterableIterator<{ data: string }>) {
    instances += (JSON.parse(r.data) as { instances: unknown[] }).instances.length;
    if (++rows % 2000 === 0) {
      mem.sample();
      await new Promise((resolve) => setImmediate(resolve)); // let the sampler run, as the export's awaits do
    }
  }
  const ms = performance.now() - t;
  const cpuMs = cpuSince(c0);
  mem.stop();
  db.close();
  if (instances !== rows) throw new Error(`expected one instance per answer, got ${instances} in ${rows}`);
  return {
    ms,
    cpuMs,
    rows,
    bytes: 0,
    rssBefore,
    peakRss: mem.peakRss,
    peakHeap: mem.peakHeap,
    kernelPeakRss: kernelPeakRss(),
    samples: mem.samples,
  };
}

// ---------------------------------------------------------------------------------
// Set-up: rows straight into the tables.

async function build(dir: string): Promise<number> {
  const ctx = await benchContext(dir);
  const fx = await buildFixture(ctx, { workers: args.overlap, overlap: args.overlap });
  await ctx.close();

  const db = new SQLite(path.join(dir, 'shugu.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -262144');
  const insItem = db.prepare(
    `insert into items (id, project_id, blob_sha256, source_path, name, width, height, meta, is_gold, claimed, open, submitted, created_at)
     values (?, ?, ?, null, ?, ?, ?, null, 0, ?, 0, ?, ?)`,
  );
  const insAsg = db.prepare(
    `insert into assignments (id, project_id, item_id, worker_id, status, leased_at, expires_at, ended_at, skip_reason)
     values (?, ?, ?, ?, 'submitted', ?, ?, ?, null)`,
  );
  const insAnn = db.prepare(
    `insert into annotations (id, project_id, item_id, assignment_id, worker_id, client_submission_id, data, instance_count, active_ms, created_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insConsensus = db.prepare(
    `insert into consensus (item_id, project_id, data, agreement, details, submissions, created_at)
     values (?, ?, ?, 0.9, '{"instances":[],"unmerged":0}', ?, ?)`,
  );
  const rand = prng(42);
  const variants = Array.from({ length: 997 }, () => JSON.stringify(face68Answer(IMAGE_W, IMAGE_H, rand)));
  const total = args.annotations;
  const items = Math.ceil(total / perItem);
  const now = Date.now();
  const CHUNK = 50_000;
  let done = 0;
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let a = from; a < to; a++) {
      const item = Math.floor(a / perItem) + 1;
      const k = a % perItem;
      if (k === 0) {
        // Finished: the project's overlap of answers counted, and its consensus stored.
        const name = `img-${String(item).padStart(7, '0')}.jpg`;
        insItem.run(item, fx.projectId, fx.blobSha, name, IMAGE_W, IMAGE_H, args.overlap, args.overlap, now);
        insConsensus.run(item, fx.projectId, variants[item % variants.length], args.overlap, now);
      }
      if (mode === 'final') continue;
      const id = a + 1;
      const worker = fx.workers[k].id;
      insAsg.run(id, fx.projectId, item, worker, now - 60_000, now + 540_000, now);
      insAnn.run(
        id,
        fx.projectId,
        item,
        id,
        worker,
        `seed-${id}`,
        variants[a % variants.length],
        20_000 + (a % 5000),
        now,
      );
    }
  });
  while (done < total) {
    const to = Math.min(total, done + CHUNK);
    batch(done, to);
    done = to;
    if (done % 200_000 === 0 || done === total) log(`  inserted ${done} annotations (${items} items)`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const answers = mode === 'final' ? 0 : total;
  log(
    `set-up: ${items} items with a consensus each, ${answers} assignments and answers in ${fmt.s(performance.now() - t)} s (not timed)`,
  );
  return fx.projectId;
}

/** Counts occurrences of `needle` in a file by streaming it; also returns its first and last bytes. */
async function scan(file: string, needles: string[]): Promise<{ counts: number[]; head: string; tail: string }> {
  const bufs = needles.map((n) => Buffer.from(n));
  const keep = Math.max(...bufs.map((b) => b.length)) - 1;
  const counts = needles.map(() => 0);
  let carry = Buffer.alloc(0);
  let head = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (!head) head = chunk.subarray(0, 120).toString();
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    bufs.forEach((b, i) => {
      for (let at = buf.indexOf(b); at >= 0; at = buf.indexOf(b, at + b.length)) counts[i]++;
    });
    carry = Buffer.from(buf.subarray(buf.length - keep));
  }
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  const tailBuf = Buffer.alloc(Math.min(200, size));
  fs.readSync(fd, tailBuf, 0, tailBuf.length, size - tailBuf.length);
  fs.closeSync(fd);
  return { counts, head, tail: tailBuf.toString() };
}

/**
 * The child runs this file. Bundled with esbuild (a dependency of tsx) into plain
 * JavaScript beside it when possible, so that the tsx loader's own ~35 MB stay out of
 * the measured RSS; otherwise through tsx.
 */
async function childEntry(): Promise<{ entry: string[]; via: string; cleanup: () => void }> {
  const self = fileURLToPath(import.meta.url);
  try {
    const esbuild = await import('esbuild');
    const outfile = path.join(path.dirname(self), `.export-child-${process.pid}.mjs`);
    await esbuild.build({
      entryPoints: [self],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'error',
    });
    return { entry: [outfile], via: 'plain node (esbuild bundle)', cleanup: () => fs.rmSync(outfile, { force: true }) };
  } catch (err) {
    return {
      entry: ['--import', 'tsx', self],
      via: `tsx (no esbuild bundle: ${(err as Error).message})`,
      cleanup: () => {},
    };
  }
}

async function main() {
  if (args.phase) {
    const r = args.phase === 'export' ? await exportPhase() : await baselinePhase();
    console.log(`${RESULT_TAG}${JSON.stringify(r)}`);
    return;
  }
  const dir = tempDir('shugu-bench-export-');
  log(
    `export --mode ${mode}: ${args.annotations} annotations of 68 points, ${perItem} per item; ${boxLoad()}; node ${process.version}; folder ${dir}`,
  );
  let cleanup = () => {};
  try {
    const projectId = await build(dir);
    const childRun = await childEntry();
    const { entry, via } = childRun;
    cleanup = childRun.cleanup;
    log(`child phases run via ${via}`);
    const child = (phase: string) =>
      runNodeForResult<PhaseResult>([
        ...entry,
        '--phase',
        phase,
        '--dir',
        dir,
        '--project',
        String(projectId),
        '--annotations',
        String(args.annotations),
        '--mode',
        mode,
        '--overlap',
        String(args.overlap),
      ]);

    log('export (child process) …');
    const exp = (await child('export')).result;
    log(
      `export: ${fmt.s(exp.ms)} s, ${fmt.int(perS(exp.rows, exp.ms))} annotations/s, ${fmt.mb(exp.bytes)} MB, peak RSS ${fmt.mb(exp.peakRss)} MB`,
    );
    log('BASELINE raw iterate + JSON.parse (child process) …');
    const base = (await child('baseline')).result;
    log(
      `baseline: ${fmt.s(base.ms)} s, ${fmt.int(perS(base.rows, base.ms))} rows/s, peak RSS ${fmt.mb(base.peakRss)} MB`,
    );

    // Check the file.
    const file = path.join(dir, 'export.json');
    const t = performance.now();
    const s = await scan(file, ['"image_id":', '"file_name":']);
    const items = Math.ceil(args.annotations / perItem);
    const problems: string[] = [];
    if (!s.head.startsWith('{"info":')) problems.push(`head is ${JSON.stringify(s.head.slice(0, 40))}`);
    if (!s.tail.endsWith(']}\n')) problems.push(`tail is ${JSON.stringify(s.tail.slice(-40))}`);
    if (s.counts[0] !== args.annotations) problems.push(`${s.counts[0]} annotations, expected ${args.annotations}`);
    if (s.counts[1] !== items) problems.push(`${s.counts[1]} images, expected ${items}`);
    let parsed = 'not parsed whole (over 100k annotations)';
    if (args.annotations <= 100_000) {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        images: unknown[];
        annotations: { keypoints: number[] }[];
      };
      if (doc.annotations.length !== args.annotations)
        problems.push(`JSON.parse: ${doc.annotations.length} annotations`);
      if (doc.images.length !== items) problems.push(`JSON.parse: ${doc.images.length} images`);
      if (doc.annotations.some((a) => a.keypoints.length !== 68 * 3))
        problems.push('an annotation without 68×3 keypoint numbers');
      parsed = 'JSON.parse of the whole file: ok';
    }
    const verdict = problems.length
      ? `PROBLEMS: ${problems.join('; ')}`
      : `ok (${s.counts[1]} images, ${s.counts[0]} annotations; ${parsed})`;
    log(`output check in ${fmt.s(performance.now() - t)} s: ${verdict}`);

    console.log('\n## COCO export summary\n');
    console.log(
      `--mode ${mode}: ${args.annotations.toLocaleString('en-US')} annotations × 68 points (${items.toLocaleString('en-US')} finished images, ${mode === 'final' ? 'one consensus' : `${perItem} answers`} each), SQLite, node ${process.version}, ${boxLoad()} at the end; each path in its own child process (${via}); peak RSS sampled every 50 ms and per chunk, no --expose-gc\n`,
    );
    const row = (name: string, r: PhaseResult, output: string, target: string) => [
      name,
      fmt.s(r.ms),
      fmt.int(perS(r.rows, r.ms)),
      fmt.s(r.cpuMs),
      fmt.int(perS(r.rows, r.cpuMs)),
      output,
      `${fmt.mb(r.peakRss)} / ${fmt.mb(r.kernelPeakRss)} MB`,
      `${fmt.mb(r.rssBefore)} MB`,
      target,
    ];
    console.log(
      mdTable(
        [
          'path',
          'wall s',
          'annotations/s',
          'CPU s',
          'per CPU-second',
          'output',
          'peak RSS (sampled / kernel HWM)',
          'RSS before',
          'target',
        ],
        [
          row('ExportService.coco → file', exp, `${fmt.mb(exp.bytes)} MB`, '≥ 50,000/s, ≤ 256 MB'),
          row(
            `BASELINE better-sqlite3 iterate + JSON.parse of ${mode === 'final' ? 'consensus' : 'answer'} rows`,
            base,
            '–',
            '',
          ),
        ],
      ),
    );
    console.log(
      `\nOutput check: ${verdict}. Export throughput ${fmt.mb(exp.bytes / (exp.ms / 1000))} MB/s; peak JS heap ${fmt.mb(exp.peakHeap)} MB.`,
    );
    const result = { args, node: process.version, export: exp, baseline: base, verdict, ok: problems.length === 0 };
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2));
    console.log(`\n${RESULT_TAG}${JSON.stringify(result)}`);
    if (problems.length) process.exitCode = 1;
  } finally {
    cleanup();
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
