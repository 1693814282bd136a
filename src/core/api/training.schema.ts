/**
 * Request bodies of the training API (courses, lessons, practice and exam items,
 * answers, certifications): the server validates with them, the web client types its
 * calls with them.
 */
import { z } from 'zod';
import { annotationDataSchema, MAX_INSTANCES } from '../annotation.js';
import { keypointTemplateSchema } from '../templates/template.js';
import { idString, MAX_ID, text } from './primitives.js';

const share = z.number().min(0).max(1);

export const courseSettings = {
  title: text(200),
  /** Shown on the course page; markdown. */
  description: text(20_000, 0),
  status: z.enum(['draft', 'published']),
  /** Exam pass marks: mean item score, and share of items answered with every point. */
  passAccuracy: share,
  passCompleteness: share,
  /** Accuracy for level 2 and level 3 certification. */
  level2Accuracy: share,
  level3Accuracy: share,
  /** Wait after a failed exam; a week at most, so nobody is locked out for good. */
  cooldownMinutes: z.number().int().min(0).max(10_080),
};

export const courseBody = z
  .object({
    templateId: z.string().max(100).optional(),
    template: keypointTemplateSchema.optional(),
    title: courseSettings.title,
    description: courseSettings.description.default(''),
    status: courseSettings.status.default('draft'),
  })
  .extend(
    z
      .object({
        passAccuracy: courseSettings.passAccuracy,
        passCompleteness: courseSettings.passCompleteness,
        level2Accuracy: courseSettings.level2Accuracy,
        level3Accuracy: courseSettings.level3Accuracy,
        cooldownMinutes: courseSettings.cooldownMinutes,
      })
      .partial().shape,
  )
  .refine((b) => (b.templateId ? 1 : 0) + (b.template ? 1 : 0) === 1, {
    message: 'give either templateId (a built-in template) or template (a custom one)',
  });

export const coursePatch = z.object(courseSettings).partial();

export const lessonBody = z.object({
  title: text(200),
  /** Markdown; long lessons belong split in several. */
  body: text(100_000, 0),
});

export const lessonPatch = lessonBody.extend({ position: z.number().int().min(1).max(10_000) }).partial();

export const trainingItemKind = z.enum(['practice', 'exam']);

/** A reference as the gold editor saves it: the answer plus the points deliberately not in the image. */
export const referenceBody = z.object({
  data: annotationDataSchema,
  notInImage: z
    .array(z.array(z.number().int().min(0).max(511)).max(512))
    .max(MAX_INSTANCES)
    .optional(),
});

export const trainingAnswerBody = z.object({ data: annotationDataSchema });

export const certificationBody = z.object({
  userId: z.number().int().min(1).max(MAX_ID),
  templateId: z.string().min(1).max(100),
  level: z.number().int().min(1).max(3).default(1),
});

export const certificationRevokeBody = certificationBody.pick({ userId: true, templateId: true });

export const attemptItemParam = z.object({ id: idString, itemId: idString });

export const assetParam = z.object({ id: idString, sha: z.string().regex(/^[0-9a-f]{64}$/) });

export const certificationQuery = z.object({ userId: idString.optional(), templateId: z.string().max(100).optional() });

export type CourseBody = z.infer<typeof courseBody>;
export type CoursePatch = z.infer<typeof coursePatch>;
export type LessonBody = z.infer<typeof lessonBody>;
export type LessonPatch = z.infer<typeof lessonPatch>;
export type ReferenceBody = z.infer<typeof referenceBody>;
