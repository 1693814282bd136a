/**
 * Crowd simulator: a mixed crowd annotates synthetic 68-point faces through the REAL
 * services (in-process, a fresh SQLite database in a temp folder, no HTTP), so the
 * gold checks, standing rules (warn / suspend) and stored consensus are the ones a
 * deployment runs. The simulator knows every face's true points; the server never does
 * except through the gold references a manager sets.
 *
 *     npx tsx bench/crowd.ts [--items 600] [--gold-rate 0.1] [--seed 1] [--method median|weighted]
 *       [--careful 12] [--sloppy 6] [--swappers 3] [--spammers 3] [--max-steps 0] [--json out.json] [--keep]
 *
 * Items: `--items` faces plus `--gold-rate` × that many extra gold faces, all 1000×800,
 * all pointing at one stored image (ingested through `ImageService.ingest` into a
 * scratch project). A face is the face-68 template's reference shape scaled to 80–300
 * px, each point jittered by 1 % of the face size, rotated by up to ±10° and placed
 * wholly inside the image. Gold references are the TRUE points (`setGold`).
 *
 * Project: face-68, overlap 3, gold rate as given, minGold 5, warnBelow 0.75 and
 * suspendBelow 0.6 (the project defaults; flags change them), lowAgreementAction 'none' (agreement never adds overlap), review
 * rate 0, consensus method from `--method`.
 *
 * Workers (per-worker noise drawn once; σ per coordinate, in units of the face size):
 * careful σ 1.2–1.8 %; sloppy σ 4–6 %; swappers careful (σ 1.5 %) but relabel the
 * flip pairs (left ↔ right) on 70 % of faces; spammers put every point uniformly
 * anywhere in the image. Answers are clamped to the image and rounded to 0.1 px, have
 * no box and every point visible. Workers take turns in rounds, in a freshly shuffled
 * order each round; a turn is lease → answer → submit. A worker whose lease is
 * refused (suspended) or comes back empty leaves; the run ends when a whole round
 * leases nothing (or after `--max-steps` leases).
 *
 * Errors are NME against the truth, normalised by the TRUE inter-ocular distance
 * (points 36/45), via `nme()` from core. A missing consensus face counts as NME 1.0
 * (every point missed, as the NME rules score a miss).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { AnnotationData, Instance } from '../src/core/annotation.js';
import { failureRate, nme } from '../src/core/quality/nme.js';
import { flipPermutation } from '../src/core/quality/swap.js';
import { face68 } from '../src/core/templates/face-68.js';
import type { Point } from '../src/core/templates/template.js';
import { loadConfig } from '../src/server/config.js';
import { createContext } from '../src/server/context.js';
import { AppError } from '../src/server/errors.js';
import type { PublicUser } from '../src/server/repositories/user.repository.js';
import { hashPassword } from '../src/server/services/auth.service.js';
import { certifyForBuiltins } from '../src/server/services/certification.service.js';
import type { Clock } from '../src/server/services/clock.js';
import { mdTable, parseArgs, prng, tempDir } from './lib.js';
import { sharedHashUsers } from './setup.js';

const args = parseArgs({
  items: 600,
  goldRate: 0.1,
  seed: 1,
  method: 'median',
  careful: 12,
  sloppy: 6,
  swappers: 3,
  spammers: 3,
  maxSteps: 0,
  json: '',
  keep: false,
  warnBelow: 0.75,
  suspendBelow: 0.6,
});
if (args.method !== 'median' && args.method !== 'weighted') throw new Error('--method is median or weighted');
if (!(args.goldRate >= 0 && args.goldRate <= 0.5)) throw new Error('--gold-rate is between 0 and 0.5');
if (!Number.isInteger(args.items) || args.items < 1) throw new Error('--items must be a positive integer');

const W = 1000;
const H = 800;
const OVERLAP = 3;
const MIN_GOLD = 5;
const WARN_BELOW = args.warnBelow;
const SUSPEND_BELOW = args.suspendBelow;
const SWAP_SHARE = 0.7;
/** The project's agreement threshold (the default); with action 'none' it only marks what 'review' would flag. */
const AGREEMENT_THRESHOLD = 0.5;
const N = face68.points.length;
const PERM = flipPermutation(face68);

type Kind = 'careful' | 'sloppy' | 'swapper' | 'spammer';

