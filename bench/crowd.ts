/**
 * Crowd simulator: a mixed crowd annotates synthetic 68-point faces through the REAL
 * services (in-process, a fresh SQLite database in a temp folder per seed, no HTTP),
 * so gold placement, gold scoring, peer agreement, the standing rules (warn / suspend /
 * discard), item finishing and the stored consensus are the ones a deployment runs.
 * The simulator knows every face's true points; the server never does except through
 * the gold references a manager sets.
 *
 *     npx tsx bench/crowd.ts [--seeds 5] [--seed 1] [--items 300] [--gold-rate 0.1]
 *       [--careful 6] [--sloppy 4] [--swappers 2] [--spammers 1] [--timed 1] [--skippers 1]
 *       [--sloppy-min 0.025] [--sloppy-max 0.04] [--max-steps 0] [--json out.json] [--keep]
 *
 * Seeds `--seed` … `--seed + --seeds − 1`. Items: `--items` faces plus `--gold-rate` ×
 * that many extra gold faces, 1000×800, all pointing at one stored image. The crowd
 * is described in bench/crowd-members.ts. Project: face-68, overlap 3, the gold rate
 * given, every other quality setting at its default (suspend below 0.6, warn below
 * 0.75, min 5 gold, low agreement → review, peer / swap / speed rules on).
 *
 * Workers take turns in rounds, in a freshly shuffled order each round; a turn is
 * lease → (skip, or answer → submit). A worker whose lease is refused (suspended) or
 * comes back empty leaves; the run ends when a whole round leases nothing.
 *
 * Measures, per seed and over all seeds: NME against the truth (normalised by the TRUE
 * inter-ocular distance) of the stored consensus, of the old median consensus
 * (`mergeAnswers`) and a plain mean over the same final answers, and of the best careful
 * worker; the ratio of the consensus to the best careful worker on the items she
 * answered; items failing at NME 0.10; items finished (a stored consensus, not waiting
 * for answers); who was warned or suspended after how many gold checks (gold leases
 * offered, skipped ones included); and the cost in answers submitted per item.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { AnnotationData, Instance } from '../src/core/annotation.js';
import { mergeAnswers } from '../src/core/quality/consensus.js';
import { nme } from '../src/core/quality/nme.js';
import { face68 } from '../src/core/templates/face-68.js';
import type { Point } from '../src/core/templates/template.js';
import { loadConfig } from '../src/server/config.js';
import { createContext } from '../src/server/context.js';
import { AppError } from '../src/server/errors.js';
import type { PublicUser } from '../src/server/repositories/user.repository.js';
import { hashPassword } from '../src/server/services/auth.service.js';
import { certifyForBuiltins } from '../src/server/services/certification.service.js';
import type { Clock } from '../src/server/services/clock.js';
import { answer, type Face, H, KINDS, type Kind, makeFace, Rng, sigmaOf, W } from './crowd-members.js';
import { mdTable, parseArgs, prng, tempDir } from './lib.js';
import { sharedHashUsers } from './setup.js';

const args = parseArgs({
  seeds: 5,
  seed: 1,
  items: 300,
  goldRate: 0.1,
  careful: 6,
  sloppy: 4,
  swappers: 2,
  spammers: 1,
  timed: 1,
  skippers: 1,
  sloppyMin: 0.025,
  sloppyMax: 0.04,
  maxSteps: 0,
  json: '',
  keep: false,
});
if (!(args.goldRate >= 0 && args.goldRate <= 0.5)) throw new Error('--gold-rate is between 0 and 0.5');
if (!Number.isInteger(args.items) || args.items < 1) throw new Error('--items must be a positive integer');

const OVERLAP = 3;
const counts: Record<Kind, number> = {
  careful: args.careful,
  sloppy: args.sloppy,
  swapper: args.swappers,
  spammer: args.spammers,
  timed: args.timed,
  skipper: args.skippers,
};

interface Sim {
  kind: Kind;
  label: string;
  sigma: number;
  actor: PublicUser;
  done: boolean;
  leases: number;
  goldOffered: number;
  answers: number;
  /** Non-gold answers: item and NME against the truth. */
  nmes: Map<number, number>;
  pageSeen: string;
  sincePageChange: number;
  warnedAt?: { gold: number; reason: string | null };
  suspendedAt?: { gold: number; leases: number; reason: string | null };
}

