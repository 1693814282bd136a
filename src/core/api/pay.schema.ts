/**
 * Requests of the pay routes (`/api/pay/...`, `/api/projects/:id/pay`, `/api/me/earnings`).
 * Money is integer fen; limits sit beside the fields with why.
 */
import { z } from 'zod';
import { isPeriod } from '../pay/period.js';
import { id, idString, rawText, text } from './primitives.js';

/** A pay period, 'YYYY-MM'. */
export const period = z.string().refine(isPeriod, { message: "must be a pay period 'YYYY-MM'" });

export const periodParam = z.object({ period });

/** `?period=2026-11`; none means the current month. */
export const periodQuery = z.object({ period: period.optional() });

export const workerLedgerParams = z.object({ workerId: idString });

export const payoutBody = z.object({
  workerId: id,
  /** Fen paid out, at most ¥100,000: more than any month's pay, so a slip of digits is caught. */
  amountFen: z.number().int().min(1).max(10_000_000),
  /** The open period to book it in; none means the current one. */
  period: period.optional(),
  note: text(200).optional(),
  /** Chosen by the client per payout: a retried request records it once. */
  key: rawText(100, 8).optional(),
});

export const bonusTier = z.object({
  /** Gold accuracy (mean OKS, 0–1) from which the tier applies. */
  minAccuracy: z.number().min(0).max(1),
  /** Whole percent of the period's piece pay; over 100 % is a different pay scheme. */
  bonusPct: z.number().int().min(0).max(100),
});

export const projectPayBody = z
  .object({
    /** Pay per accepted item in fen; at most 1,000 yuan (as project settings). */
    pieceRateFen: z.number().int().min(0).max(100_000),
    /** Ten tiers are more than any base uses; each accuracy at most once. */
    bonusTiers: z
      .array(bonusTier)
      .max(10)
      .refine((t) => new Set(t.map((x) => x.minAccuracy)).size === t.length, {
        message: 'each minAccuracy at most once',
      }),
    /** Hourly floor over active time in fen; ¥1,000/h is far past any real floor. */
    hourlyFloorFen: z.number().int().min(0).max(100_000),
    /** OKS (0–1) against the final consensus, or gold score, from which an answer is accepted. */
    acceptOks: z.number().min(0).max(1),
  })
  .partial();

export const paySettingsBody = z.object({
  /** The local minimum hourly wage in fen, for the fair-pay check; ¥1,000/h is far past any. */
  minHourlyWageFen: z.number().int().min(0).max(100_000),
});

export type PayoutBody = z.infer<typeof payoutBody>;
export type ProjectPayBody = z.infer<typeof projectPayBody>;
export type BonusTierBody = z.infer<typeof bonusTier>;
