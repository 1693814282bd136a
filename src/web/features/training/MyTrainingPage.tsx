/** "My training": each course with her certification, progress and next step, and which projects she may work on. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Link } from '../../app/router';
import { localized, useI18n } from '../../i18n';
import { NextStepLink } from './NextStepLink';
import type { MyTraining } from './types';
import './training.css';

export default function MyTrainingPage() {
  const { t, locale } = useI18n();
  const [data, setData] = useState<MyTraining | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<MyTraining>('GET', '/api/training/me').then(setData, (e) => setError(e.message));
  }, []);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  return (
    <section className="training" data-testid="my-training">
      <h2>{t('training.my.title')}</h2>
      {data.courses.length === 0 && <p className="muted">{t('training.my.empty')}</p>}
      <ul className="project-list">
        {data.courses.map((c) => (
          <li key={c.id} className="card" data-testid={`course-${c.id}`}>
            <h3>{c.title}</h3>
            <p className="muted small">
              {localized(locale, c.templateName)} · {t('training.my.lessons', { n: c.lessons })} ·{' '}
              {t('training.my.practiceDone', { done: c.practice.done, total: c.practice.total })}
            </p>
            <p data-testid={`certification-${c.templateId}`}>
              {c.certification?.status === 'active' ? (
                <span className="badge">{t('training.my.certified', { level: c.certification.level })}</span>
              ) : c.certification?.status === 'revoked' ? (
                <span className="badge warn">{t('training.my.revoked')}</span>
              ) : (
                <span className="badge warn">{t('training.my.notCertified')}</span>
              )}{' '}
              {c.needed && c.certification?.status !== 'active' && (
                <span className="small muted">{t('training.my.needed')}</span>
              )}
            </p>
            {c.suspendedProjects.length > 0 && (
              <p className="error small">
                {t('training.my.suspended', { names: c.suspendedProjects.map((p) => p.name).join('、') })}
              </p>
            )}
            <div className="row wrap">
              <NextStepLink courseId={c.id} next={c.next} />
              <Link to={`/training/courses/${c.id}`} className="button">
                {t('training.open')}
              </Link>
            </div>
          </li>
        ))}
      </ul>
      {data.projects.length > 0 && (
        <>
          <h3>{t('training.my.projects')}</h3>
          <table className="table">
            <tbody>
              {data.projects.map((p) => (
                <tr key={p.id} className={p.suspended ? 'suspended' : p.certified ? '' : 'warned'}>
                  <td>{p.name}</td>
                  <td>
                    {p.suspended
                      ? t('training.my.projectSuspended')
                      : p.certified
                        ? t('training.my.projectOk')
                        : t('training.my.projectNeedsCert')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
