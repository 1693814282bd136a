/**
 * A worker's standing from every signal the base has, and the log of what the rules
 * did. Called by QualityService inside the submit's transaction:
 *
 * - `afterGold`: a gold answer was scored — the rolling gold accuracy (control tasks),
 *   then every rule is judged.
 * - `consensus`: an item's answers merged by the robust EM (core/quality/
 *   robust-consensus.ts), each worker weighed by her error scale from gold and peers.
 * - `afterItemFinished`: every answer scored against the consensus of the others (peer
 *   agreement), each worker's error scale updated, every rule judged.
 * - `discardTooFast`: answers placed faster than the project's floor are discarded.
 *
 * A rule that changes a standing writes a `quality_events` row saying what it did;
 * suspension discards the worker's unreviewed answers (QualityService's discarder).
 */
import type { AnnotationData } from '../../core/annotation.js';
import { mergeAttributes } from '../../core/quality/attributes.js';
import type { WorkerPrior } from '../../core/quality/em.js';
import type { GoldScore } from '../../core/quality/gold-score.js';
import { peerScores } from '../../core/quality/peer.js';
import { mergeRobust, type RobustResult } from '../../core/quality/robust-consensus.js';
import {
  harsher,
  judgeStanding,
  PEER_WINDOW,
  SWAP_WINDOW,
  tooFast,
  workerSigma,
  type StandingStatus,
} from '../../core/quality/standing-rules.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { Project, QualityRule } from '../db/types.js';
import { forbidden } from '../errors.js';
import type { AssignmentRepository } from '../repositories/assignment.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { QualityRepository } from '../repositories/quality.repository.js';
import type { StandingRepository } from '../repositories/standing.repository.js';
import { acceptanceFor } from './acceptance.js';
import { assertCanView, type Actor } from './access.js';
import type { Clock } from './clock.js';
import type { GoldSkipRule } from './gold-skip-rule.js';
import { templateOf } from './project.service.js';

/** Gold scores in a worker's rolling accuracy. */
export const ACCURACY_WINDOW = 20;
/** Gold scores before a worker is warned. */
const WARN_AFTER = 3;
/** Recent gold answers and peer σs her error scale is read from. */
const SIGMA_GOLD = 10;
const SIGMA_PEER = 20;

/** How answers leave an item (QualityService owns it: the item's requirement follows its remaining answers). */
export interface Discarder {
  /** Rejects a suspended worker's unreviewed answers; returns how many. */
  worker(trx: Executor, project: Project, workerId: number): Promise<number>;
  /** After one answer of the item was rejected and its slot given back. */
  afterAnswer(trx: Executor, project: Project, itemId: number): Promise<void>;
}

interface LiveAnswer {
  id: number;
  worker_id: number;
}

const round4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null);

export class StandingService {
  constructor(
    private readonly db: Db,
    private readonly projects: ProjectRepository,
    private readonly repo: StandingRepository,
    private readonly quality: QualityRepository,
    private readonly assignments: AssignmentRepository,
    private readonly clock: Clock,
  ) {}

  // --- consensus ------------------------------------------------------------------

  /** Her error scale as the EM's prior; null when nothing is known. */
  async priors(trx: Executor, projectId: number, workerIds: number[]): Promise<(WorkerPrior | null)[]> {
    const rows = await this.repo.standings(trx, projectId, [...new Set(workerIds)]);
    const byWorker = new Map(rows.map((r) => [r.worker_id, r]));
    return workerIds.map((w) => {
      const s = byWorker.get(w);
      return s?.sigma != null && (s.sigma_points ?? 0) > 0 ? { sigma: s.sigma, points: s.sigma_points ?? 0 } : null;
    });
  }

  /** The consensus of an item's live answers, in the stored format, with the robust merge behind it. */
  async consensus(trx: Executor, project: Project, answers: LiveAnswer[], parsed: AnnotationData[]) {
    const template = templateOf(project);
    const priors = await this.priors(
      trx,
      project.id,
      answers.map((a) => a.worker_id),
    );
    return { ...robustConsensusOf(parsed, template, priors), priors };
  }

