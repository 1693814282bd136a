import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import type { NextStep } from './types';

/** The one thing to do next in a course, as a button. */
export function NextStepLink({ courseId, next }: { courseId: number; next: NextStep }) {
  const { t } = useI18n();
  switch (next.kind) {
    case 'lesson':
      return (
        <Link to={`/training/lessons/${next.lessonId}`} className="button primary-link" data-testid="next-step">
          {t('training.next.lesson')}
        </Link>
      );
    case 'practice':
      return (
        <Link to={`/training/practice/${next.itemId}`} className="button primary-link" data-testid="next-step">
          {t('training.next.practice')}
        </Link>
      );
    case 'exam':
      return (
        <Link to={`/training/courses/${courseId}/exam`} className="button primary-link" data-testid="next-step">
          {t('training.next.exam')}
        </Link>
      );
    case 'done':
      return (
        <Link to="/" className="button" data-testid="next-step">
          {t('training.next.done')}
        </Link>
      );
    default: {
      const never: never = next;
      return never;
    }
  }
}