interface SeedResult {
  seed: number;
  items: number;
  consensusMean: number;
  oldMedianMean: number;
  plainMean: number;
  best: { label: string; sigma: number; own: number; consensusOnHers: number; items: number };
  ratio: number;
  fail10: number;
  oldFail10: number;
  finished: number;
  inReview: number;
  open: number;
  answersPerItem: number;
  mixed: { items: number; mean: number; fail10: number };
  goldShare: number;
  workers: {
    label: string;
    kind: Kind;
    leases: number;
    gold: number;
    answers: number;
    meanNme: number;
    status: string;
    warnedAtGold: number | null;
    suspendedAtGold: number | null;
    reason: string | null;
  }[];
  events: { rule: string; action: string; times: number; answers: number }[];
  seconds: number;
}

const truthInstance = (f: Face): Instance => ({ bbox: null, points: f.points });
const nmeOf = (a: Instance, f: Face) => nme(a, truthInstance(f), face68).nme;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '–');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '–');

async function runSeed(seed: number): Promise<SeedResult> {
  const t0 = performance.now();
  const rng = new Rng(prng(seed));
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
    // --- setup: org, people, project, items, gold ------------------------------------
    const org = await ctx.repos.orgs.create('Crowd vendor', 'vendor', now);
    const userRow = sharedHashUsers(org.id, await hashPassword('crowd-password-1'), now);
    const manager = (await ctx.repos.users.get((await ctx.repos.users.create(userRow('manager', 'manager'))).id))!;
    const sims: Sim[] = [];
    for (const kind of KINDS) {
      for (let i = 0; i < counts[kind]; i++) {
        const label = `${kind}-${i + 1}`;
        const u = await ctx.repos.users.create(userRow(label, 'worker'));
        await certifyForBuiltins(ctx.db, [u], now);
        sims.push({
          kind,
          label,
          sigma: sigmaOf(rng, kind, [args.sloppyMin, args.sloppyMax]),
          actor: (await ctx.repos.users.get(u.id))!,
          done: false,
          leases: 0,
          goldOffered: 0,
          answers: 0,
          nmes: new Map(),
          pageSeen: '',
          sincePageChange: 99,
        });
      }
    }
    const project = await ctx.services.projects.create(manager, {
      name: 'Crowd faces',
      templateId: 'face-68',
      overlap: OVERLAP,
      leaseSeconds: 600,
      pieceRateFen: 10,
      maxInstances: 20,
      instructions: '',
      goldRate: args.goldRate,
    });
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
    const inserted = await ctx.repos.items.insertReturning(
      ctx.db,
      Array.from({ length: args.items + goldItems }, (_, i) => ({
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
      })),
    );
    const truth = new Map<number, Face>();
    const goldIds = new Set<number>();
    for (let i = 0; i < inserted.length; i++) {
      const face = makeFace(rng);
      truth.set(inserted[i].id, face);
      if (i >= args.items) {
        await ctx.services.quality.setGold(manager, inserted[i].id, { instances: [truthInstance(face)] });
        goldIds.add(inserted[i].id);
      }
    }

    // --- the crowd -------------------------------------------------------------------
    const maxSteps = args.maxSteps > 0 ? args.maxSteps : 30 * inserted.length * OVERLAP;
    let steps = 0;
    let seq = 0;
    const observe = async () => {
      const rows = await ctx.db
        .selectFrom('worker_standing')
        .selectAll()
        .where('project_id', '=', project.id)
        .execute();
      const byId = new Map(rows.map((r) => [r.worker_id, r]));
      for (const s of sims) {
        const st = byId.get(s.actor.id);
        if (st?.status === 'warned' && !s.warnedAt) s.warnedAt = { gold: s.goldOffered, reason: st.reason };
        if (st?.status === 'suspended' && !s.suspendedAt) {
          s.suspendedAt = { gold: s.goldOffered, leases: s.leases, reason: st.reason };
          if (!s.warnedAt) s.warnedAt = { gold: s.goldOffered, reason: st.reason };
        }
      }
    };
    for (;;) {
      let leased = 0;
      const order = sims.filter((s) => !s.done);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng.rand() * (i + 1));
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
        sim.sincePageChange++;
        // The item behind the lease, read on the server's side (the lease may name it opaquely):
        // the worker's one live lease, since every turn ends its lease.
        const { item_id: itemId } = await ctx.db
          .selectFrom('assignments')
          .select('item_id')
          .where('project_id', '=', project.id)
          .where('worker_id', '=', sim.actor.id)
          .where('status', '=', 'leased')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        const face = truth.get(itemId)!;
        const gold = goldIds.has(itemId);
        if (gold) sim.goldOffered++;
        if (gold && sim.kind === 'skipper') {
          now += 5_000;
          await ctx.services.work.giveBack(sim.actor, lease.assignmentId, 'skipped', 'too_hard');
          await observe();
          continue;
        }
        const a = answer(rng, sim.kind, sim.sigma, face, { leases: sim.leases, sincePageChange: sim.sincePageChange });
        now += Math.round(a.activeMs);
        await ctx.services.work.submit(sim.actor, lease.assignmentId, {
          clientSubmissionId: `crowd-${sim.actor.id}-${++seq}`,
          data: { instances: [a.inst] },
          activeMs: Math.round(a.activeMs),
        });
        sim.answers++;
        if (!gold) sim.nmes.set(itemId, nmeOf(a.inst, face));
        if (sim.kind === 'timed') {
          // He watches his accuracy page and expects a check right after it changes.
          const page = JSON.stringify(await ctx.services.quality.myQuality(sim.actor, project.id));
          if (page !== sim.pageSeen) sim.sincePageChange = 0;
          sim.pageSeen = page;
        }
        await observe();
      }
      if (leased === 0 || steps >= maxSteps) break;
    }

    // --- measures --------------------------------------------------------------------
    const consensusNme = new Map<number, number>();
    const oldNme: number[] = [];
    const plainNme: number[] = [];
    const mixed: number[] = [];
    let finished = 0;
    let inReview = 0;
    let open = 0;
    const simOf = new Map(sims.map((s) => [s.actor.id, s]));
    for (let i = 0; i < args.items; i++) {
      const id = inserted[i].id;
      const face = truth.get(id)!;
      const item = (await ctx.repos.items.get(id))!;
      const c = await ctx.repos.quality.consensus(id);
      if (item.review_state === 'flagged') inReview++;
      if (!c || item.open) {
        open++;
        continue;
      }
      finished++;
      const inst = (JSON.parse(c.data) as AnnotationData).instances[0];
      const e = nmeOf(inst ?? { bbox: null, points: [] }, face);
      consensusNme.set(id, e);
      const live = await ctx.repos.quality.liveAnswers(id);
      const parsed = live.map((a) => (JSON.parse(a.data) as AnnotationData).instances);
      const old = mergeAnswers(parsed, face68).instances[0];
      oldNme.push(old ? nmeOf(old, face) : 1);
      const pts: Point[] = face68.points.map((_, p) => {
        const xs = parsed.map((a) => a[0].points[p]);
        return [mean(xs.map((q) => q[0])), mean(xs.map((q) => q[1])), 2];
      });
      plainNme.push(nmeOf({ bbox: null, points: pts }, face));
      const kinds = live.map((a) => simOf.get(a.worker_id)?.kind).sort();
      if (kinds.join() === 'careful,sloppy,sloppy') mixed.push(e);
    }
    const careful = sims.filter((s) => s.kind === 'careful' && s.nmes.size > 0);
    const best = careful.reduce((b, s) => (mean([...s.nmes.values()]) < mean([...b.nmes.values()]) ? s : b));
    const hers = [...best.nmes.keys()].filter((id) => consensusNme.has(id));
    const consensusOnHers = mean(hers.map((id) => consensusNme.get(id)!));
    const own = mean(hers.map((id) => best.nmes.get(id)!));
    const all = [...consensusNme.values()];
    const leaseRows = await ctx.db
      .selectFrom('assignments')
      .innerJoin('items', 'items.id', 'assignments.item_id')
      .select(['items.is_gold'])
      .where('assignments.project_id', '=', project.id)
      .execute();
    const regularAnswers = await ctx.db
      .selectFrom('annotations')
      .innerJoin('items', 'items.id', 'annotations.item_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('annotations.project_id', '=', project.id)
      .where('items.is_gold', '=', 0)
      .executeTakeFirstOrThrow();
    const standings = new Map(
      (await ctx.db.selectFrom('worker_standing').selectAll().where('project_id', '=', project.id).execute()).map(
        (s) => [s.worker_id, s],
      ),
    );
    return {
      seed,
      items: args.items,
      consensusMean: mean(all),
      oldMedianMean: mean(oldNme),
      plainMean: mean(plainNme),
      best: { label: best.label, sigma: best.sigma, own, consensusOnHers, items: hers.length },
      ratio: consensusOnHers / own,
      fail10: all.filter((x) => x > 0.1).length,
      oldFail10: oldNme.filter((x) => x > 0.1).length,
      finished,
      inReview,
      open,
      answersPerItem: Number(regularAnswers.n) / args.items,
      mixed: { items: mixed.length, mean: mean(mixed), fail10: mixed.filter((x) => x > 0.1).length },
      goldShare: leaseRows.filter((r) => r.is_gold).length / leaseRows.length,
      workers: sims.map((s) => ({
        label: s.label,
        kind: s.kind,
        leases: s.leases,
        gold: s.goldOffered,
        answers: s.answers,
        meanNme: mean([...s.nmes.values()]),
        status: standings.get(s.actor.id)?.status ?? 'active',
        warnedAtGold: s.warnedAt?.gold ?? null,
        suspendedAtGold: s.suspendedAt?.gold ?? null,
        reason: s.suspendedAt?.reason ?? s.warnedAt?.reason ?? null,
      })),
      events: await ctx.services.quality.standing.eventTotals(project.id),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await ctx.close();
    if (args.keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printSeed(r: SeedResult) {
  console.log(`\n### Seed ${r.seed} (${r.seconds.toFixed(0)} s)\n`);
  console.log(
    mdTable(
      ['estimate', 'mean NME', 'items > 0.10'],
      [
        ['stored consensus (robust EM)', f4(r.consensusMean), r.fail10],
        ['old median consensus, same answers', f4(r.oldMedianMean), r.oldFail10],
        ['plain mean, same answers', f4(r.plainMean), '–'],
        [
          `best careful worker (${r.best.label}, σ ${(r.best.sigma * 100).toFixed(2)} %), her ${r.best.items} items`,
          f4(r.best.own),
          '–',
        ],
        ['consensus on those items', f4(r.best.consensusOnHers), '–'],
      ],
    ),
  );
  console.log(
    `\nratio ${r.ratio.toFixed(3)}; finished ${r.finished}/${r.items} (${r.inReview} flagged for review, ${r.open} open); ` +
      `${r.answersPerItem.toFixed(2)} answers per item; gold share of leases ${pct(r.goldShare)}; ` +
      `2 sloppy + 1 careful items: ${r.mixed.items}, mean NME ${f4(r.mixed.mean)}, ${r.mixed.fail10} above 0.10\n`,
  );
  console.log(
    mdTable(
      [
        'worker',
        'leases',
        'gold offered',
        'answers',
        'mean NME',
        'status',
        'warned at gold #',
        'suspended at gold #',
        'reason',
      ],
      r.workers.map((w) => [
        w.label,
        w.leases,
        w.gold,
        w.answers,
        f4(w.meanNme),
        w.status,
        w.warnedAtGold ?? '–',
        w.suspendedAtGold ?? '–',
        w.reason ?? '–',
      ]),
    ),
  );
  console.log(
    `\nrules: ${r.events.map((e) => `${e.rule} ${e.action} ×${e.times}${e.answers ? ` (${e.answers} answers)` : ''}`).join('; ') || 'none'}`,
  );
}

async function main() {
  console.log(
    `# Crowd simulation: ${args.items} items + ${Math.round(args.items * args.goldRate)} gold, overlap ${OVERLAP}, ` +
      `gold rate ${args.goldRate}, seeds ${args.seed}–${args.seed + args.seeds - 1}`,
  );
  console.log(
    `Crowd: ${KINDS.map((k) => `${counts[k]} ${k}`).join(', ')}; sloppy σ ${args.sloppyMin * 100}–${args.sloppyMax * 100} % of the face size.`,
  );
  const results: SeedResult[] = [];
  for (let s = args.seed; s < args.seed + args.seeds; s++) {
    const r = await runSeed(s);
    printSeed(r);
    results.push(r);
  }
  const bad: Kind[] = ['swapper', 'spammer', 'timed', 'skipper'];
  const caught = (kind: Kind) =>
    results.flatMap((r) => r.workers.filter((w) => w.kind === kind).map((w) => w.suspendedAtGold ?? Infinity));
  console.log('\n## Over all seeds\n');
  console.log(
    mdTable(
      [
        'seed',
        'consensus NME',
        'old median',
        'best careful (her items)',
        'ratio',
        'fail@0.10',
        'old fail@0.10',
        'finished',
        'in review',
        'answers / item',
      ],
      results.map((r) => [
        r.seed,
        f4(r.consensusMean),
        f4(r.oldMedianMean),
        f4(r.best.own),
        r.ratio.toFixed(3),
        r.fail10,
        r.oldFail10,
        `${r.finished}/${r.items}`,
        r.inReview,
        r.answersPerItem.toFixed(2),
      ]),
    ),
  );
  console.log('');
  console.log(
    mdTable(
      ['kind', 'suspended at gold check # (per worker, all seeds)', 'worst', 'within 20'],
      bad.map((k) => {
        const xs = caught(k);
        const worst = Math.max(...xs);
        return [
          k,
          xs.map((x) => (Number.isFinite(x) ? x : 'never')).join(', '),
          Number.isFinite(worst) ? worst : 'never',
          xs.every((x) => x <= 20) ? 'yes' : 'NO',
        ];
      }),
    ),
  );
  const carefulWarned = results.flatMap((r) =>
    r.workers.filter((w) => w.kind === 'careful' && w.warnedAtGold !== null),
  );
  const ratio = mean(results.map((r) => r.ratio));
  const fails = results.reduce((s, r) => s + r.fail10, 0);
  const unfinished = results.reduce((s, r) => s + r.open, 0);
  console.log(
    `\nratio (mean over seeds) ${ratio.toFixed(3)} (target ≤ 0.85): ${ratio <= 0.85 ? 'MET' : 'NOT MET'}; ` +
      `items failing at 0.10: ${fails} (target 0): ${fails === 0 ? 'MET' : 'NOT MET'}; ` +
      `unfinished items: ${unfinished} (target 0): ${unfinished === 0 ? 'MET' : 'NOT MET'}; ` +
      `careful workers warned: ${carefulWarned.length} (target 0): ${carefulWarned.length === 0 ? 'MET' : 'NOT MET'}; ` +
      `bad workers suspended within 20 gold checks: ${bad.every((k) => caught(k).every((x) => x <= 20)) ? 'MET' : 'NOT MET'}; ` +
      `answers per item ${mean(results.map((r) => r.answersPerItem)).toFixed(2)}.`,
  );
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ args, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
