/**
 * Quality: gold items and how workers score on them, worker standing (warned,
 * suspended, reinstated), consensus when an item has its overlap, and review.
 * Gold references are read only here and only ever returned to managers.
 */
import { isCleanText } from '../../core/api/primitives.js';
import { checkAnnotation, type AnnotationData } from '../../core/annotation.js';
import { cocoCategory } from '../../core/coco.js';
import { readCocoGold } from '../../core/coco-read.js';
import { goldReferenceProblem } from '../../core/quality/gold-reference.js';
import { scoreGold } from '../../core/quality/gold-score.js';
import { mergeAnswers } from '../../core/quality/consensus.js';
import { mergeAttributes, resolveAttributes, type AttributeObservation } from '../../core/quality/attributes.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { Db } from '../db/database.js';
import { withTx, type Executor } from '../db/tx.js';
import type { Item, Project } from '../db/types.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { AssignmentRepository } from '../repositories/assignment.repository.js';
import type { ItemRepository } from '../repositories/item.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { QualityRepository } from '../repositories/quality.repository.js';
import { acceptanceFor } from './acceptance.js';
import { assertCanManage, assertCanView, requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';
import { drawGold, secureUniform } from './gold-placement.js';
import { ItemFinishing } from './item-finishing.js';
import { FinishingRepository } from '../repositories/finishing.repository.js';
import { StandingRepository } from '../repositories/standing.repository.js';
import { StandingService, type Discarder } from './standing.service.js';
import { GoldSkipRule } from './gold-skip-rule.js';
import { GoldDecisions } from './gold-decisions.js';
import { WorkerViewRepository } from '../repositories/worker-view.repository.js';
import { myQualityView } from './my-quality.js';

/** Gold scores in a worker's rolling accuracy (the rule itself lives in services/standing.service.ts). */
export { ACCURACY_WINDOW } from './standing.service.js';

/** How often a project's stranded items are looked for when a worker finds nothing to lease. */
const STRANDED_SCAN_MS = 60_000;

export class QualityService {
  constructor(
    private readonly db: Db,
    private readonly projects: ProjectRepository,
    private readonly items: ItemRepository,
    private readonly assignments: AssignmentRepository,
    private readonly quality: QualityRepository,
    private readonly clock: Clock,
  ) {
    this.finishing = new ItemFinishing(new FinishingRepository(), assignments, clock);
    this.standing = new StandingService(db, projects, new StandingRepository(db), quality, assignments, clock);
    this.standing.skipRule = new GoldSkipRule(assignments);
    this.goldDecisions = new GoldDecisions(db, new WorkerViewRepository(db));
  }

  /** When gold answers are decided for pay and for the worker's eyes (services/gold-decisions.ts). */
  readonly goldDecisions: GoldDecisions;

  /** Standing from gold, peers, swaps and speed, and the log of what the rules did (services/standing.service.ts). */
  readonly standing: StandingService;
  private readonly discarder: Discarder = {
    worker: (trx, project, workerId) => this.discardUnreviewedAnswers(trx, project, workerId),
    afterAnswer: (trx, project, itemId) =>
      this.finishing.recomputeAfterDiscard(trx, project, itemId, (t, p, id) => this.onItemComplete(t, p, id)),
  };

  private readonly finishing: ItemFinishing;

  // --- gold ---------------------------------------------------------------------

  /**
   * Marks an item gold with a reference answer entered by a manager. The reference
   * must be complete: every point placed or listed in `notInImage` (400 `gold_incomplete`).
   */
  async setGold(actor: Actor, itemId: number, data: AnnotationData, notInImage: number[][] = []) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, 'item');
    this.check(project, item, data);
    const incomplete = goldReferenceProblem(templateOf(project), data, notInImage);
    if (incomplete) throw badRequest('gold_incomplete', incomplete.message, { missing: incomplete.missing });
    await withTx(this.db, (trx) =>
      this.quality.setGold(trx, item.id, project.id, JSON.stringify(data), 'editor', actor.id, this.clock.now()),
    );
    return { itemId: item.id, gold: true };
  }

  async unsetGold(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, 'item');
    await withTx(this.db, (trx) => this.quality.unsetGold(trx, item.id));
    return { itemId: item.id, gold: false };
  }

  /** The reference of a gold item, for managers only. */
  async getGold(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, 'item');
    const g = await this.quality.gold(item.id);
    if (!g) throw notFound('gold_answer');
    return { itemId: item.id, source: g.source, data: JSON.parse(g.data) as AnnotationData };
  }

  /** Turns an item's consensus into its gold reference. */
  async promoteConsensus(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanManage(actor, project, 'item');
    const c = await this.quality.consensus(item.id);
    if (!c) throw conflict('no_consensus', 'This item has no consensus yet.');
    await withTx(this.db, (trx) =>
      this.quality.setGold(trx, item.id, project.id, c.data, 'consensus', actor.id, this.clock.now()),
    );
    return { itemId: item.id, gold: true };
  }

  /**
   * Imports gold references from a COCO keypoints file: images are matched to items
   * by `file_name`, annotations of the project's category become instances, crowd
   * regions and other declared categories are skipped and reported, and anything the
   * file does not declare is refused with where and why (core/coco-read.ts). An image
   * left with no instance is not made gold: an empty reference checks nothing. All or
   * nothing.
   */
  async importGoldCoco(actor: Actor, projectId: number, coco: unknown) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const template = templateOf(project);
    const read = readCocoGold(coco, cocoCategory(template));
    if (read.problems.length > 0) {
      const [first] = read.problems;
      const more = read.problems.length > 1 ? ` (and ${read.problems.length - 1} more problems)` : '';
      throw badRequest(first.code, first.message + more, read.problems);
    }
    const names = read.images.map((i) => i.fileName);
    // File names are looked up as text: the same rule as text at the edge (no NUL, no broken Unicode).
    const dirty = names.find((n) => !isCleanText(n));
    if (dirty !== undefined) {
      throw badRequest(
        'invalid_image',
        `The file name ${JSON.stringify(dirty)} holds a NUL character or broken Unicode.`,
      );
    }
    const found = names.length ? await this.items.byNames(projectId, names) : [];
    const byName = new Map(found.map((i) => [i.name, i]));
    const plan: { item: Item; data: AnnotationData }[] = [];
    const unmatched: string[] = [];
    const empty: string[] = [];
    for (const { fileName, instances } of read.images) {
      const item = byName.get(fileName);
      if (!item) unmatched.push(fileName);
      else if (instances.length === 0) empty.push(fileName);
      else {
        const data = { instances };
        const problems = checkAnnotation(template, item.width, item.height, data, project.max_instances);
        if (problems.length > 0)
          throw badRequest(problems[0].code, `${fileName}: ${problems.map((p) => p.message).join('; ')}`, problems);
        plan.push({ item, data });
      }
    }
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      for (const p of plan)
        await this.quality.setGold(trx, p.item.id, projectId, JSON.stringify(p.data), 'coco', actor.id, now);
    });
    return { marked: plan.length, unmatched, empty, skipped: read.skipped };
  }

  // --- during work ----------------------------------------------------------------

  /** Refuses a lease to a worker suspended in this project. */
  async assertNotSuspended(trx: Executor, projectId: number, workerId: number) {
    const s = await this.quality.standing(projectId, workerId, trx);
    if (s?.status === 'suspended') {
      throw forbidden(
        'worker_suspended',
        s.reason === 'gold_skips'
          ? 'You skipped check items far more often than other items: ask a manager to reinstate you.'
          : 'Your accuracy on check items fell too low: pass the training exam again, or ask a manager to reinstate you.',
      );
    }
  }

  /**
   * A worker found nothing left to lease: items of the project that need more answers
   * than there are workers left to give them go to review (services/item-finishing.ts).
   * At most once a minute per project and process: the end of a project is polled often.
   */
  async closeStrandedItems(projectId: number) {
    const now = this.clock.now();
    if (now - (this.strandedScans.get(projectId) ?? -Infinity) < STRANDED_SCAN_MS) return 0;
    this.strandedScans.set(projectId, now);
    const project = await this.projects.getCached(projectId);
    if (!project) return 0;
    return withTx(this.db, (trx) =>
      this.finishing.closeStrandedItems(trx, project, (t, p, id) => this.onItemComplete(t, p, id)),
    );
  }
  private readonly strandedScans = new Map<number, number>();

  /** She gave an item back unanswered: the rules are judged again (the skip rule among them), in the give-back's transaction. */
  async afterGiveBack(trx: Executor, project: Project, workerId: number) {
    await this.standing.afterGiveBack(trx, project, workerId, this.discarder);
  }

  /**
   * The uniform draw behind each gold decision: the OS generator. Tests that need a
   * fixed sequence of gold and regular leases may replace it; nothing else does.
   */
  goldDraw: () => number = secureUniform;

  /** Whether this lease is gold: a fresh random draw at the project's rate (services/gold-placement.ts). */
  async wantsGold(trx: Executor, project: Project, workerId: number): Promise<boolean> {
    const scored = async () => (await this.quality.standing(project.id, workerId, trx))?.gold_count ?? 0;
    return drawGold(project, scored, this.goldDraw());
  }

  /** Scores a gold submission and updates the worker's standing, in the submit's transaction. */
  async scoreInTx(
    trx: Executor,
    project: Project,
    annotationId: number,
    itemId: number,
    workerId: number,
    data: AnnotationData,
  ) {
    const gold = await this.quality.gold(itemId, trx);
    if (!gold) return;
    const template = templateOf(project);
    const result = scoreGold(data, JSON.parse(gold.data) as AnnotationData, template);
    const now = this.clock.now();
    await this.quality.insertScore(trx, {
      annotation_id: annotationId,
      project_id: project.id,
      item_id: itemId,
      worker_id: workerId,
      score: result.score,
      nme: result.nme,
      swapped: result.swapped ? 1 : 0,
      feedback: JSON.stringify(result.feedback),
      per_point: JSON.stringify(result.perPoint.map((x) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null))),
      created_at: now,
    });
    // Pay: a passing gold answer is accepted, when a regular answer would be (services/gold-decisions.ts).
    await this.goldDecisions.schedule(trx, project, annotationId, result.score, now);
    // Rolling gold accuracy, then every rule (gold, peers, swaps, speed): services/standing.service.ts.
    await this.standing.afterGold(trx, project, annotationId, workerId, result, this.discarder);
  }

  /**
   * When an item has its overlap: merges the answers, stores the consensus, and acts
   * on poor agreement (more overlap or review, by project setting); a share of items
   * is also sampled for review. Runs in the submit's transaction.
   */
  async onItemComplete(trx: Executor, project: Project, itemId: number) {
    // Answers too fast to be real are discarded first; the item then waits for their replacements.
    if (await this.standing.discardTooFast(trx, project, itemId, this.discarder)) return;
    const answers = await this.quality.liveAnswers(itemId, trx);
    if (answers.length === 0) return;
    const template = templateOf(project);
    const parsed = answers.map((a) => JSON.parse(a.data) as AnnotationData);
    // The robust EM, each worker weighed by her error scale from gold and peers.
    const merged = await this.standing.consensus(trx, project, answers, parsed);
    await this.quality.upsertConsensus(trx, {
      item_id: itemId,
      project_id: project.id,
      data: JSON.stringify(merged.data),
      agreement: merged.agreement,
      details: JSON.stringify(merged.details),
      submissions: answers.length,
      created_at: this.clock.now(),
    });
    // Peer agreement and every rule; a suspension that discarded an answer here reopened the item.
    if (await this.standing.afterItemFinished(trx, project, itemId, answers, parsed, merged, this.discarder)) return;
    // Final, one more answer (within the cap) or review (services/item-finishing.ts).
    if ((await this.finishing.afterConsensus(trx, project, itemId, answers.length, merged.agreement)) !== 'final')
      return;
    if (project.review_rate > 0 && sampled(itemId, project.review_rate))
      await this.quality.setReviewState(trx, itemId, 'sampled');
    // The consensus is final: answers that agree with it are accepted and paid (services/acceptance.ts).
    const live = answers.map((a, k) => ({ id: a.id, data: parsed[k] }));
    await acceptanceFor(this.db).acceptAgreeing(trx, project, template, live, merged.data, this.clock.now());
  }

  /** An item's consensus with its agreement figures (staff and the client). */
  async itemConsensus(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, 'item');
    const c = await this.quality.consensus(item.id);
    if (!c) throw notFound('consensus');
    return {
      itemId: item.id,
      data: JSON.parse(c.data) as AnnotationData,
      agreement: c.agreement,
      details: JSON.parse(c.details),
      submissions: c.submissions,
    };
  }

  /**
   * A suspended worker's answers that nobody has accepted yet are not trusted: they
   * are rejected, their slots go back to the pool and affected consensus is dropped,
   * so other workers redo those items.
   */
  async discardUnreviewedAnswers(trx: Executor, project: Project, workerId: number) {
    const rows = await this.quality.unreviewedAnswers(trx, project.id, workerId);
    for (const r of rows) {
      await this.quality.setAnnotationStatus(trx, r.id, 'rejected');
      await acceptanceFor(this.db).unaccept(trx, r.id, 'worker_suspended', this.clock.now());
      await this.assignments.unsubmit(trx, r.item_id, project.overlap);
      await this.quality.deleteConsensus(trx, r.item_id);
    }
    // Each item's requirement follows its remaining answers; items nobody is left to finish go to review.
    const complete = (t: Executor, p: Project, id: number) => this.onItemComplete(t, p, id);
    for (const itemId of new Set(rows.map((r) => r.item_id)))
      await this.finishing.recomputeAfterDiscard(trx, project, itemId, complete);
    await this.finishing.closeStrandedItems(trx, project, complete);
    return rows.length;
  }

  /**
   * Re-decides every consensus instance's categorical attributes with Dawid–Skene over
   * the whole project, which weighs each worker by how often they agree with the
   * inferred truth on that attribute.
   */
  async resolveProjectAttributes(actor: Actor, projectId: number) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const rows = await this.quality.consensusRows(projectId);
    const observations: AttributeObservation[] = [];
    const answersByItem = new Map<number, { worker_id: number; data: AnnotationData }[]>();
    for (const c of rows) {
      const answers = (await this.quality.liveAnswers(c.item_id)).map((a) => ({
        worker_id: a.worker_id,
        data: JSON.parse(a.data) as AnnotationData,
      }));
      answersByItem.set(c.item_id, answers);
      const details = JSON.parse(c.details) as { instances: { members?: number[] }[] };
      details.instances.forEach((inst, k) =>
        inst.members?.forEach((m, w) => {
          const attrs = m >= 0 ? answers[w]?.data.instances[m]?.attributes : undefined;
          for (const [key, value] of Object.entries(attrs ?? {}))
            observations.push({ instance: `${c.item_id}:${k}`, worker: answers[w].worker_id, key, value });
        }),
      );
    }
    const resolved = resolveAttributes(observations);
    let changed = 0;
    await withTx(this.db, async (trx) => {
      for (const c of rows) {
        const data = JSON.parse(c.data) as AnnotationData;
        let touched = false;
        data.instances.forEach((inst, k) => {
          const attrs = resolved.get(`${c.item_id}:${k}`);
          if (attrs && JSON.stringify(attrs) !== JSON.stringify(inst.attributes ?? {})) {
            inst.attributes = attrs;
            touched = true;
          }
        });
        if (touched) {
          changed++;
          await this.quality.upsertConsensus(trx, { ...c, data: JSON.stringify(data) });
        }
      }
    });
    return { items: rows.length, observations: observations.length, changed };
  }

  // --- standing -------------------------------------------------------------------

  async reinstate(actor: Actor, projectId: number, workerId: number) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    const prior = await this.quality.standing(projectId, workerId);
    if (!prior) throw notFound('worker_standing');
    await withTx(this.db, async (trx) => {
      await this.quality.upsertStanding(trx, {
        project_id: projectId,
        worker_id: workerId,
        status: 'active',
        accuracy: null,
        // The rolling window starts again: a fresh run of gold decides from here.
        gold_count: 0,
        reason: 'reinstated',
        updated_at: this.clock.now(),
      });
      await this.standing.onReinstated(trx, projectId, workerId, actor.id);
    });
    return { workerId, status: 'active' as const };
  }

  /** What a worker is told about their own quality: no reference coordinates, ever. */
  async myQuality(actor: Actor, projectId: number) {
    requireRole(actor, 'worker');
    const project = await this.projects.get(projectId);
    if (!project || project.org_id !== actor.org_id) throw notFound('project');
    const s = await this.quality.standing(projectId, actor.id);
    const rejections = await this.quality.rejectionsFor(actor.id, projectId);
    // As of her last completed batch of answers, so that it cannot time a check (services/my-quality.ts).
    const shown = await myQualityView(new WorkerViewRepository(this.db), project, actor.id, s);
    return {
      ...shown,
      thresholds: { warnBelow: project.warn_below, suspendBelow: project.suspend_below },
      rejections: rejections.map((r) => ({
        itemId: r.item_id,
        reason: r.reason_code,
        comment: r.comment,
        at: new Date(r.created_at).toISOString(),
      })),
    };
  }

  /** The quality page: workers, trends, hardest points, agreement distribution. */
  async stats(actor: Actor, projectId: number) {
    const project = await this.projects.get(projectId);
    assertCanView(actor, project);
    if (actor.role === 'client') throw forbidden('role_not_allowed', 'Quality figures are for the base’s staff.');
    const template = templateOf(project);
    const workers = await this.quality.workerTable(projectId);
    const daily = await this.quality.dailyScores(projectId);
    const sums = new Float64Array(template.points.length);
    const counts = new Uint32Array(template.points.length);
    for (const r of await this.quality.perPointRows(projectId)) {
      (JSON.parse(r.per_point!) as (number | null)[]).forEach((e, i) => {
        if (e !== null && i < sums.length) {
          sums[i] += e;
          counts[i]++;
        }
      });
    }
    const agreements = (await this.quality.agreements(projectId)).map((a) => a.agreement);
    const bins = new Array(10).fill(0);
    for (const a of agreements) bins[Math.min(9, Math.max(0, Math.floor(a * 10)))]++;
    return {
      workers: workers.map((w) => ({
        id: w.id,
        username: w.username,
        name: w.display_name,
        status: w.status,
        accuracy: w.accuracy,
        checked: w.gold_count,
        reason: w.reason,
      })),
      trend: daily.map((d) => ({
        workerId: d.workerId,
        day: new Date(d.day * 86_400_000).toISOString().slice(0, 10),
        score: d.score,
        n: d.n,
      })),
      pointError: template.points.map((p, i) => ({
        index: i,
        id: p.id,
        name: p.name,
        error: counts[i] ? sums[i] / counts[i] : null,
      })),
      agreement: { bins: bins.map((n, i) => ({ from: i / 10, to: (i + 1) / 10, items: n })), items: agreements.length },
    };
  }

  // --- review ---------------------------------------------------------------------

  /** The next item for a reviewer, with each answer and the consensus. */
  async nextReview(actor: Actor, projectId: number) {
    requireRole(actor, 'reviewer', 'manager', 'admin');
    const project = await this.projects.get(projectId);
    assertCanView(actor, project);
    const next = await this.quality.nextForReview(projectId, actor.id);
    if (!next) return null;
    const item = (await this.items.get(next.id))!;
    const answers = await this.quality.liveAnswers(item.id);
    const c = await this.quality.consensus(item.id);
    return {
      item: { id: item.id, name: item.name, width: item.width, height: item.height, reason: next.review_state },
      imageUrl: `/api/items/${item.id}/image`,
      consensus: c ? { data: JSON.parse(c.data) as AnnotationData, agreement: c.agreement } : null,
      submissions: answers.map((a) => ({
        annotationId: a.id,
        workerId: a.worker_id,
        status: a.status,
        data: JSON.parse(a.data) as AnnotationData,
      })),
    };
  }

  /**
   * Accepts or rejects one answer. A rejected answer's slot goes back to the pool so
   * another worker redoes it, its consensus is dropped, and its worker sees the reason.
   */
  async review(
    actor: Actor,
    annotationId: number,
    verdict: 'accept' | 'reject',
    reasonCode: string | null,
    comment: string | null,
  ) {
    requireRole(actor, 'reviewer', 'manager', 'admin');
    const row = await this.db.selectFrom('annotations').selectAll().where('id', '=', annotationId).executeTakeFirst();
    // A missing answer has no project: it answers exactly like another organisation's.
    const project = row && (await this.projects.get(row.project_id));
    assertCanView(actor, project, 'annotation');
    const ann = row!;
    if (ann.worker_id === actor.id) throw forbidden('own_work', 'Nobody reviews their own answers.');
    if (verdict === 'reject' && !reasonCode) throw badRequest('reason_required', 'A rejection needs a reason.');
    if (ann.status !== 'submitted') throw conflict('already_reviewed', `This answer was already ${ann.status}.`);
    const now = this.clock.now();
    await withTx(this.db, async (trx) => {
      // Decided once: a retried or racing second verdict finds the answer decided and changes nothing.
      if (!(await this.quality.decideAnnotation(trx, ann.id, verdict === 'accept' ? 'accepted' : 'rejected'))) {
        throw conflict('already_reviewed', 'This answer was already reviewed.');
      }
      await this.quality.insertReview(trx, {
        project_id: ann.project_id,
        item_id: ann.item_id,
        annotation_id: ann.id,
        reviewer_id: actor.id,
        verdict,
        reason_code: reasonCode,
        comment,
        created_at: now,
      });
      // Pay: accepted, or an acceptance by consensus reversed (services/acceptance.ts).
      if (verdict === 'accept') await acceptanceFor(this.db).accept(trx, project, ann.id, 'review', now);
      else await acceptanceFor(this.db).unaccept(trx, ann.id, `review:${reasonCode}`, now, actor.id);
      if (verdict === 'reject') {
        await this.assignments.unsubmit(trx, ann.item_id, project.overlap);
        await this.quality.deleteConsensus(trx, ann.item_id);
      }
      const open = (await this.quality.liveAnswers(ann.item_id, trx)).some((a) => a.status === 'submitted');
      if (!open) await this.quality.setReviewState(trx, ann.item_id, 'reviewed');
    });
    return { annotationId, verdict };
  }

  /**
   * An item and its project for the access check, which runs before the item is used:
   * a missing item has no project, so it answers exactly like another's item.
   */
  private async itemAndProject(itemId: number): Promise<{ item: Item; project: Project | undefined }> {
    const item = await this.items.get(itemId);
    return { item: item!, project: item && (await this.projects.get(item.project_id)) };
  }

  private check(project: Project, item: Item, data: AnnotationData) {
    const problems = checkAnnotation(templateOf(project), item.width, item.height, data, project.max_instances);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join('; '), problems);
  }
}

