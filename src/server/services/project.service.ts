import { DEFAULT_THRESHOLDS, thresholdsProblem } from '../../core/quality/thresholds.js';
import { DEFAULT_PEER_THRESHOLDS, peerThresholdsProblem } from '../../core/quality/standing-rules.js';
import { getBuiltinTemplate } from '../../core/templates/index.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { ProjectBody, ProjectPatch } from '../../core/api/schemas.js';
import type { Item, Project } from '../db/types.js';
import { badRequest, notFound } from '../errors.js';
import type { OrgRepository } from '../repositories/org.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { ItemRepository } from '../repositories/item.repository.js';
import type { AnnotationRepository } from '../repositories/annotation.repository.js';
import { assertCanManage, assertCanView, assertOwnClient, requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import type { ProjectMembership } from './project-membership.js';

/** A project as the API shows it: template parsed, names in camelCase. */
export function projectView(p: Project) {
  return {
    id: p.id,
    orgId: p.org_id,
    clientOrgId: p.client_org_id,
    name: p.name,
    template: JSON.parse(p.template) as KeypointTemplate,
    instructions: p.instructions,
    overlap: p.overlap,
    leaseSeconds: p.lease_seconds,
    pieceRateFen: p.piece_rate_fen,
    maxInstances: p.max_instances,
    status: p.status,
    quality: {
      goldRate: p.gold_rate,
      warnBelow: p.warn_below,
      suspendBelow: p.suspend_below,
      minGold: p.min_gold,
      reviewRate: p.review_rate,
      agreementThreshold: p.agreement_threshold,
      lowAgreementAction: p.low_agreement_action,
      consensusMethod: p.consensus_method,
      maxExtraOverlap: p.max_extra_overlap,
      goldSkipAction: p.gold_skip_action,
      goldSkipMargin: p.gold_skip_margin,
      feedbackBatch: p.feedback_batch,
      peerWarnBelow: p.peer_warn_below,
      peerSuspendBelow: p.peer_suspend_below,
      peerMin: p.peer_min,
      swapSuspendShare: p.swap_suspend_share,
      fastMsPerPoint: p.fast_ms_per_point,
      fastSuspendAfter: p.fast_suspend_after,
    },
    createdAt: new Date(p.created_at).toISOString(),
  };
}

function qualityColumns(b: Partial<ProjectPatch>) {
  return {
    gold_rate: b.goldRate,
    warn_below: b.warnBelow,
    suspend_below: b.suspendBelow,
    min_gold: b.minGold,
    review_rate: b.reviewRate,
    agreement_threshold: b.agreementThreshold,
    low_agreement_action: b.lowAgreementAction,
    consensus_method: b.consensusMethod,
    max_extra_overlap: b.maxExtraOverlap,
    gold_skip_action: b.goldSkipAction,
    gold_skip_margin: b.goldSkipMargin,
    feedback_batch: b.feedbackBatch,
    peer_warn_below: b.peerWarnBelow,
    peer_suspend_below: b.peerSuspendBelow,
    peer_min: b.peerMin,
    swap_suspend_share: b.swapSuspendShare,
    fast_ms_per_point: b.fastMsPerPoint,
    fast_suspend_after: b.fastSuspendAfter,
  };
}

/** Refuses a warning threshold below the suspension threshold (400 `thresholds_contradict`). */
function assertThresholds(warnBelow: number, suspendBelow: number) {
  const problem = thresholdsProblem(warnBelow, suspendBelow);
  if (problem) throw badRequest('thresholds_contradict', problem, { warnBelow, suspendBelow });
}

/** The same for the peer rule (400 `thresholds_contradict`). */
function assertPeerThresholds(peerWarnBelow: number, peerSuspendBelow: number) {
  const problem = peerThresholdsProblem(peerWarnBelow, peerSuspendBelow);
  if (problem) throw badRequest('thresholds_contradict', problem, { peerWarnBelow, peerSuspendBelow });
}

/** Parsed templates by project id and template text: parsing 68 points per request adds up. */
const templateCache = new Map<string, KeypointTemplate>();
export function templateOf(p: Pick<Project, 'template'>): KeypointTemplate {
  let t = templateCache.get(p.template);
  if (!t) {
    if (templateCache.size > 100) templateCache.clear();
    t = JSON.parse(p.template) as KeypointTemplate;
    templateCache.set(p.template, t);
  }
  return t;
}

export class ProjectService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly orgs: OrgRepository,
    private readonly items: ItemRepository,
    private readonly annotations: AnnotationRepository,
    private readonly clock: Clock,
    private readonly membership?: ProjectMembership,
  ) {}

  async create(actor: Actor, body: ProjectBody) {
    requireRole(actor, 'admin', 'manager');
    assertThresholds(
      body.warnBelow ?? DEFAULT_THRESHOLDS.warnBelow,
      body.suspendBelow ?? DEFAULT_THRESHOLDS.suspendBelow,
    );
    assertPeerThresholds(
      body.peerWarnBelow ?? DEFAULT_PEER_THRESHOLDS.warnBelow,
      body.peerSuspendBelow ?? DEFAULT_PEER_THRESHOLDS.suspendBelow,
    );
    const template = body.template ?? getBuiltinTemplate(body.templateId ?? '');
    if (!template) throw badRequest('unknown_template', `There is no built-in template ${body.templateId}.`);
    if (body.clientOrgId) assertOwnClient(actor, await this.orgs.get(body.clientOrgId));
    const row = await this.projects.create({
      org_id: actor.org_id,
      client_org_id: body.clientOrgId ?? null,
      name: body.name,
      template: JSON.stringify(template),
      instructions: body.instructions,
      overlap: body.overlap,
      lease_seconds: body.leaseSeconds,
      piece_rate_fen: body.pieceRateFen,
      max_instances: body.maxInstances,
      status: 'active',
      created_by: actor.id,
      created_at: this.clock.now(),
      ...qualityColumns(body),
    });
    return projectView(row);
  }

  /** Projects the actor may see, each with its progress. */
  async list(actor: Actor) {
    const rows =
      actor.role === 'client'
        ? await this.projects.listForOrg(actor.org_id, true)
        : await this.projects.listForOrg(actor.org_id, false);
    let visible = actor.role === 'worker' ? rows.filter((p) => p.status === 'active') : rows;
    if (actor.role === 'worker' && this.membership) {
      // Projects given to other people or teams are not shown to her at all.
      const closed = await this.membership.closedTo(
        visible.map((p) => p.id),
        actor.id,
      );
      visible = visible.filter((p) => !closed.has(p.id));
    }
    const progress = await this.projects.progressMany(visible.map((p) => p.id));
    return visible.map((p) => {
      const all = progress.get(p.id)!;
      // A worker's progress counts regular items only: no gold count, nothing to subtract one from.
      const shown =
        actor.role === 'worker'
          ? { items: all.items - all.gold, submissions: all.submissions, itemsFullyClaimed: all.itemsFullyClaimed }
          : all;
      return { ...projectView(p), progress: shown };
    });
  }

  async get(actor: Actor, id: number) {
    const p = await this.projects.get(id);
    if (actor.role === 'worker') {
      // Workers see the settings and instructions of their organisation's live projects.
      if (!p || p.org_id !== actor.org_id || p.status !== 'active') throw notFound('project');
      return projectView(p);
    }
    assertCanView(actor, p);
    return { ...projectView(p), progress: await this.projects.progress(p.id) };
  }

  async update(actor: Actor, id: number, patch: ProjectPatch) {
    const p = await this.projects.get(id);
    assertCanManage(actor, p);
    // An empty patch would be an UPDATE without SET; say so rather than pretend to save.
    if (Object.values(patch).every((v) => v === undefined)) {
      throw badRequest('empty_patch', 'The change names no setting; send at least one field to change.');
    }
    // A patch may move one threshold: it is checked against the other's stored value.
    assertThresholds(patch.warnBelow ?? p.warn_below, patch.suspendBelow ?? p.suspend_below);
    assertPeerThresholds(patch.peerWarnBelow ?? p.peer_warn_below, patch.peerSuspendBelow ?? p.peer_suspend_below);
    const row = await this.projects.update(id, {
      name: patch.name,
      overlap: patch.overlap,
      lease_seconds: patch.leaseSeconds,
      piece_rate_fen: patch.pieceRateFen,
      max_instances: patch.maxInstances,
      instructions: patch.instructions,
      status: patch.status,
      ...qualityColumns(patch),
    });
    if (patch.overlap !== undefined && patch.overlap !== p.overlap) await this.projects.reopenItems(id, patch.overlap);
    return projectView(row);
  }

  async listItems(actor: Actor, projectId: number, after: number, limit: number) {
    assertCanView(actor, await this.projects.get(projectId));
    const rows = await this.items.page(projectId, after, limit);
    return {
      items: rows.map((i) => ({
        id: i.id,
        name: i.name,
        width: i.width,
        height: i.height,
        submitted: i.submitted,
        meta: i.meta ? JSON.parse(i.meta) : null,
      })),
      next: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  }

  /** One item with every submission, for the manager's browser. */
  async getItem(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, 'item');
    const subs = await this.annotations.listForItem(itemId);
    return {
      id: item.id,
      projectId: item.project_id,
      name: item.name,
      width: item.width,
      height: item.height,
      meta: item.meta ? JSON.parse(item.meta) : null,
      submissions: subs.map((s) => ({
        id: s.id,
        workerId: s.worker_id,
        worker: s.worker_username,
        data: JSON.parse(s.data),
        activeMs: s.active_ms,
        createdAt: new Date(s.created_at).toISOString(),
      })),
    };
  }

  /** The item row behind an image request, after checking the actor may see it. */
  async itemForImage(actor: Actor, itemId: number) {
    const { item, project } = await this.itemAndProject(itemId);
    assertCanView(actor, project, 'item');
    return item;
  }

  /**
   * An item and its project for the access check, which runs before the item is used:
   * a missing item has no project, so it answers exactly like another's item.
   */
  private async itemAndProject(itemId: number): Promise<{ item: Item; project: Project | undefined }> {
    const item = await this.items.get(itemId);
    return { item: item!, project: item && (await this.projects.get(item.project_id)) };
  }
}
