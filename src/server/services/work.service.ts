/**
 * The work loop: lease the next item, submit an answer, skip or release. The rules:
 * a worker never gets an item twice (also enforced by a unique key); an item never
 * holds more than its overlap of leases plus submissions; an expired lease gives its
 * slot back; a retried submission (same client id) is stored once.
 */
import { checkAnnotation } from '../../core/annotation.js';
import type { SubmitBody } from '../../core/api/schemas.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation, withTx } from '../db/tx.js';
import type { Item, Project } from '../db/types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { AnnotationRepository } from '../repositories/annotation.repository.js';
import type { AssignmentRepository } from '../repositories/assignment.repository.js';
import type { ItemRepository } from '../repositories/item.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import { assertCanWork, requireRole, type Actor } from './access.js';
import { utcDayStart, type Clock } from './clock.js';
import { templateOf } from './project.service.js';
import type { QualityService } from './quality.service.js';
import type { ProjectMembership } from './project-membership.js';
import type { CertificationService } from './certification.service.js';
import { randomOrderKey } from './gold-placement.js';

/** The current item and the one fetched ahead: a worker holds at most this many leases per project. */
export const MAX_ACTIVE_LEASES = 2;
/** Expired leases are swept at most this often per process (and by the server's timer). */
const SWEEP_INTERVAL_MS = 1000;

export interface LeaseView {
  assignmentId: number;
  expiresAt: string;
  item: { id: number; width: number; height: number };
  imageUrl: string;
  previewUrl: string;
}

