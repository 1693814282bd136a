/**
 * Request bodies and query strings of the HTTP API: the server validates with them,
 * the web client types its calls with them. Limits sit beside the fields they bound.
 */
import { z } from 'zod';
import { annotationDataSchema, MAX_INSTANCES } from '../annotation.js';
import { keypointTemplateSchema } from '../templates/template.js';
import { REJECT_REASONS, SKIP_REASONS } from './reasons.js';

export const idParam = z.object({ id: z.coerce.number().int().positive() });

export const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const tokenBody = z.object({ name: z.string().min(1).max(100) });

export const orgBody = z.object({ name: z.string().trim().min(1).max(200), kind: z.enum(['vendor', 'client']) });

export const userBody = z.object({
  orgId: z.number().int().positive().optional(),
  username: z.string().min(2).max(64),
  password: z.string().min(8).max(256),
  displayName: z.string().max(100).optional(),
  role: z.enum(['admin', 'manager', 'reviewer', 'worker', 'client']),
  locale: z.enum(['zh-CN', 'en']).optional(),
  county: z.string().max(100).nullish(),
  township: z.string().max(100).nullish(),
  village: z.string().max(100).nullish(),
  household: z.enum(['none', 'registered_poor', 'monitored']).optional(),
});

export const projectSettings = {
  /** Workers per item; more than 10 is never worth the pay. */
  overlap: z.number().int().min(1).max(10),
  /** A lease shorter than a minute cannot hold a 68-point face; a day is plenty. */
  leaseSeconds: z.number().int().min(60).max(86_400),
  /** Pay per accepted item in fen; at most 1,000 yuan. */
  pieceRateFen: z.number().int().min(0).max(100_000),
  maxInstances: z.number().int().min(1).max(MAX_INSTANCES),
  instructions: z.string().max(100_000),
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
});

export const projectBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    templateId: z.string().optional(),
    template: keypointTemplateSchema.optional(),
    clientOrgId: z.number().int().positive().nullish(),
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
    name: z.string().trim().min(1).max(200),
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
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const submitBody = z.object({
  /** Chosen by the client once per answer; a retry with the same id is stored once. */
  clientSubmissionId: z.string().min(8).max(100),
  data: annotationDataSchema,
  /** Time the worker actively spent, measured by the client; capped at a day. */
  activeMs: z.number().int().min(0).max(86_400_000).default(0),
});

export const skipBody = z.object({
  reason: z.enum(SKIP_REASONS),
  comment: z.string().max(500).optional(),
});

export const goldBody = z.object({ data: annotationDataSchema });

export const reviewBody = z.object({
  verdict: z.enum(['accept', 'reject']),
  reasonCode: z.enum(REJECT_REASONS).optional(),
  comment: z.string().max(1000).optional(),
});

export const workerParam = z.object({
  id: z.coerce.number().int().positive(),
  workerId: z.coerce.number().int().positive(),
});

export type ProjectBody = z.infer<typeof projectBody>;
export type ProjectPatch = z.infer<typeof projectPatch>;
export type SubmitBody = z.infer<typeof submitBody>;
