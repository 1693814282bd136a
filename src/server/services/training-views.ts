/** Training rows as the API shows them: names in camelCase, times as ISO strings, JSON parsed. */
import type { Selectable } from 'kysely';
import type { AnnotationData } from '../../core/annotation.js';
import type { KeypointTemplate } from '../../core/templates/template.js';
import type { TrainingAttemptTable, TrainingItemTable, TrainingLessonTable } from '../db/types.js';
import type { Course } from './training-access.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Parsed course templates, by template text: 68 points parsed per request add up. */
const templates = new Map<string, KeypointTemplate>();
export function courseTemplate(course: Pick<Course, 'template'>): KeypointTemplate {
  let t = templates.get(course.template);
  if (!t) {
    if (templates.size > 100) templates.clear();
    t = JSON.parse(course.template) as KeypointTemplate;
    templates.set(course.template, t);
  }
  return t;
}

export function courseView(c: Course, counts?: { practice: number; exam: number; lessons: number }) {
  const template = courseTemplate(c);
  return {
    id: c.id,
    templateId: c.template_id,
    templateName: template.name,
    title: c.title,
    description: c.description,
    status: c.status,
    exam: {
      passAccuracy: c.pass_accuracy,
      passCompleteness: c.pass_completeness,
      level2Accuracy: c.level2_accuracy,
      level3Accuracy: c.level3_accuracy,
      cooldownMinutes: c.cooldown_minutes,
    },
    counts: counts ?? null,
    updatedAt: iso(c.updated_at),
  };
}

export function lessonView(l: Selectable<TrainingLessonTable>) {
  return { id: l.id, courseId: l.course_id, position: l.position, title: l.title, body: l.body };
}

/** An item as anyone may see it: never its reference. */
export function itemView(i: Selectable<TrainingItemTable>) {
  return {
    id: i.id,
    courseId: i.course_id,
    kind: i.kind,
    position: i.position,
    name: i.name,
    width: i.width,
    height: i.height,
    imageUrl: `/api/training/items/${i.id}/image`,
  };
}

/** An item for the course's managers, reference included. */
export function managedItemView(i: Selectable<TrainingItemTable>) {
  return {
    ...itemView(i),
    source: i.source,
    reference: i.reference === null ? null : (JSON.parse(i.reference) as AnnotationData),
  };
}

export function attemptSummary(a: Selectable<TrainingAttemptTable>) {
  return {
    id: a.id,
    courseId: a.course_id,
    status: a.status,
    startedAt: iso(a.started_at),
    finishedAt: iso(a.finished_at),
    accuracy: a.accuracy,
    completeness: a.completeness,
    level: a.level,
  };
}

export { iso };
