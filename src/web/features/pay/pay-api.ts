/** Shapes of the pay routes (src/server/routes/pay/pay.routes.ts) as the web app reads them. */

export interface PayPeriod {
  period: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  earnedFen: number;
  paidFen: number;
  entries: number;
}

export interface PayrollRow {
  workerId: number;
  name: string;
  username: string;
  itemsAccepted: number;
  grossFen: number;
  bonusFen: number;
  floorTopUpFen: number;
  reversalsFen: number;
  adjustmentsFen: number;
  netFen: number;
  payoutsFen: number;
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
  totals: Omit<PayrollRow, 'workerId' | 'name' | 'username' | 'effectiveHourlyFen' | 'belowMinimum'>;
}

export interface LedgerEntry {
  id: number;
  kind: 'earning' | 'bonus' | 'reversal' | 'adjustment' | 'payout' | 'floor_topup';
  amountFen: number;
  period: string;
  project: { id: number; name: string | null } | null;
  annotationId: number | null;
  reversesId: number | null;
  reason: string | null;
  at: string;
}

export interface WorkerLedger {
  worker: { id: number; name: string; username: string };
  balanceFen: number;
  entries: LedgerEntry[];
}

export interface BonusTier {
  minAccuracy: number;
  bonusPct: number;
}

export interface ProjectPay {
  projectId: number;
  pieceRateFen: number;
  bonusTiers: BonusTier[];
  hourlyFloorFen: number;
  acceptOks: number;
}

export interface EarningsItem {
  annotationId: number;
  project: { id: number; name: string };
  submittedAt: string;
  status: 'accepted' | 'pending' | 'rejected';
  reason: string | null;
  accuracy: number | null;
  amountFen: number;
}

export interface Earnings {
  todayFen: number;
  weekFen: number;
  monthFen: number;
  balanceFen: number;
  history: EarningsItem[];
  /** Null while the server has no training tables. */
  certifications:
    | { templateId: string; templateName: { zh: string; en: string } | null; level: number; certifiedAt: string }[]
    | null;
  practise: {
    templateId: string;
    templateName: { zh: string; en: string };
    points: { index: number; name: { zh: string; en: string }; error: number }[];
    problems: string[];
  } | null;
}

/** A v4 UUID for a payout's retry key; crypto.randomUUID exists only on HTTPS or localhost. */
export function payoutKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
