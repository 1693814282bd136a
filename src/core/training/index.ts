/**
 * Training and certification rules: practice feedback in pixels, exam scoring on the
 * gold scoring, pass marks, levels and cool-downs. Pure functions; no I/O.
 */
export {
  isComplete,
  pointErrors,
  type PointError,
  type PointErrorKind,
  type PointErrorReport,
} from './point-errors.js';
export {
  DEFAULT_MARKS,
  levelFor,
  MAX_LEVEL,
  scoreExam,
  scoreExamItem,
  type ExamItemScore,
  type ExamMarks,
  type ExamResult,
} from './exam-score.js';
export { cooldownLeft, EXAM_TIME_LIMIT_MS, retryAt, type FinishedAttempt } from './cooldown.js';
export { nextPracticeItem, PRACTICE_GOOD, weakestPoints, type PracticeItemState } from './next-step.js';
export { flipAnnotation } from './flip.js';
