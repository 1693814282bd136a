/** One course for a learner: lessons, practice items with her best scores, her weak points, and the exam. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Link } from '../../app/router';
import { localized, useI18n, type MessageKey } from '../../i18n';
import { Cooldown } from './Cooldown';
import { Markdown } from './Markdown';
import { NextStepLink } from './NextStepLink';
import { pct, type LearnerCourse } from './types';
import './training.css';

export default function CoursePage({ courseId }: { courseId: number }) {
  const { t, locale } = useI18n();
  const [data, setData] = useState<LearnerCourse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<LearnerCourse>('GET', `/api/training/courses/${courseId}`).then(setData, (e) => setError(e.message));
  }, [courseId]);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  const { course, exam } = data;
  return (
    <section className="training" data-testid="course">
      <h2>{course.title}</h2>
      <p className="muted small">{localized(locale, course.templateName)}</p>
      <Markdown text={course.description} />
      <div className="row wrap">
        <NextStepLink courseId={course.id} next={data.next} />
        {data.certification?.status === 'active' && (
          <span className="badge">{t('training.my.certified', { level: data.certification.level })}</span>
        )}
      </div>
      {data.suspendedProjects.length > 0 && (
        <p className="error small">
          {t('training.my.suspended', { names: data.suspendedProjects.map((p) => p.name).join('、') })}
        </p>
      )}
      <div className="training-grid">
        <div className="card">
          <h3>{t('training.course.lessons')}</h3>
          <ol>
            {data.lessons.map((l, i) => (
              <li key={l.id}>
                <Link to={`/training/lessons/${l.id}`}>
                  <span data-testid={`lesson-link-${i + 1}`}>{l.title}</span>
                </Link>
              </li>
            ))}
          </ol>
        </div>
        <div className="card">
          <h3>{t('training.course.exam')}</h3>
          {exam.items === 0 ? (
            <p className="muted">{t('training.course.noExam')}</p>
          ) : (
            <>
              <p className="small">
                {t('training.course.examInfo', {
                  n: exam.items,
                  acc: pct(exam.passAccuracy),
                  comp: pct(exam.passCompleteness),
                  min: exam.cooldownMinutes,
                })}
              </p>
              {exam.last && (
                <p className="small">
                  {t('training.course.lastAttempt', {
                    status: t(`training.status.${exam.last.status}` as MessageKey),
                    acc: pct(exam.last.accuracy),
                  })}
                </p>
              )}
              {exam.cooldownLeftMs > 0 && <Cooldown leftMs={exam.cooldownLeftMs} />}
              <Link to={`/training/courses/${course.id}/exam`} className="button">
                <span data-testid="exam-start">
                  {exam.openAttemptId ? t('training.course.resumeExam') : t('training.course.startExam')}
                </span>
              </Link>
            </>
          )}
        </div>
      </div>
      <h3>{t('training.course.practice')}</h3>
      <ul className="thumbs">
        {data.practice.map((p, i) => (
          <li key={p.id}>
            <Link to={`/training/practice/${p.id}`}>
              <img src={p.imageUrl.replace(/\/image$/, '/preview')} alt="" loading="lazy" />
              <span data-testid={`practice-link-${i + 1}`}>
                {i + 1}.{' '}
                {p.best === null ? t('training.course.untried') : t('training.course.best', { score: pct(p.best) })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {data.weakPoints.length > 0 && (
        <div className="card" data-testid="weak-points">
          <h3>{t('training.course.weakPoints')}</h3>
          <ul>
            {data.weakPoints.map((w) => (
              <li key={w.index}>{t('training.error.offset', { name: localized(locale, w.name), px: w.meanPx })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
