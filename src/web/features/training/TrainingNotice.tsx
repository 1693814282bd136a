/**
 * On the worker's home: whether she may work on a project yet, and the way to the
 * training when she may not. Small on purpose: it loads with the home page.
 */
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import type { MyTraining } from './types';

export function TrainingNotice({ training, projectId }: { training: MyTraining | null; projectId: number }) {
  const { t } = useI18n();
  const p = training?.projects.find((x) => x.id === projectId);
  if (!training || !p || (p.certified && !p.suspended)) return null;
  const course = training.courses.find((c) => c.templateId === p.templateId);
  return (
    <div className="training-notice" data-testid={`needs-training-${projectId}`}>
      <p>{course ? t('training.home.notCertified', { course: course.title }) : t('training.home.noCourse')}</p>
      {course && (
        <Link to={`/training/courses/${course.id}`} className="button">
          {t('training.home.goTraining')}
        </Link>
      )}
    </div>
  );
}
