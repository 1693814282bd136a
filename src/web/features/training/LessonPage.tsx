/** One lesson: markdown with images, and the way on to the next lesson or to practice. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { Markdown } from './Markdown';
import type { LearnerCourse, LessonView } from './types';
import './training.css';

export default function LessonPage({ lessonId }: { lessonId: number }) {
  const { t } = useI18n();
  const [lesson, setLesson] = useState<LessonView | null>(null);
  const [firstPractice, setFirstPractice] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setLesson(null);
    api<LessonView>('GET', `/api/training/lessons/${lessonId}`).then(
      (l) => {
        setLesson(l);
        window.scrollTo(0, 0);
        if (l.nextId === null) {
          api<LearnerCourse>('GET', `/api/training/courses/${l.courseId}`).then(
            (c) => setFirstPractice(c.practice[0]?.id ?? null),
            () => {},
          );
        }
      },
      (e) => setError(e.message),
    );
  }, [lessonId]);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!lesson) return <p className="muted">{t('app.loading')}</p>;
  return (
    <section className="training lesson">
      <p className="muted small">
        <Link to={`/training/courses/${lesson.courseId}`}>{lesson.courseTitle}</Link> ·{' '}
        {t('training.lesson.of', { index: lesson.index, total: lesson.total })}
      </p>
      <Markdown text={lesson.body} testId="lesson" />
      <nav className="row wrap lesson-nav">
        {lesson.previousId !== null && (
          <Link to={`/training/lessons/${lesson.previousId}`} className="button">
            ← {t('training.lesson.previous')}
          </Link>
        )}
        <span className="spacer" />
        {lesson.nextId !== null ? (
          <Link to={`/training/lessons/${lesson.nextId}`} className="button primary-link">
            <span data-testid="next-lesson">{t('training.lesson.next')} →</span>
          </Link>
        ) : firstPractice !== null ? (
          <Link to={`/training/practice/${firstPractice}`} className="button primary-link">
            <span data-testid="next-lesson">{t('training.lesson.toPractice')} →</span>
          </Link>
        ) : (
          <Link to={`/training/courses/${lesson.courseId}`} className="button">
            <span data-testid="next-lesson">{t('training.lesson.backToCourse')}</span>
          </Link>
        )}
      </nav>
    </section>
  );
}
