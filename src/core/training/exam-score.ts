/**
 * Exam rules: each exam item is scored with the gold scoring (mean OKS over the
 * reference's faces), the exam's accuracy is the mean item score with unanswered
 * items counting 0, its completeness the share of items answered with every point,
 * and it passes when both reach their marks. The level follows the accuracy.
 */
import type { AnnotationData } from '../annotation.js';
import { scoreGold } from '../quality/gold-score.js';
import type { KeypointTemplate } from '../templates/template.js';
import { isComplete } from './point-errors.js';

export interface ExamMarks {
  /** Accuracy (mean item score, 0–1) needed to pass. */
  passAccuracy: number;
  /** Share of items (0–1) that must be answered with every point. */
  passCompleteness: number;
  /** Accuracy for level 2 and for level 3; below them a pass is level 1. */
  level2Accuracy: number;
  level3Accuracy: number;
}

/** What a new course starts with: strict enough for paid work, reachable with care. */
export const DEFAULT_MARKS: ExamMarks = {
  passAccuracy: 0.75,
  passCompleteness: 0.9,
  level2Accuracy: 0.85,
  level3Accuracy: 0.92,
};

export const MAX_LEVEL = 3;

export interface ExamItemScore {
  /** Gold score of the answer, 0–1. */
  score: number;
  /** Every point the reference labels was placed. */
  complete: boolean;
}

export interface ExamResult {
  accuracy: number;
  completeness: number;
  passed: boolean;
  /** 1–3 when passed, null when not. */
  level: number | null;
}

/**
 * Scores one exam answer against its reference with the gold scoring.
 *
 * @example scoreExamItem(answer, reference, face68) // → { score: 0.87, complete: true }
 */
export function scoreExamItem(
  answer: AnnotationData,
  reference: AnnotationData,
  template: KeypointTemplate,
): ExamItemScore {
  return { score: scoreGold(answer, reference, template).score, complete: isComplete(answer, reference, template) };
}

/**
 * The level a passing accuracy earns.
 *
 * @example levelFor(0.9, DEFAULT_MARKS) // → 2
 */
export function levelFor(accuracy: number, marks: Pick<ExamMarks, 'level2Accuracy' | 'level3Accuracy'>): number {
  if (accuracy >= marks.level3Accuracy) return 3;
  if (accuracy >= marks.level2Accuracy) return 2;
  return 1;
}

/**
 * The whole exam from its items' scores, one entry per exam item in order; `null` is
 * an item left unanswered (score 0, incomplete). An exam without items never passes.
 *
 * @example scoreExam([{ score: 0.9, complete: true }, null], DEFAULT_MARKS)
 * // → { accuracy: 0.45, completeness: 0.5, passed: false, level: null }
 */
export function scoreExam(items: readonly (ExamItemScore | null)[], marks: ExamMarks): ExamResult {
  if (items.length === 0) return { accuracy: 0, completeness: 0, passed: false, level: null };
  let sum = 0;
  let complete = 0;
  for (const it of items) {
    if (!it) continue;
    sum += Math.min(1, Math.max(0, it.score));
    if (it.complete) complete++;
  }
  const accuracy = sum / items.length;
  const completeness = complete / items.length;
  const passed = accuracy >= marks.passAccuracy && completeness >= marks.passCompleteness;
  return { accuracy, completeness, passed, level: passed ? levelFor(accuracy, marks) : null };
}
