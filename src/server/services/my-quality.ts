/**
 * What a worker is told about her own quality, in a way that cannot time a check.
 *
 * Her checks are counted, averaged and explained only as of her last completed batch
 * of `feedback_batch` answers (gold and regular alike, in the order she sent them):
 * after her 10th, 20th, 30th … answer the page moves, never right after a check. A
 * batch says how many of its answers were checks, never which. Her status is the one
 * the quality rules had set at the end of that batch (their latest status event), except
 * that a suspension shows at once: the lease refuses her anyway. No time, id or order
 * of a single check is shown.
 */
import type { GoldFeedback } from '../../core/quality/gold-score.js';
import type { Project, WorkerStandingTable } from '../db/types.js';
import type { WorkerViewRepository } from '../repositories/worker-view.repository.js';
import { ACCURACY_WINDOW } from './standing.service.js';

/** Checks listed with what went wrong. */
const FEEDBACK_CHECKS = 10;

export type ShownStatus = 'active' | 'warned' | 'suspended';

export async function myQualityView(
  repo: WorkerViewRepository,
  project: Project,
  workerId: number,
  standing: Pick<WorkerStandingTable, 'status' | 'reason'> | undefined,
) {
  const batch = project.feedback_batch;
  const answers = await repo.answerCount(project.id, workerId);
  const upTo = Math.floor(answers / batch) * batch;
  const end = upTo > 0 ? await repo.nthAnswer(project.id, workerId, upTo) : undefined;
  let status: ShownStatus = 'active';
  let reason: string | null = null;
  let checked = 0;
  let accuracy: number | null = null;
  let feedback: { score: number; problems: GoldFeedback[] }[] = [];
  if (end) {
    const event = await repo.latestStatusEvent(project.id, workerId, Number(end.created_at));
    if (event?.action === 'warned' || event?.action === 'suspended') {
      status = event.action;
      reason = (JSON.parse(event.detail ?? '{}') as { reason?: string }).reason ?? null;
    }
    checked = await repo.scoreCountUpTo(project.id, workerId, end.id);
    const window = await repo.scoresUpTo(project.id, workerId, end.id, ACCURACY_WINDOW);
    accuracy = window.length ? window.reduce((s, r) => s + r.score, 0) / window.length : null;
    feedback = window.slice(0, FEEDBACK_CHECKS).map((r) => ({
      score: Math.round(r.score * 100) / 100,
      problems: JSON.parse(r.feedback) as GoldFeedback[],
    }));
  }
  if (standing?.status === 'suspended') [status, reason] = ['suspended', standing.reason];
  // A suspension lifted since the batch ended (a reinstatement) shows at once too.
  else if (status === 'suspended') [status, reason] = ['active', null];
  return {
    status,
    reason,
    accuracy,
    checked,
    /** The answers this view counts (a multiple of `every`), and how often it moves. */
    asOf: { answers: upTo, every: batch },
    feedback,
  };
}
