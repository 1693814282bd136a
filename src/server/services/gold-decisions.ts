/**
 * When a gold answer is decided for its worker: accepted and paid, or refused for low
 * accuracy. A gold answer is scored the moment it arrives (her standing must not
 * wait), but deciding it at once would give it away: a regular answer waits for its
 * item's consensus, so an answer accepted on the spot was a check. So each gold answer
 * waits as long as a regular answer of the project waited: a wait drawn at random from
 * the latest decided regular answers' waits (zero when those are decided at once, as
 * with an overlap of 1). Before any regular answer was decided, the wait is drawn
 * between half and twice the project's lease time. Due decisions are taken by the
 * work loop's sweep (on lease, at most once a second, and on the server's timer).
 */
import type { Db } from '../db/database.js';
import { withTx, type Executor } from '../db/tx.js';
import type { Project } from '../db/types.js';
import type { WorkerViewRepository } from '../repositories/worker-view.repository.js';
import { acceptanceFor } from './acceptance.js';
import { secureUniform } from './gold-placement.js';

/** Gold decisions taken per sweep at most; more wait for the next one. */
const DECIDE_BATCH = 500;

export class GoldDecisions {
  constructor(
    private readonly db: Db,
    private readonly repo: WorkerViewRepository,
  ) {}

  /** In the gold answer's submit transaction, after scoring: decides it now, or sets when. */
  async schedule(trx: Executor, project: Project, annotationId: number, score: number, now: number) {
    const delays = await this.repo.recentDecisionDelays(trx, project.id);
    const delay =
      delays.length > 0
        ? delays[Math.floor(secureUniform() * delays.length)]
        : Math.round(project.lease_seconds * 1000 * (0.5 + 1.5 * secureUniform()));
    if (delay <= 0) {
      await acceptanceFor(this.db).judgeGold(trx, project, annotationId, score, now);
      return;
    }
    await this.repo.setDecideAt(trx, annotationId, now + delay);
  }

  /** Takes the gold decisions that are due; returns how many. */
  async decideDue(now: number): Promise<number> {
    // Looked up outside a transaction first: nothing due is the common case.
    if ((await this.repo.dueGoldDecisions(this.db, now, 1)).length === 0) return 0;
    return withTx(this.db, async (trx) => {
      const due = await this.repo.dueGoldDecisions(trx, now, DECIDE_BATCH);
      for (const d of due) {
        await this.repo.clearDecideAt(trx, d.id);
        const project = {
          id: d.project_id,
          org_id: d.org_id,
          piece_rate_fen: d.piece_rate_fen,
          accept_oks: d.accept_oks,
        };
        await acceptanceFor(this.db).judgeGold(trx, project, d.id, d.score, now);
      }
      return due.length;
    });
  }
}
