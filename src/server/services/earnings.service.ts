/**
 * A worker's own pay page: what she earned today, this week and this month, each
 * answer with its status, accuracy and amount, her certifications and what to
 * practise next. Only her own rows are read; nothing here names a gold item or tells one
 * apart: a gold answer stays pending until a regular answer would have been decided
 * (services/gold-decisions.ts), and "practise next" reads her checks only up to her last
 * completed batch of answers (services/my-quality.ts).
 */
import type { GoldFeedback } from '../../core/quality/gold-score.js';
import { periodOf, periodRange, utcWeekStart } from '../../core/pay/period.js';
import { getBuiltinTemplate } from '../../core/templates/index.js';
import type { LedgerRepository } from '../repositories/ledger.repository.js';
import type { PayrollRepository } from '../repositories/payroll.repository.js';
import { requireRole, type Actor } from './access.js';
import { utcDayStart, type Clock } from './clock.js';
import { templateOf } from './project.service.js';
import type { WorkerViewRepository } from '../repositories/worker-view.repository.js';

/** Answers listed on the page: about a week of steady work. */
const HISTORY = 200;
/** Landmarks named as "practise next". */
const PRACTISE_POINTS = 3;

export type AnswerPayStatus = 'accepted' | 'pending' | 'rejected';

/**
 * How a worker's answer stands for pay. Rejected answers say why: the reviewer's
 * reason, `worker_suspended` (discarded when her accuracy fell), or `low_accuracy`
 * (outside the project's tolerance of the consensus or the check).
 */
export function payStatusOf(r: {
  accepted_at: number | null;
  status: string;
  accuracy: number | null;
  accept_oks: number;
  reject_reason: string | null;
}): { status: AnswerPayStatus; reason: string | null } {
  if (r.accepted_at !== null) return { status: 'accepted', reason: null };
  if (r.status === 'rejected') return { status: 'rejected', reason: r.reject_reason ?? 'worker_suspended' };
  if (r.accuracy !== null && r.accuracy < r.accept_oks) return { status: 'rejected', reason: 'low_accuracy' };
  return { status: 'pending', reason: null };
}

export class EarningsService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly payroll: PayrollRepository,
    private readonly clock: Clock,
    /** Her checks as of her last completed batch of answers (services/my-quality.ts). */
    private readonly view?: WorkerViewRepository,
  ) {}

  async mine(actor: Actor) {
    requireRole(actor, 'worker');
    const now = this.clock.now();
    const end = now + 1;
    const [today, week, month, balance, history, certifications, practise] = await Promise.all([
      this.ledger.earnedBetween(actor.id, utcDayStart(now), end),
      this.ledger.earnedBetween(actor.id, utcWeekStart(now), end),
      this.ledger.earnedBetween(actor.id, periodRange(periodOf(now)).start, end),
      this.ledger.balance(actor.id),
      this.payroll.history(actor.id, HISTORY),
      this.payroll.certifications(actor.id),
      this.practise(actor.id),
    ]);
    return {
      todayFen: today,
      weekFen: week,
      monthFen: month,
      balanceFen: balance,
      history: history.map((r) => ({
        annotationId: r.id,
        project: { id: r.project_id, name: r.project_name },
        submittedAt: new Date(Number(r.created_at)).toISOString(),
        ...payStatusOf({ ...r, accepted_at: r.accepted_at === null ? null : Number(r.accepted_at) }),
        accuracy: r.accuracy === null ? null : Math.round(r.accuracy * 100) / 100,
        amountFen: Number(r.amount_fen ?? 0),
      })),
      /** Null until the training tables exist. */
      certifications:
        certifications?.map((c) => ({
          ...c,
          // Her page names the template ("人脸 68 点"), not its id.
          templateName: getBuiltinTemplate(c.templateId)?.name ?? null,
          certifiedAt: new Date(c.certifiedAt).toISOString(),
        })) ?? null,
      practise,
    };
  }

  /**
   * What to practise next, from her latest gold checks in her latest project: the
   * landmarks with the largest mean error, and the mistakes named most often.
   */
  private async practise(workerId: number) {
    const rows = await this.payroll.recentPointErrors(workerId);
    if (rows.length === 0) return null;
    const projectId = rows[0].project_id;
    // Only checks up to her last completed batch, as on her quality page: nothing here moves right after a check.
    let upTo = Infinity;
    if (this.view) {
      const batch = rows[0].feedback_batch;
      const n = Math.floor((await this.view.answerCount(projectId, workerId)) / batch) * batch;
      upTo = n > 0 ? ((await this.view.nthAnswer(projectId, workerId, n))?.id ?? 0) : 0;
    }
    const mine = rows.filter((r) => r.project_id === projectId && r.annotation_id <= upTo);
    if (mine.length === 0) return null;
    const template = templateOf(mine[0]);
    const sums = new Float64Array(template.points.length);
    const counts = new Uint32Array(template.points.length);
    const problems = new Map<string, number>();
    for (const r of mine) {
      (JSON.parse(r.per_point ?? '[]') as (number | null)[]).forEach((e, i) => {
        if (e !== null && i < sums.length) {
          sums[i] += e;
          counts[i]++;
        }
      });
      for (const f of JSON.parse(r.feedback) as GoldFeedback[]) problems.set(f.code, (problems.get(f.code) ?? 0) + 1);
    }
    const points = template.points
      .map((p, i) => ({ index: i, name: p.name, error: counts[i] ? sums[i] / counts[i] : null }))
      .filter((p): p is typeof p & { error: number } => p.error !== null)
      .sort((a, b) => b.error - a.error)
      .slice(0, PRACTISE_POINTS)
      .map((p) => ({ ...p, error: Math.round(p.error * 1000) / 1000 }));
    return {
      templateId: template.id,
      templateName: template.name,
      points,
      problems: [...problems.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code),
    };
  }
}