export class WorkService {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly projects: ProjectRepository,
    private readonly items: ItemRepository,
    private readonly assignments: AssignmentRepository,
    private readonly annotations: AnnotationRepository,
    private readonly quality: QualityService,
    private readonly clock: Clock,
    private readonly membership: ProjectMembership,
    /** Only workers certified for the project's template get its items (see CertificationService). */
    private readonly certifications?: CertificationService,
  ) {}

  /**
   * The worker's next item, or null when the project has nothing left for them.
   * Asking again while holding the maximum of live leases returns the oldest one,
   * so a client that lost a response gets its lease back instead of a second one.
   */
  async lease(actor: Actor, projectId: number): Promise<LeaseView | null> {
    const project = await this.projects.getCached(projectId);
    assertCanWork(actor, project);
    await this.membership.assertMayWork(projectId, actor.id);
    await this.certifications?.assertCertified(actor, project);
    const now = this.clock.now();
    await this.sweepIfDue(now);
    const lease = await this.leaseInTx(actor, project, now);
    if (!lease) {
      // Nothing for her: items nobody is left to finish go to review (services/item-finishing.ts).
      await this.quality.closeStrandedItems(projectId);
      return null;
    }
    const item = lease.size ?? (await this.items.get(lease.item_id))!;
    return leaseView(lease.id, lease.expires_at, { id: lease.item_id, width: item.width, height: item.height });
  }

  /**
   * Takes the lease in one transaction. The worker's leases are serialized first (the
   * cap is a database fact, also across servers); a unique-key race that slips past
   * (the same item to the same worker) is retried once, then answered 409, never 500.
   */
  private async leaseInTx(actor: Actor, project: Project, now: number) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.leaseOnce(actor, project, now);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (attempt >= 2) {
          throw conflict('lease_conflict', 'Another request took this item for you at the same moment; ask again.');
        }
      }
    }
  }

  private leaseOnce(actor: Actor, project: Project, now: number) {
    const projectId = project.id;
    return withTx(this.db, async (trx) => {
      await this.assignments.lockWorker(trx, actor.id);
      await this.quality.assertNotSuspended(trx, projectId, actor.id);
      const active = await this.assignments.activeLeases(trx, projectId, actor.id, now);
      if (active.length >= MAX_ACTIVE_LEASES) return { ...active[0], size: null };
      const expiresAt = now + project.lease_seconds * 1000;
      // Gold comes at random at the project's rate (services/gold-placement.ts), a random
      // gold item, leased like any other item but taking no overlap slot.
      if (await this.quality.wantsGold(trx, project, actor.id)) {
        const goldId = await this.assignments.findGold(trx, projectId, actor.id, now, randomOrderKey());
        if (goldId !== undefined) {
          return {
            ...(await this.assignments.insertLease(trx, projectId, goldId, actor.id, now, expiresAt)),
            size: null,
          };
        }
      }
      // On PostgreSQL a candidate can fill up between SKIP LOCKED and the claim; try the next.
      for (let attempt = 0; attempt < 5; attempt++) {
        const found = await this.assignments.findLeasable(trx, projectId, actor.id, now);
        if (found === undefined) return null;
        if (await this.assignments.claim(trx, found.id, project.overlap)) {
          return {
            ...(await this.assignments.insertLease(trx, projectId, found.id, actor.id, now, expiresAt)),
            size: found,
          };
        }
      }
      return null;
    });
  }

  /** The worker's live leases in a project, oldest first: what a reloaded workspace resumes. */
  async myLeases(actor: Actor, projectId: number): Promise<LeaseView[]> {
    assertCanWork(actor, await this.projects.get(projectId));
    const leases = await this.assignments.activeLeases(this.db, projectId, actor.id, this.clock.now());
    const views: LeaseView[] = [];
    for (const l of leases) views.push(leaseView(l.id, l.expires_at, (await this.items.get(l.item_id))!));
    return views;
  }

  async submit(actor: Actor, assignmentId: number, body: SubmitBody) {
    requireRole(actor, 'worker');
    const prior = await this.annotations.findBySubmissionId(this.db, actor.id, body.clientSubmissionId);
    if (prior) return this.replay(prior, assignmentId);

    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound('assignment');
    const [project, item] = await Promise.all([this.projects.getCached(a.project_id), this.items.get(a.item_id)]);
    this.validate(project!, item!, body);

    const now = this.clock.now();
    try {
      return await withTx(this.db, async (trx) => {
        let ended = await this.assignments.end(trx, a.id, 'leased', 'submitted', now);
        if (!ended) {
          const cur = (await this.assignments.get(trx, a.id))!;
          if (cur.status === 'submitted') {
            const again = await this.annotations.findBySubmissionId(trx, actor.id, body.clientSubmissionId);
            if (again) return { annotationId: again.id, duplicate: true };
            throw conflict('already_submitted', 'This item was already submitted with another answer.');
          }
          if (cur.status !== 'expired') throw conflict('assignment_closed', `This item was ${cur.status}.`);
          // A late answer is still welcome while the item has a free slot (gold has no slots to fill).
          if (!item!.is_gold && !(await this.assignments.claim(trx, a.item_id, project!.overlap))) {
            throw conflict('lease_expired', 'The time for this item ran out and others have taken it.');
          }
          ended = await this.assignments.end(trx, a.id, 'expired', 'submitted', now);
          if (!ended) throw conflict('assignment_closed', 'This item changed while submitting; try again.');
        }
        const row = await this.annotations.insert(trx, {
          project_id: a.project_id,
          item_id: a.item_id,
          assignment_id: a.id,
          worker_id: actor.id,
          client_submission_id: body.clientSubmissionId,
          data: JSON.stringify(body.data),
          instance_count: body.data.instances.length,
          active_ms: body.activeMs,
          created_at: now,
        });
        if (item!.is_gold) {
          await this.quality.scoreInTx(trx, project!, row.id, a.item_id, actor.id, body.data);
        } else {
          const counts = await this.assignments.markSubmitted(trx, a.item_id);
          if (counts.submitted >= project!.overlap + counts.extra_overlap) {
            await this.quality.onItemComplete(trx, project!, a.item_id);
          }
        }
        return { annotationId: row.id, duplicate: false };
      });
    } catch (err) {
      // A concurrent retry with the same id won the race: answer as the retry it is.
      if (isUniqueViolation(err)) {
        const winner = await this.annotations.findBySubmissionId(this.db, actor.id, body.clientSubmissionId);
        if (winner) return this.replay(winner, assignmentId);
      }
      throw err;
    }
  }

  /** Skip (with a reason) or release: the item goes back to the pool for others. */
  async giveBack(actor: Actor, assignmentId: number, how: 'skipped' | 'released', reason: string | null = null) {
    requireRole(actor, 'worker');
    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound('assignment');
    const project = await this.projects.get(a.project_id);
    await withTx(this.db, async (trx) => {
      if (await this.assignments.end(trx, a.id, 'leased', how, this.clock.now(), reason)) {
        await this.assignments.unclaim(trx, a.item_id, project!.overlap);
        // Skipping counts: the skip rule compares her gold and regular skip rates.
        await this.quality.afterGiveBack(trx, project!, actor.id);
        return;
      }
      const cur = (await this.assignments.get(trx, a.id))!;
      if (cur.status === 'submitted') throw conflict('already_submitted', 'This item was already submitted.');
      // Already expired, skipped or released: nothing more to give back.
    });
    return { ok: true };
  }

  /** The item behind a worker's own assignment, for its image. */
  async itemForAssignment(actor: Actor, assignmentId: number): Promise<Item> {
    const a = await this.assignments.get(this.db, assignmentId);
    if (!a || a.worker_id !== actor.id) throw notFound('assignment');
    return (await this.items.get(a.item_id))!;
  }

  async today(actor: Actor) {
    requireRole(actor, 'worker');
    return this.assignments.workerDay(actor.id, utcDayStart(this.clock.now()));
  }

  /** Returns expired leases' slots; cheap when nothing is due. */
  async sweep(now = this.clock.now()): Promise<number> {
    this.lastSweep = now;
    const expired = await withTx(this.db, (trx) => this.assignments.expireDue(trx, now));
    // Gold answers whose decision is due (services/gold-decisions.ts).
    await this.quality.goldDecisions.decideDue(now);
    return expired;
  }

  private async sweepIfDue(now: number) {
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) await this.sweep(now);
  }

  private replay(prior: { id: number; assignment_id: number }, assignmentId: number) {
    if (prior.assignment_id !== assignmentId) {
      throw conflict('submission_id_reused', 'This submission id was already used for another item.');
    }
    return { annotationId: prior.id, duplicate: true };
  }

  private validate(project: Project, item: Item, body: SubmitBody) {
    const problems = checkAnnotation(templateOf(project), item.width, item.height, body.data, project.max_instances);
    if (problems.length > 0) {
      throw badRequest(problems[0].code, problems.map((p) => p.message).join('; '), problems);
    }
  }
}

function leaseView(assignmentId: number, expiresAt: number, item: Pick<Item, 'id' | 'width' | 'height'>): LeaseView {
  return {
    assignmentId,
    expiresAt: new Date(expiresAt).toISOString(),
    item: { id: item.id, width: item.width, height: item.height },
    imageUrl: `/api/assignments/${assignmentId}/image`,
    previewUrl: `/api/assignments/${assignmentId}/preview`,
  };
}
