/**
 * Pay for managers: pay periods and their closing, the payroll with its fair-pay
 * check, each worker's ledger, payouts, and the pay settings. Answers are accepted
 * and paid in services/acceptance.ts; this service never writes an earning.
 */
import type { BonusTier } from '../../core/pay/rules.js';
import { effectiveHourlyFen, hoursOf, isBelowMinimum, settle } from '../../core/pay/rules.js';
import { periodOf, periodRange } from '../../core/pay/period.js';
import type { PayoutBody, ProjectPayBody } from '../../core/api/pay.schema.js';
import { bonusTier } from '../../core/api/pay.schema.js';
import type { Db } from '../db/database.js';
import { withTx } from '../db/tx.js';
import type { Project } from '../db/types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { LedgerRepository } from '../repositories/ledger.repository.js';
import type { PayrollRepository } from '../repositories/payroll.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { assertCanManage, requireRole, type Actor } from './access.js';
import { bookingPeriod } from './booking.js';
import type { Clock } from './clock.js';

/** One worker's line of the payroll for a period; amounts in fen. */
export interface PayrollRow {
  workerId: number;
  name: string;
  username: string;
  /** Household status code, and its label (the code itself if the list lost it). */
  household: string | null;
  householdLabel: string | null;
  itemsAccepted: number;
  grossFen: number;
  bonusFen: number;
  floorTopUpFen: number;
  reversalsFen: number;
  adjustmentsFen: number;
  /** What the period earned: gross + bonus + floor + reversals + adjustments. */
  netFen: number;
  /** Paid out in the period (a positive figure; payouts are negative entries). */
  payoutsFen: number;
  /** Sum of every entry through the end of the period: what is owed then. */
  balanceFen: number;
  activeMs: number;
  activeHours: number;
  effectiveHourlyFen: number | null;
  belowMinimum: boolean;
}

export interface Payroll {
  period: string;
  status: 'open' | 'closed';
  minHourlyWageFen: number;
  rows: PayrollRow[];
  totals: Omit<
    PayrollRow,
    'workerId' | 'name' | 'username' | 'household' | 'householdLabel' | 'effectiveHourlyFen' | 'belowMinimum'
  >;
}

/** A project's bonus tiers as stored, validated: a bad row pays no bonus rather than a wrong one. */
export function tiersOf(project: Pick<Project, 'bonus_tiers'>): BonusTier[] {
  const parsed = bonusTier.array().safeParse(JSON.parse(project.bonus_tiers || '[]'));
  return parsed.success ? parsed.data : [];
}

export function projectPayView(p: Project) {
  return {
    projectId: p.id,
    pieceRateFen: p.piece_rate_fen,
    bonusTiers: tiersOf(p),
    hourlyFloorFen: p.hourly_floor_fen,
    acceptOks: p.accept_oks,
  };
}

function requirePayManager(actor: Actor) {
  requireRole(actor, 'admin', 'manager');
}

