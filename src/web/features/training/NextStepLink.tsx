import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import type { NextStep } from './types';

/** The one thing to do next in a course, as a button. */
export function NextStepLink({ courseId, next }: { courseId: number; next: NextStep }) {
  const { t } = useI18n();
  let to: string;
  let label: string;
  switch (next.kind) {
    case 'lesson':
      to = `/training/lessons/${next.lessonId}`;
      label = t('training.next.lesson');
      break;
    case 'practice':
      to = `/training/practice/${next.itemId}`;
      label = t('training.next.practice');
      break;
    case 'exam':
      to = `/training/courses/${courseId}/exam`;
      label = t('training.next.exam');
      break;
    case 'done':
      to = '/';
      label = t('training.next.done');
      break;
    default: {
      const never: never = next;
      return never;
    }
  }
  return (
    <Link to={to} className={next.kind === 'done' ? 'button' : 'button primary-link'}>
      {/* The router's Link takes no test id; the span carries it (a click on it follows the link). */}
      <span data-testid="next-step">{label}</span>
    </Link>
  );
}
