/**
 * Work-loop benchmark: N simulated workers lease → submit (68 points) → lease over
 * HTTP against a real `shugu serve` child process, then the database is checked for
 * lost, doubled and over-overlapped answers.
 *
 *     npx tsx bench/work-loop.ts --items 10000 --workers 1000 --seconds 20 --overlap 3 \
 *       [--db sqlite|postgres] [--pg-url postgres://postgres@127.0.0.1:5432/postgres] \
 *       [--rate 0] [--warmup 2] [--baseline-seconds 5] [--login http|direct] \
 *       [--sync GROUP|FULL|NORMAL] [--profile] [--sql-stats] [--keep] [--json out.json]
 *
 * Phases: (1) a fresh database in a temp folder, filled through the services
 * (workers share one argon2 hash; items come from a JSONL manifest naming one stored
 * image); (2) BASELINE: a bare Fastify child answering POST /echo, hit by the same
 * client with the same concurrency; (3) the Shugu server as a child process (so the
 * load generator and the server do not share an event loop), every worker logged in
 * over HTTP in batches; (4) the loop for `--warmup` + `--seconds`, only the last
 * `--seconds` counted; (5) anomaly checks straight on the database.
 *
 * `--rate R` paces the workers to R cycles/s in total (each worker waits for its next
 * slot, workers/R seconds apart); the default 0 runs every worker flat out (closed
 * loop, no think time), which measures the most the server can do and — by Little's
 * law — makes the mean latency ≈ workers ÷ throughput.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mainThreadProfile, summarizeProfile } from './cpuprofile-top.js';
import {
  boxCpuSeconds,
  boxLoad,
  cpuSecondsOf,
  face68Answer,
  fmt,
  freePort,
  HttpClient,
  mdTable,
  parseArgs,
  prng,
  RESULT_TAG,
  ROOT,
  Samples,
  sha256,
  shuguCli,
  sleep,
  startNode,
  summarize,
  tail,
  tempDir,
  waitForHttp,
  type Child,
  type Summary,
} from './lib.js';
import { benchContext, buildFixture, createPgDatabase, IMAGE_H, IMAGE_W, PASSWORD, writeManifest } from './setup.js';
import { WorkerIds } from '../src/server/services/worker-ids.js';

const args = parseArgs({
  items: 10_000,
  workers: 1000,
  seconds: 20,
  overlap: 3,
  db: 'sqlite',
  pgUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  rate: 0,
  warmup: 3,
  baselineSeconds: 5,
  login: 'http',
  loginBatch: 25,
  sync: 'GROUP',
  profile: false,
  sqlStats: false,
  keep: false,
  json: '',
});
if (!['sqlite', 'postgres'].includes(args.db)) throw new Error('--db is sqlite or postgres');
if (!['http', 'direct'].includes(args.login)) throw new Error('--login is http or direct');
if (!['GROUP', 'FULL', 'NORMAL'].includes(args.sync)) throw new Error('--sync is GROUP, FULL or NORMAL');

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

// ---------------------------------------------------------------------------------
// The client loop, shared by the baseline and the work loop.

/** Runs `workers` loops until the deadline; `step` does one cycle and returns false to stop that worker. */
async function runLoops(
  workers: number,
  warmupMs: number,
  measureMs: number,
  serverPid: number,
  step: (w: number, measuring: () => boolean) => Promise<boolean>,
): Promise<{
  windowMs: number;
  cycles: number;
  clientCpu: number;
  serverCpu: number;
  boxBusyCores: number;
  otherCores: number;
  stoppedEarly: number;
  windowStartUs: number;
  windowEndUs: number;
  activeWorkers: number;
  perWorker: Summary;
}> {
  const t0 = performance.now();
  const warmEnd = t0 + warmupMs;
  const deadline = warmEnd + measureMs;
  let cycles = 0;
  let stoppedEarly = 0;
  const perWorker = new Uint32Array(workers);
  let cpu0 = process.cpuUsage();
  let scpu0 = cpuSecondsOf(serverPid);
  let box0 = boxCpuSeconds();
  let cpuTaken = false;
  const measuring = () => {
    const now = performance.now();
    return now >= warmEnd && now < deadline;
  };
  let windowStartUs = 0;
  let windowEndUs = 0;
  const hrUs = () => Number(process.hrtime.bigint() / 1000n);
  const takeCpu = setTimeout(
    () => {
      windowStartUs = hrUs();
      cpu0 = process.cpuUsage();
      scpu0 = cpuSecondsOf(serverPid);
      box0 = boxCpuSeconds();
      cpuTaken = true;
    },
    Math.max(0, warmEnd - performance.now()),
  );
  let cpuEnd: { c: NodeJS.CpuUsage; s: number; box: { busy: number; total: number } } | undefined;
  const boxSince = () => {
    const b = boxCpuSeconds();
    return { busy: b.busy - box0.busy, total: b.total - box0.total };
  };
  const endCpu = setTimeout(() => {
    windowEndUs = hrUs();
    cpuEnd = {
      c: process.cpuUsage(cpu0),
      s: cpuSecondsOf(serverPid) - scpu0,
      box: boxSince(),
    };
  }, deadline - performance.now());
  const interval = args.rate > 0 ? (workers / args.rate) * 1000 : 0;
  const rampMs = Math.min(warmupMs * 0.8, workers * 2);
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      // Arrivals are spread over most of the warm-up, so 1,000 connections do not hit the
      // listen backlog (511) at once; the measured window starts with everyone running.
      const start = t0 + (w / workers) * rampMs;
      let next = start + Math.random() * interval;
      if (!interval) await sleep(start - performance.now());
      for (;;) {
        if (interval) {
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
          next = Math.max(next + interval, performance.now());
        }
        if (performance.now() >= deadline) return;
        if (!(await step(w, measuring))) {
          if (performance.now() < deadline) stoppedEarly++;
          return;
        }
        if (measuring()) {
          cycles++;
          perWorker[w]++;
        }
      }
    }),
  );
  clearTimeout(takeCpu);
  clearTimeout(endCpu);
  const end = cpuEnd ?? {
    c: process.cpuUsage(cpu0),
    s: cpuSecondsOf(serverPid) - scpu0,
    box: boxSince(),
  };
  const clientCpuS = (end.c.user + end.c.system) / 1e6;
  if (!cpuTaken) log('warning: the loop ended before the warm-up did');
  return {
    windowMs: measureMs,
    cycles,
    clientCpu: (clientCpuS * 1000) / measureMs,
    serverCpu: (end.s * 1000) / measureMs,
    /** Cores' worth of CPU the whole box was busy, and the part used by neither process here. */
    boxBusyCores: (end.box.busy * 1000) / measureMs,
    otherCores: ((end.box.busy - end.s - clientCpuS) * 1000) / measureMs,
    stoppedEarly,
    windowStartUs,
    windowEndUs: windowEndUs || hrUs(),
    activeWorkers: perWorker.filter((n) => n > 0).length,
    perWorker: summarize(perWorker),
  };
}

