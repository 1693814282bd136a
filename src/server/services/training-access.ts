/**
 * Who may see and change training. A course belongs to one organisation; outsiders
 * get "not found" like everywhere else. Its staff manage it; its workers (and
 * reviewers) see it once published.
 */
import type { TrainingCourseTable } from '../db/types.js';
import { forbidden, notFound } from '../errors.js';
import type { Actor } from './access.js';
import type { Selectable } from 'kysely';

export type Course = Selectable<TrainingCourseTable>;

const MANAGERS = ['admin', 'manager'];

export function isTrainingManager(actor: Actor): boolean {
  return MANAGERS.includes(actor.role);
}

/** May read the course: its staff always, its workers and reviewers once it is published. */
export function assertCanReadCourse(actor: Actor, course: Course | undefined): asserts course is Course {
  if (!course || course.org_id !== actor.org_id || actor.role === 'client') throw notFound('course');
  if (!isTrainingManager(actor) && course.status !== 'published') throw notFound('course');
}

/** May change the course, its lessons and items, and see everyone's results. */
export function assertCanManageCourse(actor: Actor, course: Course | undefined): asserts course is Course {
  if (!course || course.org_id !== actor.org_id || actor.role === 'client') throw notFound('course');
  if (!isTrainingManager(actor)) throw forbidden('role_not_allowed', 'Only managers change training courses.');
}

/** Practice and exams are for the people who do the work. */
export function assertCanTrain(actor: Actor, course: Course | undefined): asserts course is Course {
  assertCanReadCourse(actor, course);
  if (actor.role !== 'worker' && actor.role !== 'reviewer') {
    throw forbidden('role_not_allowed', 'Practice and exams are for workers and reviewers.');
  }
}