export class PayService {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerRepository,
    private readonly payroll: PayrollRepository,
    private readonly users: UserRepository,
    private readonly projects: ProjectRepository,
    private readonly clock: Clock,
  ) {}

  // --- periods --------------------------------------------------------------------

  /** The organisation's periods, the current month always among them. */
  async periods(actor: Actor) {
    requirePayManager(actor);
    const now = this.clock.now();
    await withTx(this.db, (trx) => this.ledger.ensurePeriod(trx, actor.org_id, periodOf(now), now));
    const rows = await this.ledger.periods(actor.org_id);
    return {
      current: periodOf(now),
      periods: rows.map((r) => ({
        period: r.period,
        status: r.status,
        closedAt: r.closed_at === null ? null : new Date(Number(r.closed_at)).toISOString(),
        earnedFen: Number(r.earned ?? 0),
        paidFen: Number(r.paid ?? 0),
        entries: Number(r.entries),
      })),
    };
  }

  /**
   * Closes a period: settles each worker's bonus and hourly floor per project into it,
   * then marks it closed, in one transaction. Entries decided later go to the next
   * open period. On PostgreSQL the period row is taken FOR UPDATE, which waits for
   * acceptances booking into it (they hold it FOR SHARE) and makes later ones see it
   * closed.
   */
  async closePeriod(actor: Actor, period: string) {
    requirePayManager(actor);
    const now = this.clock.now();
    if (period > periodOf(now)) throw badRequest('period_in_future', `The period ${period} has not begun.`);
    const orgId = actor.org_id;
    return withTx(this.db, async (trx) => {
      await this.ledger.ensurePeriod(trx, orgId, period, now);
      if ((await this.ledger.lockPeriod(trx, orgId, period)) === 'closed') {
        throw conflict('period_closed', `The period ${period} is already closed.`);
      }
      const { start, end } = periodRange(period);
      const basis = await this.payroll.settlementBasis(trx, orgId, period, start, end);
      const projects = new Map(
        (await this.payroll.payProjects(trx, [...new Set(basis.map((b) => b.projectId))])).map((p) => [p.id, p]),
      );
      let bonusTotal = 0;
      let floorTotal = 0;
      for (const b of basis) {
        const project = projects.get(b.projectId);
        if (!project) continue;
        const s = settle({
          pieceFen: b.pieceFen,
          accuracy: b.accuracy,
          activeMs: b.activeMs,
          tiers: tiersOf(project),
          floorFenPerHour: project.hourly_floor_fen,
        });
        const entry = (kind: 'bonus' | 'floor_topup', amount: number, reason: string) =>
          this.ledger.insert(trx, {
            org_id: orgId,
            worker_id: b.workerId,
            project_id: b.projectId,
            kind,
            amount_fen: amount,
            period,
            reason,
            idem_key: `${kind}:${period}:${b.projectId}:${b.workerId}`,
            created_at: now,
            created_by: actor.id,
          });
        if (s.bonusFen > 0) {
          await entry('bonus', s.bonusFen, `accuracy ${b.accuracy === null ? '-' : b.accuracy.toFixed(3)}`);
          bonusTotal += s.bonusFen;
        }
        if (s.floorTopUpFen > 0) {
          await entry('floor_topup', s.floorTopUpFen, `active ${hoursOf(b.activeMs)} h`);
          floorTotal += s.floorTopUpFen;
        }
      }
      await this.ledger.markClosed(trx, orgId, period, actor.id, now);
      return { period, status: 'closed' as const, bonusFen: bonusTotal, floorTopUpFen: floorTotal };
    });
  }

  // --- payroll and fair pay -------------------------------------------------------

  /** One row per worker for a period, with the fair-pay check against the local minimum wage. */
  async payrollFor(actor: Actor, period: string = periodOf(this.clock.now())): Promise<Payroll> {
    requirePayManager(actor);
    const orgId = actor.org_id;
    const { start, end } = periodRange(period);
    const [people, sums, balances, active, minWage, periods] = await Promise.all([
      this.payroll.people(orgId),
      this.payroll.periodSums(orgId, period),
      this.payroll.balancesThrough(orgId, period),
      this.payroll.activeMs(orgId, start, end),
      this.payroll.minWage(orgId),
      this.ledger.periods(orgId),
    ]);
    const rows: PayrollRow[] = [];
    for (const u of people) {
      const s = sums.get(u.id);
      const balance = balances.get(u.id) ?? 0;
      const ms = active.get(u.id) ?? 0;
      // Leavers with nothing in the period and nothing owed drop off the sheet.
      if (u.disabled && !s && balance === 0 && ms === 0) continue;
      const gross = s?.gross ?? 0;
      const net = gross + (s?.bonus ?? 0) + (s?.floor ?? 0) + (s?.reversals ?? 0) + (s?.adjustments ?? 0);
      const effective = effectiveHourlyFen(net, ms);
      rows.push({
        workerId: u.id,
        name: u.display_name,
        username: u.username,
        household: u.household,
        householdLabel: u.household_label ?? u.household,
        itemsAccepted: s?.items ?? 0,
        grossFen: gross,
        bonusFen: s?.bonus ?? 0,
        floorTopUpFen: s?.floor ?? 0,
        reversalsFen: s?.reversals ?? 0,
        adjustmentsFen: s?.adjustments ?? 0,
        netFen: net,
        payoutsFen: -(s?.payouts ?? 0),
        balanceFen: balance,
        activeMs: ms,
        activeHours: hoursOf(ms),
        effectiveHourlyFen: effective,
        belowMinimum: isBelowMinimum(effective, minWage),
      });
    }
    const sum = (k: keyof PayrollRow) => rows.reduce((t, r) => t + (r[k] as number), 0);
    const totalMs = sum('activeMs');
    return {
      period,
      status: periods.find((p) => p.period === period)?.status ?? 'open',
      minHourlyWageFen: minWage,
      rows,
      totals: {
        itemsAccepted: sum('itemsAccepted'),
        grossFen: sum('grossFen'),
        bonusFen: sum('bonusFen'),
        floorTopUpFen: sum('floorTopUpFen'),
        reversalsFen: sum('reversalsFen'),
        adjustmentsFen: sum('adjustmentsFen'),
        netFen: sum('netFen'),
        payoutsFen: sum('payoutsFen'),
        balanceFen: sum('balanceFen'),
        activeMs: totalMs,
        activeHours: hoursOf(totalMs),
      },
    };
  }

  /** The workers whose effective hourly pay in the period is under the local minimum wage. */
  async fairPay(actor: Actor, period?: string) {
    const p = await this.payrollFor(actor, period);
    return {
      period: p.period,
      minHourlyWageFen: p.minHourlyWageFen,
      below: p.rows.filter((r) => r.belowMinimum),
      checked: p.rows.filter((r) => r.effectiveHourlyFen !== null).length,
    };
  }

  // --- a worker's ledger and payouts ----------------------------------------------

  async workerLedger(actor: Actor, workerId: number, period: string | null) {
    requirePayManager(actor);
    const worker = await this.workerOf(actor, workerId);
    const [entries, balance] = await Promise.all([
      this.ledger.entries(worker.id, period),
      this.ledger.balance(worker.id),
    ]);
    return {
      worker: { id: worker.id, name: worker.display_name, username: worker.username },
      balanceFen: balance,
      entries: entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        amountFen: e.amount_fen,
        period: e.period,
        project: e.project_id === null ? null : { id: e.project_id, name: e.project_name },
        annotationId: e.annotation_id,
        reversesId: e.reverses_id,
        reason: e.reason,
        at: new Date(Number(e.created_at)).toISOString(),
      })),
    };
  }

  /**
   * Records money paid to a worker as a negative `payout` entry in an open period.
   * Never more than her balance: payouts to one worker are serialised (her row is
   * locked on PostgreSQL) so two at once cannot both pass the check. A retry with
   * the same `key` records it once.
   */
  async recordPayout(actor: Actor, body: PayoutBody) {
    requirePayManager(actor);
    const worker = await this.workerOf(actor, body.workerId);
    const now = this.clock.now();
    const orgId = actor.org_id;
    const idemKey = body.key ? `payout:${body.key}` : null;
    const view = (e: { id: number; period: string; amount_fen: number }, duplicate: boolean) => ({
      id: e.id,
      workerId: worker.id,
      period: e.period,
      amountFen: -e.amount_fen,
      duplicate,
    });
    return withTx(this.db, async (trx) => {
      await this.ledger.lockWorker(trx, worker.id);
      // After the lock: a retry that raced the first request now sees it committed.
      if (idemKey) {
        const prior = await this.ledger.byIdemKey(orgId, idemKey, trx);
        if (prior) return view(prior, true);
      }
      const balance = await this.ledger.balance(worker.id, trx);
      if (body.amountFen > balance) {
        throw conflict('payout_exceeds_balance', `The balance is ${balance} fen; a payout cannot exceed it.`, {
          balanceFen: balance,
        });
      }
      let period: string;
      if (body.period) {
        if ((await this.ledger.periodStatusForBooking(trx, orgId, body.period, now)) === 'closed')
          throw conflict('period_closed', `The period ${body.period} is closed; book the payout in an open one.`);
        period = body.period;
      } else {
        period = await bookingPeriod(this.ledger, trx, orgId, now);
      }
      const row = await this.ledger.insert(trx, {
        org_id: orgId,
        worker_id: worker.id,
        kind: 'payout',
        amount_fen: -body.amountFen,
        period,
        reason: body.note ?? null,
        idem_key: idemKey,
        created_at: now,
        created_by: actor.id,
      });
      if (row) return view(row, false);
      // A concurrent retry with the same key won; answer as the retry this is.
      return view((await this.ledger.byIdemKey(orgId, idemKey!, trx))!, true);
    });
  }

  // --- settings -------------------------------------------------------------------

  async settings(actor: Actor) {
    requirePayManager(actor);
    return { minHourlyWageFen: await this.payroll.minWage(actor.org_id) };
  }

  async updateSettings(actor: Actor, minHourlyWageFen: number) {
    requirePayManager(actor);
    await this.payroll.setMinWage(actor.org_id, minHourlyWageFen);
    return { minHourlyWageFen };
  }

  async projectPay(actor: Actor, projectId: number) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    return projectPayView(project);
  }

  /** New pay settings apply to answers accepted and periods closed from now on. */
  async updateProjectPay(actor: Actor, projectId: number, patch: ProjectPayBody) {
    const project = await this.projects.get(projectId);
    assertCanManage(actor, project);
    if (Object.keys(patch).length === 0) return projectPayView(project);
    const updated = await this.projects.update(projectId, {
      ...(patch.pieceRateFen === undefined ? {} : { piece_rate_fen: patch.pieceRateFen }),
      ...(patch.bonusTiers === undefined
        ? {}
        : { bonus_tiers: JSON.stringify([...patch.bonusTiers].sort((a, b) => a.minAccuracy - b.minAccuracy)) }),
      ...(patch.hourlyFloorFen === undefined ? {} : { hourly_floor_fen: patch.hourlyFloorFen }),
      ...(patch.acceptOks === undefined ? {} : { accept_oks: patch.acceptOks }),
    });
    return projectPayView(updated);
  }

  private async workerOf(actor: Actor, workerId: number) {
    const worker = await this.users.get(workerId);
    // Someone of another organisation answers exactly like nobody.
    if (!worker || worker.org_id !== actor.org_id) throw notFound('worker');
    return worker;
  }
}