  // --- rules after answers ----------------------------------------------------------

  /**
   * A gold answer was scored: her rolling gold accuracy, her error scale, then every
   * rule. A too-fast gold answer still counts as a check but is discarded.
   */
  async afterGold(
    trx: Executor,
    project: Project,
    annotationId: number,
    workerId: number,
    result: GoldScore,
    discard: Discarder,
  ) {
    const now = this.clock.now();
    await this.repo.ensureStanding(trx, project.id, workerId, now);
    const prior = (await this.quality.standing(project.id, workerId, trx))!;
    const goldCount = prior.gold_count + 1;
    const scores = await this.quality.recentScores(project.id, workerId, Math.min(goldCount, ACCURACY_WINDOW), trx);
    const accuracy = scores.reduce((s, r) => s + r.score, 0) / scores.length;
    await this.quality.upsertStanding(trx, { ...prior, accuracy, gold_count: goldCount, updated_at: now });
    const row = await this.repo.answerTime(trx, annotationId);
    if (row && this.isTooFast(project, row.active_ms, row.data)) {
      await this.quality.setAnnotationStatus(trx, annotationId, 'rejected');
      await acceptanceFor(this.db).unaccept(trx, annotationId, 'too_fast', now);
      await this.countFast(trx, project, workerId, null, now);
    }
    await this.updateSigma(trx, project, workerId);
    await this.judge(trx, project, workerId, discard);
  }

  /**
   * Answers of an item placed faster than the project's floor are discarded (their
   * slots reopen) before any consensus sees them. True when something was discarded:
   * the item is no longer complete.
   */
  async discardTooFast(trx: Executor, project: Project, itemId: number, discard: Discarder): Promise<boolean> {
    if (project.fast_ms_per_point <= 0) return false;
    const now = this.clock.now();
    let any = false;
    for (const a of await this.repo.answerTimes(trx, itemId)) {
      if (!this.isTooFast(project, a.active_ms, a.data)) continue;
      await this.quality.setAnnotationStatus(trx, a.id, 'rejected');
      await acceptanceFor(this.db).unaccept(trx, a.id, 'too_fast', now);
      await this.assignments.unsubmit(trx, itemId, project.overlap);
      await this.quality.deleteConsensus(trx, itemId);
      await this.repo.ensureStanding(trx, project.id, a.worker_id, now);
      await this.countFast(trx, project, a.worker_id, itemId, now);
      await this.judge(trx, project, a.worker_id, discard);
      any = true;
    }
    if (any) await discard.afterAnswer(trx, project, itemId);
    return any;
  }

  /**
   * After an item's consensus is stored: each answer scored against the consensus of
   * the others, each worker's error scale from this item, every rule judged. True when
   * a suspension discarded an answer of this very item (it is open again).
   */
  async afterItemFinished(
    trx: Executor,
    project: Project,
    itemId: number,
    answers: LiveAnswer[],
    parsed: AnnotationData[],
    merged: { robust: RobustResult; priors: (WorkerPrior | null)[] },
    discard: Discarder,
  ): Promise<boolean> {
    if (answers.length < 2) return false;
    const template = templateOf(project);
    const now = this.clock.now();
    const peers = peerScores(parsed, template, merged.priors);
    const sigmas = answers.map((_, w) => {
      const own = merged.robust.instances
        .map((i) => i.workers[w])
        .filter((r) => r && Number.isFinite(r.itemSigma))
        .map((r) => r!.itemSigma);
      return own.length ? own.reduce((s, x) => s + x, 0) / own.length : null;
    });
    await this.repo.insertPeerScores(
      trx,
      answers.map((a, w) => ({
        annotation_id: a.id,
        project_id: project.id,
        item_id: itemId,
        worker_id: a.worker_id,
        score: peers[w].score === null ? null : round4(peers[w].score!),
        nme: peers[w].nme === null ? null : round4(peers[w].nme!),
        swapped: peers[w].swapRegions.length > 0 ? 1 : 0,
        credible: peers[w].credible ? 1 : 0,
        sigma: sigmas[w] === null ? null : round4(sigmas[w]!),
        created_at: now,
      })),
    );
    for (const workerId of new Set(answers.map((a) => a.worker_id))) {
      await this.repo.ensureStanding(trx, project.id, workerId, now);
      await this.updateSigma(trx, project, workerId);
      await this.judge(trx, project, workerId, discard);
    }
    const live = await this.quality.liveAnswers(itemId, trx);
    return live.length < answers.length;
  }