// ---------------------------------------------------------------------------------
// Baseline: bare Fastify echo.

async function baseline(dir: string) {
  const port = await freePort();
  const child = startNode(
    ['--import', 'tsx', path.join(ROOT, 'bench', 'echo-server.ts'), String(port)],
    {},
    path.join(dir, 'echo.log'),
  );
  try {
    await waitForHttp(port, '/healthz', child);
    const client = new HttpClient(port, args.workers);
    await client.preconnect(args.workers, '/healthz');
    const lat = new Samples();
    let errors = 0;
    const body = JSON.stringify({ hello: 'world', n: 1, list: [1, 2, 3] });
    const r = await runLoops(
      args.workers,
      1000,
      args.baselineSeconds * 1000,
      child.proc.pid!,
      async (_w, measuring) => {
        const t = performance.now();
        try {
          const res = await client.post('/echo', body);
          if (res.status !== 200) errors++;
        } catch {
          errors++;
        }
        if (measuring()) lat.push(performance.now() - t);
        return true;
      },
    );
    client.close();
    return { ...r, latency: summarize(lat.view()), errors };
  } finally {
    await child.stop();
  }
}

// ---------------------------------------------------------------------------------
// The work loop.

interface Acked {
  annotationId: number;
  worker: number;
  item: number;
  assignment: number;
}

