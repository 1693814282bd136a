/**
 * Request bodies and query strings of the HTTP API: the server validates with them,
 * the web client types its calls with them. Limits sit beside the fields they bound.
 */
import { z } from 'zod';
import { annotationDataSchema, MAX_INSTANCES } from '../annotation.js';
import { keypointTemplateSchema } from '../templates/template.js';
import { REJECT_REASONS, SKIP_REASONS } from './reasons.js';
import { householdCode } from './people.js';
import { cursor, id, idParam, idString, rawText, text } from './primitives.js';

// Every id and every text field is built from the shared primitives (bounded ids, clean text).
export { idParam };

export const loginBody = z.object({
  username: text(64),
  password: rawText(256),
});

/**
 * A bearer token: `read` tokens may only GET. Without an expiry a token lives until
 * revoked; `expiresInDays` (up to ten years) or an `expiresAt` date ends it sooner.
 */
export const tokenBody = z
  .object({
    // Untrimmed here: the service trims it and names a blank name `invalid_token_name`.
    name: rawText(100),
    scope: z.enum(['read', 'write']).default('write'),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => b.expiresInDays === undefined || b.expiresAt === undefined, {
    message: 'give expiresInDays or expiresAt, not both',
    path: ['expiresAt'],
  });
export type TokenBody = z.infer<typeof tokenBody>;

export const orgBody = z.object({ name: text(200), kind: z.enum(['vendor', 'client']) });

export const userBody = z.object({
  orgId: id.optional(),
  username: text(64, 2),
  password: rawText(256, 8),
  displayName: text(100, 0).optional(),
  role: z.enum(['admin', 'manager', 'reviewer', 'worker', 'client']),
  locale: z.enum(['zh-CN', 'en']).optional(),
  county: text(100, 0).nullish(),
  township: text(100, 0).nullish(),
  village: text(100, 0).nullish(),
  /** A code from the editable household status list, checked against it by the service. */
  household: householdCode.optional(),
});

export const projectSettings = {
  /** Workers per item; more than 10 is never worth the pay. */
  overlap: z.number().int().min(1).max(10),
  /** A lease shorter than a minute cannot hold a 68-point face; a day is plenty. */
  leaseSeconds: z.number().int().min(60).max(86_400),
  /** Pay per accepted item in fen; at most 1,000 yuan. */
  pieceRateFen: z.number().int().min(0).max(100_000),
  maxInstances: z.number().int().min(1).max(MAX_INSTANCES),
  instructions: text(100_000, 0),
  /** Share of each worker's items that are hidden gold checks; above half is mostly testing. */
  goldRate: z.number().min(0).max(0.5),
  /** Rolling gold accuracy (mean OKS, 0–1) under which a worker is warned, and suspended. */
  warnBelow: z.number().min(0).max(1),
  suspendBelow: z.number().min(0).max(1),
  /** Gold items a worker is scored on before a suspension can happen. */
  minGold: z.number().int().min(1).max(100),
  /** Share of completed items sampled for review. */
  reviewRate: z.number().min(0).max(1),
  /** Consensus agreement (0–1) under which an item gets more overlap or goes to review. */
  agreementThreshold: z.number().min(0).max(1),
  lowAgreementAction: z.enum(['review', 'more_overlap', 'none']),
  /** `weighted` weighs each worker by gold accuracy (geometric median). */
  consensusMethod: z.enum(['median', 'weighted']),
  /** Extra answers `more_overlap` may add to one item before it goes to review instead. */
  maxExtraOverlap: z.number().int().min(0).max(10),
  /** The skip rule: what happens to a worker who skips check items far more than others. */
  goldSkipAction: z.enum(['none', 'warn', 'suspend']),
  /** How far her gold skip rate may exceed her regular skip rate (0–1) before the rule acts. */
  goldSkipMargin: z.number().min(0.05).max(1),
  /** Her quality page is updated once per this many answers, so it cannot time a check. */
  feedbackBatch: z.number().int().min(5).max(100),
  /** Rolling agreement with peers (leave-one-out score, 0–1) under which a worker is warned, and suspended; 0 turns it off. */
  peerWarnBelow: z.number().min(0).max(1),
  peerSuspendBelow: z.number().min(0).max(1),
  /** Credible peer scores before the peer rule acts; at most the 20 the rolling mean holds. */
  peerMin: z.number().int().min(3).max(20),
  /** Share of her last 20 checks swapped left/right at which a worker is suspended (at least 3 swaps); 0 turns it off. */
  swapSuspendShare: z.number().min(0).max(1),
  /** Active milliseconds per placed point under which an answer is discarded as not real; 0 turns it off. 5 s per point is slow work. */
  fastMsPerPoint: z.number().int().min(0).max(5000),
  /** Too-fast answers after which a worker is suspended; 0 never suspends. */
  fastSuspendAfter: z.number().int().min(0).max(100),
};

const qualitySettings = z.object({
  goldRate: projectSettings.goldRate,
  warnBelow: projectSettings.warnBelow,
  suspendBelow: projectSettings.suspendBelow,
  minGold: projectSettings.minGold,
  reviewRate: projectSettings.reviewRate,
  agreementThreshold: projectSettings.agreementThreshold,
  lowAgreementAction: projectSettings.lowAgreementAction,
  consensusMethod: projectSettings.consensusMethod,
  maxExtraOverlap: projectSettings.maxExtraOverlap,
  goldSkipAction: projectSettings.goldSkipAction,
  goldSkipMargin: projectSettings.goldSkipMargin,
  feedbackBatch: projectSettings.feedbackBatch,
  peerWarnBelow: projectSettings.peerWarnBelow,
  peerSuspendBelow: projectSettings.peerSuspendBelow,
  peerMin: projectSettings.peerMin,
  swapSuspendShare: projectSettings.swapSuspendShare,
  fastMsPerPoint: projectSettings.fastMsPerPoint,
  fastSuspendAfter: projectSettings.fastSuspendAfter,
});

export const projectBody = z
  .object({
    name: text(200),
    templateId: text(100).optional(),
    template: keypointTemplateSchema.optional(),
    clientOrgId: id.nullish(),
    overlap: projectSettings.overlap.default(1),
    leaseSeconds: projectSettings.leaseSeconds.default(1800),
    pieceRateFen: projectSettings.pieceRateFen.default(0),
    maxInstances: projectSettings.maxInstances.default(20),
    instructions: projectSettings.instructions.default(''),
  })
  .extend(qualitySettings.partial().shape)
  .refine((b) => (b.templateId ? 1 : 0) + (b.template ? 1 : 0) === 1, {
    message: 'give either templateId (a built-in template) or template (a custom one)',
  });

export const projectPatch = z
  .object({
    name: text(200),
    overlap: projectSettings.overlap,
    leaseSeconds: projectSettings.leaseSeconds,
    pieceRateFen: projectSettings.pieceRateFen,
    maxInstances: projectSettings.maxInstances,
    instructions: projectSettings.instructions,
    status: z.enum(['active', 'paused', 'archived']),
  })
  .extend(qualitySettings.shape)
  .partial();

export const pageQuery = z.object({
  after: cursor.default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const submitBody = z.object({
  /** Chosen by the client once per answer; a retry with the same id is stored once. */
  clientSubmissionId: rawText(100, 8),
  data: annotationDataSchema,
  /** Time the worker actively spent, measured by the client; capped at a day. */
  activeMs: z.number().int().min(0).max(86_400_000).default(0),
});

export const skipBody = z.object({
  reason: z.enum(SKIP_REASONS),
  comment: text(500, 0).optional(),
});

export const goldBody = z.object({
  data: annotationDataSchema,
  /**
   * Per instance, the indices of its points deliberately marked "not in the image": the
   * answer format writes them as visibility 0 like unplaced points, and a reference
   * must not leave any point undecided (core/quality/gold-reference.ts).
   */
  notInImage: z
    .array(z.array(z.number().int().min(0).max(511)).max(512))
    .max(MAX_INSTANCES)
    .optional(),
});

export const reviewBody = z.object({
  verdict: z.enum(['accept', 'reject']),
  reasonCode: z.enum(REJECT_REASONS).optional(),
  comment: text(1000, 0).optional(),
});

export const workerParam = z.object({ id: idString, workerId: idString });

export type ProjectBody = z.infer<typeof projectBody>;
export type ProjectPatch = z.infer<typeof projectPatch>;
export type SubmitBody = z.infer<typeof submitBody>;