interface Sim {
  kind: Kind;
  label: string;
  /** Noise σ per coordinate as a share of the face size (NaN for spammers). */
  sigma: number;
  actor: PublicUser;
  done: boolean;
  leases: number;
  goldLeases: number;
  /** Non-gold answers and their NME against the truth. */
  nmes: number[];
  warnedAtGold?: number;
  suspended?: { goldScores: number; goldCount: number; accuracy: number | null; leases: number; answers: number };
}

interface Face {
  size: number;
  points: Point[];
}

const rand = prng(args.seed);
let spare: number | null = null;
/** Standard normal (Box–Muller, second value kept). */
function gauss(): number {
  if (spare !== null) {
    const s = spare;
    spare = null;
    return s;
  }
  const u = 1 - rand();
  const v = rand();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}
const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** A true face: the template's mean shape, scaled, jittered, rotated and placed inside the image. */
function makeFace(): Face {
  const size = between(80, 300);
  const w = size * face68.refAspect;
  const h = size;
  const theta = (between(-10, 10) * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const half = 0.5 * Math.hypot(w, h) + 0.05 * size;
  const cx = between(half, W - half);
  const cy = between(half, H - half);
  const points: Point[] = face68.points.map((p) => {
    const dx = (p.ref[0] - 0.5) * w + gauss() * 0.01 * size;
    const dy = (p.ref[1] - 0.5) * h + gauss() * 0.01 * size;
    return [cx + cos * dx - sin * dy, cy + sin * dx + cos * dy, 2];
  });
  return { size, points };
}

/** One worker's answer for a face, by the worker's kind; `swapped` when a swapper relabelled left/right. */
function answer(sim: Sim, face: Face): { inst: Instance; swapped: boolean } {
  if (sim.kind === 'spammer') {
    const points = face.points.map((): Point => [round1(rand() * W), round1(rand() * H), 2]);
    return { inst: { bbox: null, points }, swapped: false };
  }
  const swapped = sim.kind === 'swapper' && rand() < SWAP_SHARE;
  const s = sim.sigma * face.size;
  const points: Point[] = [];
  for (let i = 0; i < N; i++) {
    const t = face.points[swapped ? PERM[i] : i];
    points.push([round1(clamp(t[0] + gauss() * s, 0, W)), round1(clamp(t[1] + gauss() * s, 0, H)), 2]);
  }
  return { inst: { bbox: null, points }, swapped };
}

/** Short name of an answer's kind, for the failure breakdown. */
const answerKind = (a: { sim: Sim; swapped: boolean }) =>
  a.sim.kind === 'swapper' ? (a.swapped ? 'swapped' : 'swapper-ok') : a.sim.kind;

const truthInstance = (f: Face): Instance => ({ bbox: null, points: f.points });
const nmeOf = (a: Instance, f: Face) => nme(a, truthInstance(f), face68).nme;
const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
};
const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '–');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '–');