async function main() {
  const dir = tempDir('shugu-bench-work-');
  log(
    `work loop: ${args.items} items, ${args.workers} workers, overlap ${args.overlap}, ${args.db}, ${args.warmup}+${args.seconds} s, rate ${args.rate || 'unpaced'}; ${boxLoad()}; node ${process.version}; folder ${dir}`,
  );
  let pgDb: { url: string; drop: () => Promise<void> } | undefined;
  if (args.db === 'postgres') pgDb = await createPgDatabase(args.pgUrl);
  const databaseUrl = pgDb?.url ?? `sqlite:${path.join(dir, 'shugu.db')}`;

  // (1) Fixture.
  let t = performance.now();
  const ctx = await benchContext(dir, databaseUrl);
  const fx = await buildFixture(ctx, {
    workers: args.workers,
    overlap: args.overlap,
  });
  log(`org, ${args.workers} workers, project ${fx.projectId}, one blob: ${fmt.s(performance.now() - t)} s`);
  t = performance.now();
  const manifest = path.join(dir, 'items.jsonl');
  writeManifest(manifest, args.items, fx.blobSha);
  const { added } = await ctx.services.manifests.importFile(null, fx.projectId, manifest, 'jsonl');
  const importMs = performance.now() - t;
  log(
    `manifest of ${added} items written and imported: ${fmt.s(importMs)} s (${fmt.int(added / (importMs / 1000))} items/s)`,
  );
  fs.rmSync(manifest);
  const cookies: string[] = new Array(args.workers);
  if (args.login === 'direct') {
    const now = Date.now();
    for (let i = 0; i < fx.workers.length; i++) {
      const token = randomBytes(32).toString('base64url');
      await ctx.repos.users.createSession(sha256(token), fx.workers[i].id, now, now + 86_400_000);
      cookies[i] = `shugu_session=${token}`;
    }
  }
  await ctx.close();

  // (2) Baseline.
  let base: Awaited<ReturnType<typeof baseline>> | undefined;
  if (args.baselineSeconds > 0) {
    log(`baseline: bare Fastify POST /echo, ${args.workers} concurrent loops, 2+${args.baselineSeconds} s`);
    base = await baseline(dir);
    log(
      `baseline: ${fmt.int(base.cycles / (base.windowMs / 1000))} req/s, p50 ${fmt.ms(base.latency.p50)} ms, p99 ${fmt.ms(base.latency.p99)} ms, errors ${base.errors}`,
    );
  }

  // (3) Server.
  const port = await freePort();
  const sqlStatsFile = path.join(dir, 'sql-stats.json');
  const cli = shuguCli(args.sqlStats ? [pathToFileURL(path.join(ROOT, 'bench', 'sql-timer.ts')).href] : []);
  const profDir = path.join(dir, 'prof');
  const nodeFlags = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const server: Child = startNode(
    [...nodeFlags, ...cli.args, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir, 'serve', '--no-seed'],
    {
      SHUGU_SEED_DEMO: '0',
      SHUGU_LOG_LEVEL: 'warn',
      SHUGU_SQLITE_SYNC: args.sync,
      ...(pgDb ? { SHUGU_DATABASE_URL: pgDb.url } : {}),
      ...(args.sqlStats ? { BENCH_SQL_STATS: sqlStatsFile } : {}),
    },
    path.join(dir, 'server.log'),
  );
  const client = new HttpClient(port, args.workers);
  try {
    t = performance.now();
    await waitForHttp(port, '/healthz', server);
    log(
      `server up via ${cli.via} in ${fmt.s(performance.now() - t)} s (pid ${server.proc.pid}${args.db === 'sqlite' ? `, synchronous=${args.sync}` : ''})`,
    );

    if (args.login === 'http') {
      t = performance.now();
      for (let i = 0; i < fx.workers.length; i += args.loginBatch) {
        await Promise.all(
          fx.workers.slice(i, i + args.loginBatch).map(async (w, j) => {
            const res = await client.post(
              '/api/auth/login',
              JSON.stringify({ username: w.username, password: PASSWORD }),
            );
            if (res.status !== 200) throw new Error(`login of ${w.username}: ${res.status} ${res.body}`);
            const c = res.setCookie?.map((s) => s.split(';')[0]).find((s) => s.startsWith('shugu_session='));
            if (!c) throw new Error(`login of ${w.username} set no session cookie`);
            cookies[i + j] = c;
          }),
        );
      }
      log(
        `${fx.workers.length} workers logged in over HTTP in batches of ${args.loginBatch}: ${fmt.s(performance.now() - t)} s`,
      );
    } else log(`${fx.workers.length} sessions inserted directly (--login direct)`);

    t = performance.now();
    const open = await client.preconnect(args.workers, '/healthz');
    log(`${open} keep-alive connections open (${fmt.s(performance.now() - t)} s)`);

    // (4) The loop.
    const leaseLat = new Samples();
    const submitLat = new Samples();
    const cycleLat = new Samples();
    const acked: Acked[] = [];
    const errors = new Map<string, number>();
    const countError = (k: string) => errors.set(k, (errors.get(k) ?? 0) + 1);
    let duplicateAcks = 0;
    let clientDoubles = 0;
    let firstNullAt = 0;
    const seen = fx.workers.map(() => new Map<number, number>());
    const seq = new Uint32Array(args.workers);
    const rand = prng(7);
    const dataJson = JSON.stringify(face68Answer(IMAGE_W, IMAGE_H, rand));
    const leasePath = `/api/projects/${fx.projectId}/lease`;
    const tLoop = performance.now();

    log(`work loop: ${args.workers} workers, ${args.warmup} s warm-up + ${args.seconds} s measured`);
    const r = await runLoops(
      args.workers,
      args.warmup * 1000,
      args.seconds * 1000,
      server.proc.pid!,
      async (w, measuring) => {
        const cookie = cookies[w];
        const c0 = performance.now();
        let res;
        try {
          res = await client.post(leasePath, '{}', cookie);
        } catch (err) {
          countError(`lease: ${(err as Error).message}`);
          await sleep(50);
          return true;
        }
        const c1 = performance.now();
        if (measuring()) leaseLat.push(c1 - c0);
        if (res.status !== 200) {
          countError(`lease ${res.status}: ${res.body.slice(0, 120)}`);
          return true;
        }
        const lease = (
          JSON.parse(res.body) as {
            lease: { assignmentId: number; item: { id: number } } | null;
          }
        ).lease;
        if (!lease) {
          firstNullAt ||= performance.now() - tLoop;
          return false;
        }
        // The same item under the same assignment is a lease handed back again, not a double.
        const had = seen[w].get(lease.item.id);
        if (had !== undefined && had !== lease.assignmentId) clientDoubles++;
        seen[w].set(lease.item.id, lease.assignmentId);
        const body = `{"clientSubmissionId":"bench-w${w}-${++seq[w]}-${lease.assignmentId}","data":${dataJson},"activeMs":${30_000 + (seq[w] % 1000)}}`;
        try {
          res = await client.post(`/api/assignments/${lease.assignmentId}/submit`, body, cookie);
        } catch (err) {
          countError(`submit: ${(err as Error).message}`);
          return true;
        }
        const c2 = performance.now();
        if (measuring()) {
          submitLat.push(c2 - c1);
          cycleLat.push(c2 - c0);
        }
        if (res.status !== 200) {
          countError(`submit ${res.status}: ${res.body.slice(0, 120)}`);
          return true;
        }
        const ack = JSON.parse(res.body) as {
          annotationId: number;
          duplicate: boolean;
        };
        if (ack.duplicate) duplicateAcks++;
        acked.push({
          annotationId: ack.annotationId,
          worker: fx.workers[w].id,
          item: lease.item.id,
          assignment: lease.assignmentId,
        });
        return true;
      },
    );
    const loopMs = performance.now() - tLoop;
    client.close();
    log(`loop done: ${acked.length} submissions acknowledged in ${fmt.s(loopMs)} s in all`);
    if (r.stoppedEarly)
      log(
        `warning: ${r.stoppedEarly} workers ran out of items before the end (first at ${fmt.s(firstNullAt)} s); throughput is understated`,
      );

    t = performance.now();
    const code = await server.stop('SIGINT');
    log(`server stopped (exit ${code}) in ${fmt.s(performance.now() - t)} s`);
    const serverErrors = fs
      .readFileSync(server.log, 'utf8')
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l)).length;

    // (5) Anomalies, read straight from the database.
    t = performance.now();
    const anomalies = await checkDatabase(databaseUrl, fx.projectId, args.overlap, acked);
    log(`database checked in ${fmt.s(performance.now() - t)} s`);

    // Report.
    const cyclesPerS = r.cycles / (r.windowMs / 1000);
    const httpErrors = [...errors.values()].reduce((a, b) => a + b, 0);
    const lease = summarize(leaseLat.view());
    const submit = summarize(submitLat.view());
    const cycle = summarize(cycleLat.view());
    const totalAnomalies =
      anomalies.lost +
      anomalies.mismatched +
      anomalies.doubleWorkerItem +
      anomalies.doubleClientId +
      anomalies.overOverlap +
      anomalies.counterDrift +
      duplicateAcks +
      clientDoubles +
      httpErrors;
    for (const [k, n] of errors) log(`error ×${n}: ${k}`);
    if (serverErrors) log(`server logged ${serverErrors} errors; tail:\n${tail(server.log, 20)}`);

    const lat = (s: Summary) => [fmt.ms(s.p50), fmt.ms(s.p95), fmt.ms(s.p99), fmt.ms(s.max), fmt.int(s.n)];
    console.log('\n## Work loop summary\n');
    console.log(
      `${args.items.toLocaleString('en-US')} items, ${args.workers} workers, overlap ${args.overlap}, ${args.db}` +
        (args.db === 'sqlite' ? ` (synchronous=${args.sync})` : '') +
        `, ${args.seconds} s measured after ${args.warmup} s warm-up, ${args.rate ? `paced to ${args.rate} cycles/s` : 'unpaced (closed loop, no think time)'}; server via ${cli.via}; node ${process.version}; ${boxLoad()} at the end\n`,
    );
    console.log(
      mdTable(
        ['measure', 'value', 'target'],
        [
          ['work cycles/s (lease + submit)', fmt.int(cyclesPerS), '≥ 2,000'],
          ['HTTP requests/s', fmt.int(cyclesPerS * 2), ''],
          ['cycle p99 ms', fmt.ms(cycle.p99), '≤ 50'],
          ['lease p99 ms', fmt.ms(lease.p99), '≤ 50'],
          ['submit p99 ms', fmt.ms(submit.p99), '≤ 50'],
          ['anomalies (all kinds)', String(totalAnomalies), '0'],
          [
            'workers completing ≥ 1 cycle in the window',
            `${r.activeWorkers} (cycles per worker p50 ${r.perWorker.p50}, max ${r.perWorker.max})`,
            String(args.workers),
          ],
          ['server CPU (of one core)', `${(r.serverCpu * 100).toFixed(0)}%`, ''],
          ['server CPU ms per cycle', fmt.ms((r.serverCpu * 1000) / cyclesPerS), ''],
          ['cycles per server CPU-second (≈ cycles/s on one uncontended core)', fmt.int(cyclesPerS / r.serverCpu), ''],
          ['client CPU (of one core)', `${(r.clientCpu * 100).toFixed(0)}%`, ''],
          [
            'box busy (cores) / used by other processes',
            `${r.boxBusyCores.toFixed(2)} / ${r.otherCores.toFixed(2)} of ${os.cpus().length}`,
            '',
          ],
          ...(base
            ? [
                ['BASELINE bare Fastify echo req/s', fmt.int(base.cycles / (base.windowMs / 1000)), ''],
                ['BASELINE echo p50 / p99 ms', `${fmt.ms(base.latency.p50)} / ${fmt.ms(base.latency.p99)}`, ''],
                [
                  'BASELINE echo req per server CPU-second',
                  fmt.int(base.cycles / (base.windowMs / 1000) / base.serverCpu),
                  '',
                ],
                [
                  'BASELINE box busy / other processes (cores)',
                  `${base.boxBusyCores.toFixed(2)} / ${base.otherCores.toFixed(2)}`,
                  '',
                ],
                [
                  'BASELINE server / client CPU',
                  `${(base.serverCpu * 100).toFixed(0)}% / ${(base.clientCpu * 100).toFixed(0)}%`,
                  '',
                ],
              ]
            : []),
        ],
      ),
    );
    console.log('\nLatency, ms (client-side, per request; a cycle is lease + submit):\n');
    console.log(
      mdTable(
        ['request', 'p50', 'p95', 'p99', 'max', 'n'],
        [
          ['lease', ...lat(lease)],
          ['submit', ...lat(submit)],
          ['cycle', ...lat(cycle)],
          ...(base ? [['BASELINE echo', ...lat(base.latency)]] : []),
        ],
      ),
    );
    if (!args.rate) {
      console.log(
        `\nClosed loop: by Little's law the mean cycle time is ≈ workers ÷ cycles/s = ${fmt.ms((args.workers / cyclesPerS) * 1000)} ms (measured mean ${fmt.ms(cycle.mean)} ms).`,
      );
    }
    console.log('\nAnomalies (checked on the database after the run):\n');
    console.log(
      mdTable(
        ['check', 'count'],
        [
          ['acknowledged annotation missing (lost)', anomalies.lost],
          ['acknowledged annotation with other worker/item/assignment', anomalies.mismatched],
          ['worker with two annotations on one item (double)', anomalies.doubleWorkerItem],
          ['client submission id stored twice', anomalies.doubleClientId],
          [`item with more than ${args.overlap} non-gold annotations (over-overlap)`, anomalies.overOverlap],
          ['item counters (claimed/submitted/open) disagreeing with rows', anomalies.counterDrift],
          ['first submission answered duplicate:true', duplicateAcks],
          ['lease of an item the worker already had (client view)', clientDoubles],
          ['HTTP errors / failed requests', httpErrors],
          ['stored annotations never acknowledged (info; equal to failed submits is fine)', anomalies.unacked],
        ],
      ),
    );

    let profileText = '';
    if (args.profile) {
      const file = fs.existsSync(profDir) ? mainThreadProfile(profDir) : undefined;
      if (file) {
        profileText = summarizeProfile(file, 25, [r.windowStartUs, r.windowEndUs]);
        console.log(`\n## Server CPU profile (${file})\n\n${profileText}`);
      } else console.log('\n(no .cpuprofile was written by the server)');
    }

    if (args.sqlStats && fs.existsSync(sqlStatsFile)) {
      const rows = (
        JSON.parse(fs.readFileSync(sqlStatsFile, 'utf8')) as {
          sql: string;
          n: number;
          ms: number;
        }[]
      ).sort((a, b) => b.ms - a.ms);
      const total = rows.reduce((s, r) => s + r.ms, 0);
      console.log(
        `\n## SQLite time by statement (whole server life, login included): ${fmt.int(total)} ms in ${fmt.int(rows.reduce((s, r) => s + r.n, 0))} statements\n`,
      );
      console.log(
        mdTable(
          ['total ms', 'share', 'calls', 'µs/call', 'statement'],
          rows
            .slice(0, 20)
            .map((r) => [
              fmt.int(r.ms),
              `${((r.ms / total) * 100).toFixed(1)}%`,
              fmt.int(r.n),
              fmt.int((r.ms / r.n) * 1000),
              r.sql.slice(0, 150),
            ]),
        ),
      );
    }

    const result = {
      args,
      node: process.version,
      serverVia: cli.via,
      importItemsPerS: added / (importMs / 1000),
      cyclesPerS,
      lease,
      submit,
      cycle,
      serverCpu: r.serverCpu,
      clientCpu: r.clientCpu,
      boxBusyCores: r.boxBusyCores,
      otherCores: r.otherCores,
      anomalies: {
        ...anomalies,
        duplicateAcks,
        clientDoubles,
        httpErrors,
        total: totalAnomalies,
      },
      stoppedEarly: r.stoppedEarly,
      activeWorkers: r.activeWorkers,
      baseline: base && {
        reqPerS: base.cycles / (base.windowMs / 1000),
        latency: base.latency,
        serverCpu: base.serverCpu,
        clientCpu: base.clientCpu,
        boxBusyCores: base.boxBusyCores,
        otherCores: base.otherCores,
        errors: base.errors,
      },
    };
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2));
    console.log(`\n${RESULT_TAG}${JSON.stringify(result)}`);
  } finally {
    client.close();
    await server.stop('SIGKILL');
    if (pgDb) await pgDb.drop();
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

// ---------------------------------------------------------------------------------
// Anomaly checks on the database itself.

interface Anomalies {
  lost: number;
  mismatched: number;
  doubleWorkerItem: number;
  doubleClientId: number;
  overOverlap: number;
  counterDrift: number;
  unacked: number;
  stored: number;
}

async function checkDatabase(
  databaseUrl: string,
  projectId: number,
  overlap: number,
  acked: Acked[],
): Promise<Anomalies> {
  let all: (q: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  let close: () => Promise<void>;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new SQLite(databaseUrl.slice('sqlite:'.length), {
      readonly: true,
    });
    all = async (q, p) => db.prepare(q).all(...p) as Record<string, unknown>[];
    close = async () => {
      db.close();
    };
  } else {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    all = async (q, p) => {
      let i = 0;
      return (
        await c.query(
          q.replace(/\?/g, () => `$${++i}`),
          p,
        )
      ).rows;
    };
    close = () => c.end();
  }
  try {
    const anns = await all(
      'select id, worker_id, item_id, assignment_id, client_submission_id from annotations where project_id = ?',
      [projectId],
    );
    const byId = new Map<number, Record<string, unknown>>();
    const workerItem = new Map<string, number>();
    const clientIds = new Map<string, number>();
    const perItem = new Map<number, number>();
    for (const a of anns) {
      const id = Number(a.id);
      byId.set(id, a);
      const wi = `${a.worker_id}:${a.item_id}`;
      workerItem.set(wi, (workerItem.get(wi) ?? 0) + 1);
      const ci = `${a.worker_id}:${a.client_submission_id}`;
      clientIds.set(ci, (clientIds.get(ci) ?? 0) + 1);
      perItem.set(Number(a.item_id), (perItem.get(Number(a.item_id)) ?? 0) + 1);
    }
    // Workers see opaque ids (services/worker-ids.ts): map them back to row ids with the server's key.
    const key = (await all("select value from server_keys where name = 'worker_ids'", []))[0]?.value;
    const ids = key ? new WorkerIds(Buffer.from(String(key), 'hex')) : null;
    const rows = acked.map((k) =>
      ids
        ? {
            ...k,
            annotationId: ids.annotationOf(k.annotationId),
            item: ids.itemOf(k.worker, k.item),
            assignment: ids.assignmentOf(k.assignment),
          }
        : k,
    );
    let lost = 0;
    let mismatched = 0;
    const ackedIds = new Set<number>();
    for (const k of rows) {
      ackedIds.add(k.annotationId);
      const row = byId.get(k.annotationId);
      if (!row) lost++;
      else if (
        Number(row.worker_id) !== k.worker ||
        Number(row.item_id) !== k.item ||
        Number(row.assignment_id) !== k.assignment
      )
        mismatched++;
    }
    // A second acknowledgement of one id for a different submission is also a loss.
    lost += acked.length - ackedIds.size;
    const doubleWorkerItem = [...workerItem.values()].filter((n) => n > 1).length;
    const doubleClientId = [...clientIds.values()].filter((n) => n > 1).length;
    const gold = new Set(
      (await all('select id from items where project_id = ? and is_gold = 1', [projectId])).map((r) => Number(r.id)),
    );
    let overOverlap = 0;
    for (const [item, n] of perItem) if (!gold.has(item) && n > overlap) overOverlap++;

    const leased = new Map<number, number>();
    for (const r of await all(
      "select item_id, count(*) as n from assignments where project_id = ? and status = 'leased' group by item_id",
      [projectId],
    ))
      leased.set(Number(r.item_id), Number(r.n));
    const touched = await all(
      'select id, claimed, submitted, open from items where project_id = ? and (claimed > 0 or submitted > 0)',
      [projectId],
    );
    let counterDrift = 0;
    const touchedIds = new Set<number>();
    for (const r of touched) {
      const id = Number(r.id);
      touchedIds.add(id);
      const sub = perItem.get(id) ?? 0;
      const claimed = sub + (leased.get(id) ?? 0);
      if (
        Number(r.submitted) !== sub ||
        Number(r.claimed) !== claimed ||
        Number(r.open) !== (claimed < overlap ? 1 : 0)
      )
        counterDrift++;
    }
    for (const id of new Set([...perItem.keys(), ...leased.keys()])) if (!touchedIds.has(id)) counterDrift++;
    const unacked = [...byId.keys()].filter((id) => !ackedIds.has(id)).length;
    return {
      lost,
      mismatched,
      doubleWorkerItem,
      doubleClientId,
      overOverlap,
      counterDrift,
      unacked,
      stored: anns.length,
    };
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
