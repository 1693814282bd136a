/**
 * The training pages' routes. Each page loads on demand, so the markdown renderer and
 * the feedback drawing stay out of the worker app's first load.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import type { User } from '../../api';
import { match } from '../../app/router';

const MyTrainingPage = lazy(() => import('./MyTrainingPage'));
const CoursePage = lazy(() => import('./CoursePage'));
const LessonPage = lazy(() => import('./LessonPage'));
const PracticePage = lazy(() => import('./PracticePage'));
const ExamPage = lazy(() => import('./ExamPage'));
const TrainingAdminPage = lazy(() => import('./TrainingAdminPage'));
const CourseAdminPage = lazy(() => import('./CourseAdminPage'));
const ReferenceEditorPage = lazy(() => import('./ReferenceEditorPage'));

export interface TrainingRoute {
  node: ReactNode;
  /** Pages with the editor take the whole window, like the workspace. */
  fullScreen: boolean;
}

const wrap = (node: ReactNode, fullScreen = false): TrainingRoute => ({
  node: <Suspense fallback={null}>{node}</Suspense>,
  fullScreen,
});

/** The training page for `path`, or null when the path is not a training page for this user. */
export function trainingRoute(path: string, user: User): TrainingRoute | null {
  const learner = user.role === 'worker' || user.role === 'reviewer';
  const manager = user.role === 'admin' || user.role === 'manager';
  let m;
  if (learner && match('/me/training', path)) return wrap(<MyTrainingPage />);
  if (manager && match('/training', path)) return wrap(<TrainingAdminPage />);
  if (manager && (m = match('/training/courses/:id/manage', path)))
    return wrap(<CourseAdminPage courseId={Number(m.id)} />);
  if (manager && (m = match('/training/items/:id/reference', path)))
    return wrap(<ReferenceEditorPage itemId={Number(m.id)} />, true);
  if ((m = match('/training/courses/:id', path))) return wrap(<CoursePage courseId={Number(m.id)} />);
  if ((m = match('/training/lessons/:id', path))) return wrap(<LessonPage lessonId={Number(m.id)} />);
  if (learner && (m = match('/training/practice/:id', path))) return wrap(<PracticePage itemId={Number(m.id)} />, true);
  if (learner && (m = match('/training/courses/:id/exam', path)))
    return wrap(<ExamPage courseId={Number(m.id)} />, true);
  return null;
}

/** Where the header's training link goes. */
export function trainingHome(user: User): string | null {
  if (user.role === 'worker' || user.role === 'reviewer') return '/me/training';
  if (user.role === 'admin' || user.role === 'manager') return '/training';
  return null;
}
