/** Response shapes of the training API, as the pages use them. */
import type { AnnotationData } from '../../../core/annotation';
import type { KeypointTemplate, Localized } from '../../../core/templates/template';

export interface ExamMarksView {
  passAccuracy: number;
  passCompleteness: number;
  level2Accuracy: number;
  level3Accuracy: number;
  cooldownMinutes: number;
}

export interface CourseView {
  id: number;
  templateId: string;
  templateName: Localized;
  title: string;
  description: string;
  status: 'draft' | 'published';
  exam: ExamMarksView;
  counts: { practice: number; exam: number; lessons: number } | null;
}

export interface CertificationView {
  templateId: string;
  level: number;
  status: 'active' | 'revoked';
  certifiedAt: string;
  byExam: boolean;
}

export interface AttemptSummary {
  id: number;
  status: 'open' | 'passed' | 'failed';
  accuracy: number | null;
  completeness: number | null;
  level: number | null;
  finishedAt: string | null;
}

export interface ExamState {
  items: number;
  passAccuracy: number;
  passCompleteness: number;
  cooldownMinutes: number;
  openAttemptId: number | null;
  last: AttemptSummary | null;
  retryAt: string | null;
  cooldownLeftMs: number;
}

export type NextStep =
  { kind: 'lesson'; lessonId: number } | { kind: 'practice'; itemId: number } | { kind: 'exam' } | { kind: 'done' };

export interface MyTraining {
  courses: (Omit<CourseView, 'exam'> & {
    certification: CertificationView | null;
    exam: ExamState;
    practice: { total: number; done: number };
    lessons: number;
    needed: boolean;
    suspendedProjects: { id: number; name: string }[];
    next: NextStep;
  })[];
  projects: { id: number; name: string; templateId: string; certified: boolean; suspended: boolean }[];
  certifications: CertificationView[];
}

export interface PracticeItemView {
  id: number;
  width: number;
  height: number;
  imageUrl: string;
  best: number | null;
  tries: number;
}

export interface LearnerCourse {
  course: CourseView;
  template: KeypointTemplate;
  lessons: { id: number; position: number; title: string }[];
  practice: PracticeItemView[];
  exam: ExamState;
  certification: CertificationView | null;
  suspendedProjects: { id: number; name: string }[];
  weakPoints: { index: number; meanPx: number; n: number; id: string; name: Localized }[];
  next: NextStep;
}

export interface LessonView {
  id: number;
  courseId: number;
  title: string;
  body: string;
  courseTitle: string;
  index: number;
  total: number;
  previousId: number | null;
  nextId: number | null;
}

export interface PracticeItemDetail {
  id: number;
  courseId: number;
  width: number;
  height: number;
  imageUrl: string;
  index: number;
  total: number;
  nextId: number | null;
  template: KeypointTemplate;
  courseTitle: string;
  modelMade: boolean;
}

export interface PointErrorView {
  instance: number;
  index: number;
  id: string;
  name: Localized;
  kind: 'offset' | 'missed' | 'extra';
  px: number | null;
  answer: [number, number] | null;
  reference: [number, number] | null;
}

export interface PracticeFeedback {
  itemId: number;
  score: number;
  complete: boolean;
  reference: AnnotationData;
  errors: PointErrorView[];
  meanPx: number | null;
  missedInstances: number;
  extraInstances: number;
}

export interface ExamAttemptView {
  id: number;
  courseId: number;
  status: 'open';
  expiresAt: string;
  template: KeypointTemplate;
  passAccuracy: number;
  passCompleteness: number;
  items: { id: number; position: number; width: number; height: number; imageUrl: string; answered: boolean }[];
}

export interface ExamResultView {
  id: number;
  courseId: number;
  status: 'passed' | 'failed';
  passed: boolean;
  accuracy: number;
  completeness: number;
  passAccuracy: number;
  passCompleteness: number;
  level: number | null;
  templateId: string;
  retryAt: string | null;
  cooldownLeftMs: number;
  items: { position: number; answered: boolean; score: number; complete: boolean }[];
  liftedSuspensions?: number[];
}

export interface ManagedItem {
  id: number;
  kind: 'practice' | 'exam';
  position: number;
  name: string;
  width: number;
  height: number;
  imageUrl: string;
  source: 'editor' | 'model';
  reference: AnnotationData | null;
}

export interface ManageView {
  course: CourseView;
  template: KeypointTemplate;
  lessons: { id: number; position: number; title: string; body: string }[];
  items: ManagedItem[];
  assets: { sha256: string; name: string; url: string }[];
}

export interface ResultsView {
  workers: {
    userId: number;
    username: string;
    name: string;
    attempts: (AttemptSummary & { startedAt: string })[];
    practice: { answers: number; meanScore: number | null };
    certification: { level: number; status: 'active' | 'revoked'; byExam: boolean } | null;
  }[];
}

/** 0.8734 → "87". */
export const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : String(Math.round(x * 100));