/**
 * A worker's weight in a weighted consensus. Gold accuracy is a mean OKS, and OKS is
 * exp(−d² / 2s²k²), so −ln(accuracy) grows with the worker's squared error: its
 * inverse is an inverse-variance weight. A worker without gold scores counts as 0.5.
 */
export function weightOf(accuracy: number | null): number {
  const a = Math.min(0.99, Math.max(0.01, accuracy ?? 0.5));
  return 1 / -Math.log(a);
}

/** Deterministic sampling, so two processes agree on which items are sampled. */
function sampled(itemId: number, rate: number): boolean {
  const h = Math.imul(itemId ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return h / 2 ** 32 < rate;
}

/** The consensus of N answers, in the stored answer format plus agreement details. */
export function consensusOf(answers: AnnotationData[], template: KeypointTemplate, weights?: number[]) {
  const r = mergeAnswers(
    answers.map((a) => a.instances),
    template,
    weights ? { weights, method: 'geometric-median', weightQuorum: 0.5 } : {},
  );
  return {
    data: {
      instances: r.instances.map((i) => {
        // Categorical attributes of the members: weighted majority here, Dawid–Skene per project on request.
        const attributes = mergeAttributes(
          i.members.map((m, w) => (m >= 0 ? answers[w].instances[m]?.attributes : undefined)),
          weights,
        );
        return Object.keys(attributes).length
          ? { bbox: i.bbox, points: i.points, attributes }
          : { bbox: i.bbox, points: i.points };
      }),
    } as AnnotationData,
    agreement: r.agreement,
    details: {
      instances: r.instances.map((i) => ({
        members: i.members,
        oks: i.agreement.oks,
        support: i.agreement.support,
        perPoint: i.agreement.perPoint.map((x) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null)),
      })),
      unmerged: r.unmerged.length,
    },
  };
}