async function main() {
  const t0 = performance.now();
  const dir = tempDir('shugu-crowd-');
  let now = Date.UTC(2026, 10, 30, 8, 0, 0);
  const clock: Clock = { now: () => now };
  const config = loadConfig(
    {},
    {
      dataDir: dir,
      databaseUrl: `sqlite:${path.join(dir, 'shugu.db')}`,
      seedDemo: false,
      sqliteSync: 'NORMAL',
      logLevel: 'silent',
    },
  );
  const ctx = await createContext(config, clock);
  try {
    // --- org, people (one argon2 hash shared by all) -------------------------------
    const org = await ctx.repos.orgs.create('Crowd vendor', 'vendor', now);
    const userRow = sharedHashUsers(org.id, await hashPassword('crowd-password-1'), now);
    const manager = (await ctx.repos.users.get((await ctx.repos.users.create(userRow('manager', 'manager'))).id))!;
    const mix: [Kind, number, () => number][] = [
      ['careful', args.careful, () => between(0.012, 0.018)],
      ['sloppy', args.sloppy, () => between(0.04, 0.06)],
      ['swapper', args.swappers, () => 0.015],
      ['spammer', args.spammers, () => NaN],
    ];
    const sims: Sim[] = [];
    for (const [kind, count, sigma] of mix) {
      for (let i = 0; i < count; i++) {
        const label = `${kind}-${i + 1}`;
        const u = await ctx.repos.users.create(userRow(label, 'worker'));
        await certifyForBuiltins(ctx.db, [u], now);
        sims.push({
          kind,
          label,
          sigma: sigma(),
          actor: (await ctx.repos.users.get(u.id))!,
          done: false,
          leases: 0,
          goldLeases: 0,
          nmes: [],
        });
      }
    }

    // --- project and items ---------------------------------------------------------
    const project = await ctx.services.projects.create(manager, {
      name: 'Crowd faces',
      templateId: 'face-68',
      overlap: OVERLAP,
      leaseSeconds: 600,
      pieceRateFen: 10,
      maxInstances: 20,
      instructions: '',
      goldRate: args.goldRate,
      warnBelow: WARN_BELOW,
      suspendBelow: SUSPEND_BELOW,
      minGold: MIN_GOLD,
      reviewRate: 0,
      agreementThreshold: AGREEMENT_THRESHOLD,
      lowAgreementAction: 'none',
      consensusMethod: args.method as 'median' | 'weighted',
    });
    // The one stored image goes through the real ingest, into a scratch project so that
    // its own item does not join the work.
    const scratch = await ctx.services.projects.create(manager, {
      name: 'Image holder',
      templateId: 'face-68',
      overlap: 1,
      leaseSeconds: 600,
      pieceRateFen: 0,
      maxInstances: 20,
      instructions: '',
    });
    const staging = await ctx.store.stagingDir();
    const file = path.join(staging, 'face.jpg');
    await sharp({ create: { width: W, height: H, channels: 3, background: { r: 128, g: 112, b: 96 } } })
      .jpeg()
      .toFile(file);
    const ingested = await ctx.services.images.ingest(manager, scratch.id, [{ name: 'face.jpg', file }], staging);
    const blob = (await ctx.repos.items.get(ingested.items[0].id))!.blob_sha256!;
    fs.rmSync(staging, { recursive: true, force: true });

    const goldItems = Math.round(args.items * args.goldRate);
    const total = args.items + goldItems;
    const rows = Array.from({ length: total }, (_, i) => ({
      project_id: project.id,
      blob_sha256: blob,
      source_path: null,
      name: `face-${String(i + 1).padStart(5, '0')}.jpg`,
      width: W,
      height: H,
      meta: null,
      is_gold: 0,
      claimed: 0,
      open: 1,
      submitted: 0,
      created_at: now,
    }));
    const inserted = await ctx.repos.items.insertReturning(ctx.db, rows);
    const truth = new Map<number, Face>();
    const goldIds = new Set<number>();
    for (let i = 0; i < inserted.length; i++) {
      const face = makeFace();
      truth.set(inserted[i].id, face);
      if (i >= args.items) {
        await ctx.services.quality.setGold(manager, inserted[i].id, { instances: [truthInstance(face)] });
        goldIds.add(inserted[i].id);
      }
    }
    const setupMs = performance.now() - t0;

    // --- the crowd -----------------------------------------------------------------
    const answers = new Map<number, { sim: Sim; inst: Instance; swapped: boolean }[]>();
    const maxSteps = args.maxSteps > 0 ? args.maxSteps : 20 * total * OVERLAP;
    let steps = 0;
    let rounds = 0;
    let seq = 0;
    const goldScoresOf = async (workerId: number) =>
      Number(
        (
          await ctx.db
            .selectFrom('gold_scores')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('project_id', '=', project.id)
            .where('worker_id', '=', workerId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const tLoop = performance.now();
    for (;;) {
      rounds++;
      let leased = 0;
      const order = sims.filter((s) => !s.done);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const sim of order) {
        if (steps >= maxSteps) break;
        now += 1000;
        let lease;
        try {
          lease = await ctx.services.work.lease(sim.actor, project.id);
        } catch (err) {
          if (err instanceof AppError && err.id === 'worker_suspended') {
            sim.done = true;
            continue;
          }
          throw err;
        }
        if (!lease) {
          sim.done = true;
          continue;
        }
        steps++;
        leased++;
        sim.leases++;
        const itemId = lease.item.id;
        const face = truth.get(itemId);
        if (!face) throw new Error(`leased item ${itemId} has no truth`);
        const { inst, swapped } = answer(sim, face);
        const data: AnnotationData = { instances: [inst] };
        now += 20_000;
        await ctx.services.work.submit(sim.actor, lease.assignmentId, {
          clientSubmissionId: `crowd-${sim.actor.id}-${++seq}`,
          data,
          activeMs: 20_000,
        });
        if (goldIds.has(itemId)) {
          sim.goldLeases++;
          const s = await ctx.repos.quality.standing(project.id, sim.actor.id);
          if (s?.status === 'warned' && sim.warnedAtGold === undefined) sim.warnedAtGold = s.gold_count;
          if (s?.status === 'suspended' && !sim.suspended) {
            sim.suspended = {
              goldScores: await goldScoresOf(sim.actor.id),
              goldCount: s.gold_count,
              accuracy: s.accuracy,
              leases: sim.leases,
              answers: sim.nmes.length,
            };
          }
        } else {
          sim.nmes.push(nmeOf(inst, face));
          const list = answers.get(itemId) ?? [];
          list.push({ sim, inst, swapped });
          answers.set(itemId, list);
        }
      }
      if (leased === 0 || steps >= maxSteps) break;
    }
    const loopMs = performance.now() - tLoop;

    // --- measures ------------------------------------------------------------------
    const consensusNme: number[] = [];
    const plainMeanNme: number[] = [];
    const byCareful = new Map<number, number[]>();
    /** Consensus NME of items with / without an answer from a worker who ended up suspended. */
    const tainted: number[] = [];
    const clean: number[] = [];
    /** Items whose consensus NME is above 0.10, by the kinds of their three answers. */
    const failures = new Map<string, { nmes: number[]; lowAgreement: number }>();
    let noConsensus = 0;
    let emptyConsensus = 0;
    let incomplete = 0;
    for (let i = 0; i < args.items; i++) {
      const id = inserted[i].id;
      const face = truth.get(id)!;
      const list = answers.get(id) ?? [];
      if (list.length < OVERLAP) incomplete++;
      const c = await ctx.repos.quality.consensus(id);
      if (!c) {
        noConsensus++;
        continue;
      }
      const inst = (JSON.parse(c.data) as AnnotationData).instances[0];
      if (!inst) emptyConsensus++;
      const e = nmeOf(inst ?? { bbox: null, points: [] }, face);
      consensusNme.push(e);
      const careful = list.filter((a) => a.sim.kind === 'careful').length;
      byCareful.set(careful, [...(byCareful.get(careful) ?? []), e]);
      (list.some((a) => a.sim.suspended) ? tainted : clean).push(e);
      if (e > 0.1) {
        const key = list.map(answerKind).sort().join(' + ');
        const f = failures.get(key) ?? { nmes: [], lowAgreement: 0 };
        f.nmes.push(e);
        if (c.agreement < AGREEMENT_THRESHOLD) f.lowAgreement++;
        failures.set(key, f);
      }
      // Plain mean of the raw answers, point by point: no matching, no robust estimate.
      const pts: Point[] = [];
      for (let p = 0; p < N; p++) {
        let x = 0;
        let y = 0;
        for (const a of list) {
          x += a.inst.points[p][0];
          y += a.inst.points[p][1];
        }
        pts.push([x / list.length, y / list.length, 2]);
      }
      plainMeanNme.push(nmeOf({ bbox: null, points: pts }, face));
    }
    const careful = sims.filter((s) => s.kind === 'careful' && s.nmes.length > 0);
    const best = careful.reduce<Sim | undefined>(
      (b, s) => (b === undefined || mean(s.nmes) < mean(b.nmes) ? s : b),
      undefined,
    );
    const carefulPooled = careful.flatMap((s) => s.nmes);
    const carefulPerWorker = mean(careful.map((s) => mean(s.nmes)));

    const leaseRows = await ctx.db
      .selectFrom('assignments')
      .innerJoin('items', 'items.id', 'assignments.item_id')
      .select(['items.is_gold', 'assignments.item_id'])
      .where('assignments.project_id', '=', project.id)
      .execute();
    const allLeases = leaseRows.length;
    const goldLeases = leaseRows.filter((r) => r.is_gold).length;
    const goldUsed = new Set(leaseRows.filter((r) => r.is_gold).map((r) => r.item_id)).size;
    const standings = new Map(
      (await ctx.db.selectFrom('worker_standing').selectAll().where('project_id', '=', project.id).execute()).map(
        (s) => [s.worker_id, s],
      ),
    );

    const consensusMean = mean(consensusNme);
    const bestMean = best ? mean(best.nmes) : NaN;
    const spammers = sims.filter((s) => s.kind === 'spammer');
    const swappers = sims.filter((s) => s.kind === 'swapper');
    const wrongly = sims.filter((s) => s.kind === 'careful' && s.suspended);
    const goldShare = allLeases ? goldLeases / allLeases : NaN;
    const targetConsensus = consensusMean < bestMean;
    // The target reads "at a gold rate of at most 10 %": the project setting. The realised share of
    // leases is printed beside it (the service gives each worker's first lease as gold, so it runs a little over).
    const targetSpam = args.goldRate <= 0.1 && spammers.every((s) => s.suspended && s.suspended.goldScores <= 20);

    // --- report --------------------------------------------------------------------
    console.log(
      `# Crowd simulation: ${args.items} items + ${goldItems} gold, overlap ${OVERLAP}, gold rate ${args.goldRate}, ` +
        `consensus ${args.method}, seed ${args.seed}\n`,
    );
    console.log(
      `Workers: ${args.careful} careful (σ 1.2–1.8 % of face size), ${args.sloppy} sloppy (σ 4–6 %), ` +
        `${args.swappers} swappers (σ 1.5 %, left/right swap on ${SWAP_SHARE * 100} % of faces), ${args.spammers} spammers. ` +
        `${steps} leases in ${rounds} rounds; setup ${(setupMs / 1000).toFixed(1)} s, loop ${(loopMs / 1000).toFixed(1)} s.\n`,
    );
    console.log('## Error against the truth (NME, true inter-ocular distance)\n');
    console.log(
      mdTable(
        ['estimate', 'items / answers', 'mean NME', 'median NME', 'NME > 0.08', 'NME > 0.10'],
        [
          [
            `stored consensus (${args.method})`,
            consensusNme.length,
            f4(consensusMean),
            f4(median(consensusNme)),
            pct(failureRate(consensusNme, 0.08)),
            pct(failureRate(consensusNme, 0.1)),
          ],
          [
            `best careful worker (${best?.label ?? '–'}, σ ${best ? (best.sigma * 100).toFixed(2) : '–'} %)`,
            best?.nmes.length ?? 0,
            f4(bestMean),
            f4(best ? median(best.nmes) : NaN),
            pct(best ? failureRate(best.nmes, 0.08) : NaN),
            pct(best ? failureRate(best.nmes, 0.1) : NaN),
          ],
          [
            'all careful workers (pooled answers)',
            carefulPooled.length,
            f4(mean(carefulPooled)),
            f4(median(carefulPooled)),
            pct(failureRate(carefulPooled, 0.08)),
            pct(failureRate(carefulPooled, 0.1)),
          ],
          [
            'plain mean of the 3 raw answers',
            plainMeanNme.length,
            f4(mean(plainMeanNme)),
            f4(median(plainMeanNme)),
            pct(failureRate(plainMeanNme, 0.08)),
            pct(failureRate(plainMeanNme, 0.1)),
          ],
        ],
      ),
    );
    console.log(
      `\n(mean of the careful workers' per-worker means: ${f4(carefulPerWorker)}; items without consensus: ${noConsensus}; ` +
        `consensus with no face: ${emptyConsensus}, scored 1.0; items with fewer than ${OVERLAP} answers: ${incomplete})\n`,
    );
    console.log('## Consensus error by how many of the 3 answers came from careful workers\n');
    console.log(
      mdTable(
        ['careful answers', 'items', 'mean NME', 'median NME', 'NME > 0.10'],
        [3, 2, 1, 0].map((k) => {
          const xs = byCareful.get(k) ?? [];
          return [k, xs.length, f4(mean(xs)), f4(median(xs)), pct(failureRate(xs, 0.1))];
        }),
      ),
    );
    console.log(
      `\nItems with an answer from a worker who was later suspended: ${tainted.length}, consensus mean NME ${f4(mean(tainted))} ` +
        `(NME > 0.10: ${pct(failureRate(tainted, 0.1))}); the other ${clean.length} items: mean NME ${f4(mean(clean))} ` +
        `(NME > 0.10: ${pct(failureRate(clean, 0.1))}).\n`,
    );
    console.log(
      `## Items whose consensus is off by more than NME 0.10, by their answers (agreement < ${AGREEMENT_THRESHOLD} = what 'review' would flag)\n`,
    );
    console.log(
      mdTable(
        ['answers', 'items', 'mean NME', `agreement < ${AGREEMENT_THRESHOLD}`],
        [...failures.entries()]
          .sort((a, b) => b[1].nmes.length - a[1].nmes.length)
          .map(([k, f]) => [k, f.nmes.length, f4(mean(f.nmes)), f.lowAgreement]),
      ),
    );
    console.log('\n## Workers\n');
    console.log(
      mdTable(
        [
          'worker',
          'σ',
          'leases',
          'gold',
          'answers',
          'mean NME',
          'accuracy',
          'status',
          'warned at gold #',
          'suspended at gold #',
        ],
        sims.map((s) => {
          const st = standings.get(s.actor.id);
          return [
            s.label,
            Number.isFinite(s.sigma) ? `${(s.sigma * 100).toFixed(2)} %` : 'uniform',
            s.leases,
            s.goldLeases,
            s.nmes.length,
            f4(mean(s.nmes)),
            st?.accuracy != null ? st.accuracy.toFixed(3) : '–',
            st?.status ?? '–',
            s.warnedAtGold ?? '–',
            s.suspended ? `${s.suspended.goldScores} (lease ${s.suspended.leases})` : 'not suspended',
          ];
        }),
      ),
    );
    console.log('\n## Gold\n');
    console.log(
      mdTable(
        ['measure', 'value'],
        [
          ['gold leases / all leases', `${goldLeases} / ${allLeases} = ${pct(goldShare)}`],
          ['gold items used / available', `${goldUsed} / ${goldItems}`],
          [
            'spammers: gold scored at suspension',
            spammers.map((s) => (s.suspended ? s.suspended.goldScores : 'not suspended')).join(', ') || '–',
          ],
          [
            'spammers: non-gold answers before suspension',
            spammers.map((s) => (s.suspended ? s.suspended.answers : s.nmes.length)).join(', ') || '–',
          ],
          [
            'swappers: gold scored at suspension',
            swappers.map((s) => (s.suspended ? s.suspended.goldScores : 'not suspended')).join(', ') || '–',
          ],
          [
            'swappers: non-gold answers before suspension',
            swappers.map((s) => (s.suspended ? s.suspended.answers : s.nmes.length)).join(', ') || '–',
          ],
          ['careful workers wrongly suspended', wrongly.length ? wrongly.map((s) => s.label).join(', ') : 'none'],
        ],
      ),
    );
    console.log('\n## Summary\n');
    console.log(
      `Consensus (${args.method}) mean NME ${f4(consensusMean)} vs best careful worker ${f4(bestMean)} ` +
        `(all careful ${f4(mean(carefulPooled))}, plain mean ${f4(mean(plainMeanNme))}).`,
    );
    console.log(
      `Spammers suspended after ${spammers.map((s) => s.suspended?.goldScores ?? 'never').join('/')} gold items; ` +
        `swappers after ${swappers.map((s) => s.suspended?.goldScores ?? 'never').join('/')}; ` +
        `gold share of leases ${pct(goldShare)}; ${goldUsed} of ${goldItems} gold items used; ` +
        `careful workers wrongly suspended: ${wrongly.length}.`,
    );
    console.log(
      `Target "consensus below the best single careful worker": ${targetConsensus ? 'MET' : 'NOT MET'} ` +
        `(${f4(consensusMean)} vs ${f4(bestMean)}).`,
    );
    console.log(
      `Target "every spammer suspended within 20 gold items at ≤ 10 % gold": ${targetSpam ? 'MET' : 'NOT MET'} ` +
        `(gold rate setting ${args.goldRate}, realised share of leases ${pct(goldShare)}).`,
    );

    if (args.json) {
      fs.writeFileSync(
        args.json,
        JSON.stringify(
          {
            args,
            consensus: { mean: consensusMean, median: median(consensusNme), n: consensusNme.length },
            bestCareful: { label: best?.label, mean: bestMean, n: best?.nmes.length ?? 0 },
            carefulPooled: mean(carefulPooled),
            plainMean: mean(plainMeanNme),
            goldShare,
            goldUsed,
            goldItems,
            workers: sims.map((s) => ({
              label: s.label,
              kind: s.kind,
              sigma: s.sigma,
              leases: s.leases,
              gold: s.goldLeases,
              meanNme: mean(s.nmes),
              suspended: s.suspended ?? null,
            })),
            targets: { consensusBelowBestCareful: targetConsensus, spammersWithin20Gold: targetSpam },
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await ctx.close();
    if (args.keep) console.log(`\nkept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length & 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