  /** Set by QualityService: the skip rule, judged with the others. */
  skipRule?: GoldSkipRule;

  /** She gave an item back (skipped, released): every rule is judged again, the skip rule among them. */
  async afterGiveBack(trx: Executor, project: Project, workerId: number, discard: Discarder) {
    await this.repo.ensureStanding(trx, project.id, workerId, this.clock.now());
    await this.judge(trx, project, workerId, discard);
  }

  /** A manager reinstated her: peer, swap and speed evidence start afresh; the log says so. */
  async onReinstated(trx: Executor, projectId: number, workerId: number, managerId: number) {
    const now = this.clock.now();
    await this.repo.setFigures(trx, projectId, workerId, { rules_since: now, fast_count: 0, peer_count: 0 });
    await this.event(trx, projectId, workerId, null, 'gold', 'reinstated', 0, { by: managerId }, now);
  }

  /** Per rule and action: how often it acted and on how many answers (benchmarks and the quality page). */
  eventTotals(projectId: number) {
    return this.repo.eventTotals(projectId);
  }

  // --- the manager's view ---------------------------------------------------------

  /** What the rules did, newest first: warned, suspended, cleared, reinstated, discarded N answers. */
  async events(actor: Actor, projectId: number, before: number, limit: number) {
    await this.assertStaff(actor, projectId);
    const rows = await this.repo.events(projectId, before, limit);
    return {
      events: rows.map((r) => ({
        id: r.id,
        at: new Date(r.created_at).toISOString(),
        worker: r.worker_id === null ? null : { id: r.worker_id, name: r.display_name ?? r.username ?? '' },
        itemId: r.item_id,
        rule: r.rule,
        action: r.action,
        count: r.count,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      })),
      next: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  }

  /** One line per rule: its settings and what it has done so far. */
  async rules(actor: Actor, projectId: number) {
    const p = await this.assertStaff(actor, projectId);
    const totals = await this.repo.eventTotals(projectId);
    const did = (rule: QualityRule) => {
      const of = (action: string) => totals.find((t) => t.rule === rule && t.action === action);
      return {
        warned: of('warned')?.times ?? 0,
        suspended: of('suspended')?.times ?? 0,
        cleared: of('cleared')?.times ?? 0,
        discarded: totals.filter((t) => t.rule === rule).reduce((s, t) => s + t.answers, 0),
      };
    };
    const review = await this.repo.reviewFigures(projectId);
    return {
      rules: [
        {
          rule: 'gold' as const,
          on: p.gold_rate > 0,
          settings: {
            goldRate: p.gold_rate,
            warnBelow: p.warn_below,
            suspendBelow: p.suspend_below,
            minGold: p.min_gold,
          },
          did: did('gold'),
        },
        {
          rule: 'peer' as const,
          on: p.peer_warn_below > 0 || p.peer_suspend_below > 0,
          settings: { warnBelow: p.peer_warn_below, suspendBelow: p.peer_suspend_below, min: p.peer_min },
          did: did('peer'),
        },
        {
          rule: 'swap' as const,
          on: p.swap_suspend_share > 0,
          settings: { suspendShare: p.swap_suspend_share },
          did: did('swap'),
        },
        {
          rule: 'fast' as const,
          on: p.fast_ms_per_point > 0,
          settings: { msPerPoint: p.fast_ms_per_point, suspendAfter: p.fast_suspend_after },
          did: did('fast'),
        },
        {
          rule: 'skip' as const,
          on: p.gold_skip_action !== 'none',
          settings: { action: p.gold_skip_action, margin: p.gold_skip_margin },
          did: did('skip'),
        },
        {
          rule: 'review' as const,
          on: p.review_rate > 0 || p.low_agreement_action === 'review',
          settings: {
            reviewRate: p.review_rate,
            agreementThreshold: p.agreement_threshold,
            lowAgreementAction: p.low_agreement_action,
          },
          did: { ...did('review'), ...review },
        },
      ],
    };
  }

  private async assertStaff(actor: Actor, projectId: number): Promise<Project> {
    const project = await this.projects.get(projectId);
    assertCanView(actor, project);
    if (actor.role === 'client' || actor.role === 'worker') {
      throw forbidden('role_not_allowed', 'Quality figures are for the base’s staff.');
    }
    return project;
  }

  // --- judging --------------------------------------------------------------------

  private isTooFast(project: Project, activeMs: number, data: string): boolean {
    // 0 is "not measured" (API clients that send no time): the rule cannot judge it.
    if (project.fast_ms_per_point <= 0 || activeMs <= 0) return false;
    const parsed = JSON.parse(data) as AnnotationData;
    let placed = 0;
    for (const inst of parsed.instances) for (const p of inst.points) if (p[2] > 0) placed++;
    return tooFast(activeMs, placed, project.fast_ms_per_point);
  }

  private async countFast(trx: Executor, project: Project, workerId: number, itemId: number | null, now: number) {
    const s = await this.quality.standing(project.id, workerId, trx);
    const fast = (s?.fast_count ?? 0) + 1;
    await this.repo.setFigures(trx, project.id, workerId, { fast_count: fast });
    await this.event(trx, project.id, workerId, itemId, 'fast', 'discarded', 1, { fastCount: fast }, now);
  }

  /** Her error scale from her latest gold NMEs and peer σs (all history: skill is not forgiven, it is measured). */
  private async updateSigma(trx: Executor, project: Project, workerId: number) {
    const gold = await this.repo.recentGold(trx, project.id, workerId, 0, SIGMA_GOLD);
    const peers = await this.repo.recentPeerSigmas(trx, project.id, workerId, SIGMA_PEER);
    const s = workerSigma(
      gold.flatMap((g) => (g.nme === null ? [] : [g.nme])),
      peers.map((p) => p.sigma!),
      templateOf(project).points.length,
    );
    if (s) await this.repo.setFigures(trx, project.id, workerId, { sigma: s.sigma, sigma_points: s.points });
  }

  /**
   * Every rule over her current evidence; a change of status is stored and logged, and
   * a suspension discards her unreviewed answers. A suspended worker stays suspended
   * until a manager reinstates her.
   */
  private async judge(trx: Executor, project: Project, workerId: number, discard: Discarder) {
    const s = await this.quality.standing(project.id, workerId, trx);
    if (!s || s.status === 'suspended') return;
    const since = s.rules_since ?? 0;
    const now = this.clock.now();

    let status: StandingStatus = 'active';
    let rule: QualityRule | null = null;
    let reason: string | null = null;
    if (s.accuracy !== null && s.gold_count >= project.min_gold && s.accuracy < project.suspend_below) {
      [status, rule, reason] = ['suspended', 'gold', 'accuracy_below_suspension'];
    } else if (s.accuracy !== null && s.gold_count >= WARN_AFTER && s.accuracy < project.warn_below) {
      [status, rule, reason] = ['warned', 'gold', 'accuracy_below_warning'];
    }

    const peers = await this.repo.recentPeer(trx, project.id, workerId, since, PEER_WINDOW);
    const golds = await this.repo.recentGold(trx, project.id, workerId, since, SWAP_WINDOW);
    const checks = [...peers, ...golds].sort((a, b) => b.created_at - a.created_at).slice(0, SWAP_WINDOW);
    const peerScore = peers.length ? peers.reduce((x, p) => x + (p.score ?? 0), 0) / peers.length : null;
    const verdict = judgeStanding(
      {
        peerCount: peers.length,
        peerScore,
        swapChecks: checks.length,
        swaps: checks.filter((c) => c.swapped).length,
        fastCount: s.fast_count ?? 0,
      },
      {
        peerWarnBelow: project.peer_warn_below,
        peerSuspendBelow: project.peer_suspend_below,
        peerMin: project.peer_min,
        swapSuspendShare: project.swap_suspend_share,
        fastSuspendAfter: project.fast_suspend_after,
      },
    );
    if (harsher(verdict.status, status) !== status)
      [status, rule, reason] = [verdict.status, verdict.rule, verdict.reason];
    // The skip rule (services/gold-skip-rule.ts): gold skipped far more often than regular items.
    const skip = await this.skipRule?.verdict(trx, project, workerId, since);
    if (skip && harsher(skip.status, status) !== status) [status, rule, reason] = [skip.status, 'skip', skip.reason];
    await this.repo.setFigures(trx, project.id, workerId, {
      peer_count: peers.length,
      peer_score: peerScore === null ? null : round4(peerScore),
    });
    if (status === s.status && reason === s.reason) return;
    await this.repo.setStatus(trx, project.id, workerId, status, reason, now);
    if (status === s.status) return;
    const discarded = status === 'suspended' ? await discard.worker(trx, project, workerId) : 0;
    const figures = {
      reason,
      accuracy: s.accuracy === null ? null : round4(s.accuracy),
      goldChecks: s.gold_count,
      peerScore: peerScore === null ? null : round4(peerScore),
      peerChecks: peers.length,
      swaps: checks.filter((c) => c.swapped).length,
      fast: s.fast_count ?? 0,
    };
    const action = status === 'active' ? 'cleared' : status;
    // A warning cleared is logged under the rule that had given it.
    const by = rule ?? ruleOfReason(s.reason);
    await this.event(trx, project.id, workerId, null, by, action, discarded, figures, now);
  }

  /** Logs what a rule did (other services' rules log through here too, e.g. the skip rule). */
  async event(
    trx: Executor,
    projectId: number,
    workerId: number | null,
    itemId: number | null,
    rule: QualityRule,
    action: 'warned' | 'suspended' | 'discarded' | 'flagged' | 'reinstated' | 'cleared',
    count: number,
    detail: Record<string, unknown> | null,
    now = this.clock.now(),
  ) {
    await this.repo.insertEvent(trx, {
      project_id: projectId,
      worker_id: workerId,
      item_id: itemId,
      rule,
      action,
      count,
      detail: detail ? JSON.stringify(detail) : null,
      created_at: now,
    });
  }
}

/** The rule behind a standing's reason id. */
function ruleOfReason(reason: string | null): QualityRule {
  if (!reason) return 'gold';
  if (reason.startsWith('peer_')) return 'peer';
  if (reason === 'left_right_swaps') return 'swap';
  if (reason === 'answers_too_fast') return 'fast';
  if (reason.includes('skip')) return 'skip';
  return 'gold';
}

/** The robust consensus of N answers, in the stored answer format plus agreement details. */
export function robustConsensusOf(
  answers: AnnotationData[],
  template: KeypointTemplate,
  priors?: readonly (WorkerPrior | null)[],
) {
  const robust = mergeRobust(
    answers.map((a) => a.instances),
    template,
    { priors },
  );
  return {
    robust,
    data: {
      instances: robust.instances.map((i) => {
        // Categorical attributes of the kept members: majority here, Dawid–Skene per project on request.
        const attributes = mergeAttributes(
          i.members.map((m, w) => (m >= 0 && !i.workers[w]?.dropped ? answers[w].instances[m]?.attributes : undefined)),
        );
        return Object.keys(attributes).length
          ? { bbox: i.bbox, points: i.points, attributes }
          : { bbox: i.bbox, points: i.points };
      }),
    } as AnnotationData,
    agreement: robust.agreement,
    details: {
      instances: robust.instances.map((i) => ({
        members: i.members,
        oks: i.agreement.oks,
        support: i.agreement.support,
        perPoint: i.agreement.perPoint.map(round4),
        // Per worker: flip pairs exchanged back before merging, and whether the answer was left out.
        swapped: i.workers.map((r) => r?.swappedPairs.length ?? 0),
        dropped: i.workers.map((r) => r?.dropped ?? false),
      })),
      unmerged: robust.unmerged.length,
    },
  };
}
