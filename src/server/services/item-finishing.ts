/**
 * Items always finish. The rules, in the order an item meets them:
 *
 * - **Cap on extra answers.** Low agreement under `more_overlap` asks one more worker
 *   while the item has fewer than `max_extra_overlap` extra answers and a worker is
 *   left to ask; past the cap it goes to review.
 * - **Flags clear.** When an item's (re)computed agreement is good, a low-agreement
 *   flag comes off.
 * - **Recompute after a discard.** When answers are discarded (a suspension), the
 *   requirement follows the answers that still count: an item that still holds its
 *   overlap is merged again from them and decided afresh (the extra answers it was
 *   given because of the discarded ones are no longer asked for); one that fell below
 *   its overlap waits for the missing answers only.
 * - **No waiting forever.** An item that lost answers (discarded, rejected) and needs
 *   more than there are workers left to give them (see `FinishingRepository.workersLeft`)
 *   is closed short: its requirement becomes the answers it holds (and any live lease),
 *   it is merged from them and goes to review, where a reviewer decides it. This is
 *   looked at when answers are discarded, when a worker finds nothing left to lease,
 *   and before asking for an extra answer. An item that never had its overlap waits
 *   for the crowd to grow, as a new project does.
 */
import type { Project } from '../db/types.js';
import type { Executor } from '../db/tx.js';
import type { AssignmentRepository } from '../repositories/assignment.repository.js';
import type { FinishingRepository } from '../repositories/finishing.repository.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';

export type Decision = 'final' | 'more' | 'review';

/** Merges an item's answers and decides it (QualityService.onItemComplete). */
export type Complete = (trx: Executor, project: Project, itemId: number) => Promise<void>;

export class ItemFinishing {
  constructor(
    private readonly repo: FinishingRepository,
    private readonly assignments: AssignmentRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * What a freshly merged item needs. An item closed short of its overlap always goes
   * to review; low agreement asks for one more answer (within the cap, while a worker
   * is left) or review, by the project's `low_agreement_action`; good agreement clears
   * a low-agreement flag.
   */
  async afterConsensus(
    trx: Executor,
    project: Project,
    itemId: number,
    answers: number,
    agreement: number,
  ): Promise<Decision> {
    if (answers < project.overlap) {
      await this.repo.flag(trx, itemId);
      return 'review';
    }
    const low = answers > 1 && agreement < project.agreement_threshold;
    if (!low || project.low_agreement_action === 'none') {
      if (!low) await this.repo.clearFlag(trx, itemId);
      return 'final';
    }
    if (project.low_agreement_action === 'more_overlap') {
      const item = await this.repo.item(trx, itemId);
      const extraNow = item.submitted - project.overlap;
      if (extraNow < project.max_extra_overlap && (await this.workersLeft(trx, project, itemId)) > 0) {
        await this.assignments.setRequirement(trx, itemId, project.overlap, Math.max(item.claimed, item.submitted) + 1);
        return 'more';
      }
    }
    await this.repo.flag(trx, itemId);
    return 'review';
  }

  /** After answers of the item were discarded (their slots already given back): see the file comment. */
  async recomputeAfterDiscard(trx: Executor, project: Project, itemId: number, complete: Complete) {
    const valid = await this.repo.validAnswers(trx, itemId);
    const item = await this.repo.item(trx, itemId);
    if (valid >= project.overlap) {
      // Live leases keep their slots: the item is decided when they are in.
      await this.assignments.setRequirement(trx, itemId, project.overlap, item.claimed);
      if (item.claimed === valid) await complete(trx, project, itemId);
      return;
    }
    await this.assignments.setRequirement(trx, itemId, project.overlap, project.overlap);
    await this.repo.clearFlag(trx, itemId);
    await this.closeIfStranded(trx, project, itemId, complete);
  }

  /**
   * Closes an item short and sends it to review when fewer workers are left than its
   * open slots; true when it did. An item with no answer left has nothing to review
   * and keeps waiting.
   */
  async closeIfStranded(trx: Executor, project: Project, itemId: number, complete: Complete): Promise<boolean> {
    const item = await this.repo.item(trx, itemId);
    const required = project.overlap + item.extra_overlap;
    const open = required - item.claimed;
    if (open <= 0 || item.submitted === 0) return false;
    if ((await this.workersLeft(trx, project, itemId)) >= open) return false;
    await this.assignments.setRequirement(trx, itemId, project.overlap, item.claimed);
    await this.repo.flag(trx, itemId);
    if (item.claimed === item.submitted) await complete(trx, project, itemId);
    return true;
  }

  /**
   * Every item of the project that lost an answer and that nobody left can finish goes
   * to review: after a suspension, and when a worker finds nothing left to lease.
   */
  async closeStrandedItems(trx: Executor, project: Project, complete: Complete): Promise<number> {
    let closed = 0;
    for (const id of await this.repo.reopenedItems(trx, project.id)) {
      if (await this.closeIfStranded(trx, project, id, complete)) closed++;
    }
    return closed;
  }

  private workersLeft(trx: Executor, project: Project, itemId: number) {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    return this.repo.workersLeft(trx, project, templateOf(project).id, itemId, today);
  }
}
