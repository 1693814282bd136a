/**
 * The moment an answer is accepted, defined here and nowhere else.
 *
 * An answer is accepted, and earns its project's piece rate, when
 * - a reviewer accepts it (`review`);
 * - its item's consensus is final (the overlap is in and agreement did not send the
 *   item for more answers or for review) and the answer agrees with that consensus at
 *   the project's `accept_oks` or better (`consensus`);
 * - it is a gold answer scoring `accept_oks` or better (`gold`).
 *
 * Each of these calls `accept` inside the transaction that decides it, so the answer's
 * `accepted_at` and its ledger earning commit together or not at all. A unique key
 * allows one earning per annotation: retries, races and a second server process all
 * end in one row. A decision reversed later (a reviewer rejects an answer the
 * consensus accepted, a suspension discards answers) calls `unaccept`, which books a
 * reversing entry; no entry is ever edited. A reversed earning is final: rejection
 * is the end of an answer's life, and nothing accepts a rejected answer again.
 *
 * Locking: both methods update the annotation row first. On PostgreSQL that row lock
 * orders an acceptance and a rejection of the same answer, so the later one sees what
 * the earlier one committed; SQLite's IMMEDIATE transactions are serial anyway.
 */
import { sql } from 'kysely';
import type { AnnotationData } from '../../core/annotation.js';
import { scoreGold } from '../../core/quality/gold-score.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { Db } from '../db/database.js';
import type { Executor } from '../db/tx.js';
import type { Project } from '../db/types.js';
import { LedgerRepository } from '../repositories/ledger.repository.js';
import { bookingPeriod } from './booking.js';

export type AcceptCause = 'review' | 'consensus' | 'gold';
type PayProject = Pick<Project, 'id' | 'org_id' | 'piece_rate_fen' | 'accept_oks'>;

export class AnswerAcceptance {
  constructor(private readonly ledger: LedgerRepository) {}

  /**
   * Accepts an answer for pay and books its earning. Returns false when the answer is
   * rejected (nothing is paid); true when it is accepted, now or before. `accuracy` is
   * what decided it (gold score, OKS against the consensus), kept for the worker's page.
   */
  async accept(
    trx: Executor,
    project: PayProject,
    annotationId: number,
    cause: AcceptCause,
    now: number,
    accuracy: number | null = null,
  ): Promise<boolean> {
    const row = await trx
      .updateTable('annotations')
      .set({
        accepted_at: sql`coalesce(accepted_at, ${now})`,
        accuracy:
          accuracy === null ? sql`accuracy` : sql`case when accepted_at is null then ${accuracy} else accuracy end`,
      })
      .where('id', '=', annotationId)
      .where('status', '!=', 'rejected')
      .returning(['id', 'worker_id', 'project_id'])
      .executeTakeFirst();
    if (!row) return false;
    const period = await bookingPeriod(this.ledger, trx, project.org_id, now);
    await this.ledger.insert(trx, {
      org_id: project.org_id,
      worker_id: row.worker_id,
      project_id: row.project_id,
      annotation_id: row.id,
      kind: 'earning',
      amount_fen: project.piece_rate_fen,
      period,
      reason: cause,
      created_at: now,
      created_by: null,
    });
    return true;
  }

  /**
   * Withdraws an acceptance: clears `accepted_at` and books one reversing entry for
   * the earning, if it was paid and not yet reversed. Call it after marking the answer
   * rejected, in the same transaction. Returns true when a reversal was booked.
   */
  async unaccept(
    trx: Executor,
    annotationId: number,
    reason: string,
    now: number,
    by: number | null = null,
  ): Promise<boolean> {
    await trx.updateTable('annotations').set({ accepted_at: null }).where('id', '=', annotationId).execute();
    const earning = await this.ledger.earningOf(trx, annotationId);
    if (!earning || earning.reversed_by !== null) return false;
    const period = await bookingPeriod(this.ledger, trx, earning.org_id, now);
    const booked = await this.ledger.insert(trx, {
      org_id: earning.org_id,
      worker_id: earning.worker_id,
      project_id: earning.project_id,
      annotation_id: annotationId,
      kind: 'reversal',
      amount_fen: -earning.amount_fen,
      period,
      reverses_id: earning.id,
      reason,
      created_at: now,
      created_by: by,
    });
    return booked !== undefined;
  }

  /**
   * An item's consensus is final: accepts each answer that agrees with it within the
   * project's tolerance and notes every answer's agreement. An answer outside it stays
   * unpaid (a reviewer may still accept it); an answer already accepted keeps its
   * acceptance and the agreement that decided it.
   */
  async acceptAgreeing(
    trx: Executor,
    project: PayProject,
    template: KeypointTemplate,
    answers: { id: number; data: AnnotationData }[],
    consensus: AnnotationData,
    now: number,
  ) {
    for (const a of answers) {
      const agreement = scoreGold(a.data, consensus, template).score;
      if (agreement >= project.accept_oks) await this.accept(trx, project, a.id, 'consensus', now, agreement);
      else await this.noteAccuracy(trx, a.id, agreement);
    }
  }

  /** A gold answer was scored: accepted when it passes, otherwise unpaid with its score noted. */
  async judgeGold(trx: Executor, project: PayProject, annotationId: number, score: number, now: number) {
    if (score >= project.accept_oks) return this.accept(trx, project, annotationId, 'gold', now, score);
    await this.noteAccuracy(trx, annotationId, score);
    return false;
  }

  private noteAccuracy(trx: Executor, annotationId: number, accuracy: number) {
    return trx
      .updateTable('annotations')
      .set({ accuracy })
      .where('id', '=', annotationId)
      .where('accepted_at', 'is', null)
      .execute();
  }
}

const instances = new WeakMap<Db, AnswerAcceptance>();

/** The acceptance hook of a database, for services that decide answers. */
export function acceptanceFor(db: Db): AnswerAcceptance {
  let a = instances.get(db);
  if (!a) {
    a = new AnswerAcceptance(new LedgerRepository(db));
    instances.set(db, a);
  }
  return a;
}
