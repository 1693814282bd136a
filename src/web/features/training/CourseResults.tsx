/** Everyone's exam results in a course, for its managers. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { pct, type ResultsView } from './types';

export function CourseResults({ courseId }: { courseId: number }) {
  const { t } = useI18n();
  const [data, setData] = useState<ResultsView | null>(null);
  useEffect(() => {
    api<ResultsView>('GET', `/api/training/courses/${courseId}/results`).then(setData, () => {});
  }, [courseId]);
  if (!data) return null;
  return (
    <div className="card">
      <h3>{t('training.admin.results')}</h3>
      {data.workers.length === 0 ? (
        <p className="muted">{t('training.admin.noResults')}</p>
      ) : (
        <table className="table" data-testid="training-results">
          <thead>
            <tr>
              <th>{t('training.admin.worker')}</th>
              <th>{t('training.admin.attempts')}</th>
              <th>{t('training.admin.last')}</th>
              <th>{t('training.admin.practiceCol')}</th>
              <th>{t('training.admin.certification')}</th>
            </tr>
          </thead>
          <tbody>
            {data.workers.map((w) => {
              const last = w.attempts[0];
              return (
                <tr key={w.userId} data-worker={w.username} className={last?.status === 'failed' ? 'warned' : ''}>
                  <td>
                    {w.name} <span className="muted small">{w.username}</span>
                  </td>
                  <td>{w.attempts.length}</td>
                  <td>
                    {last
                      ? `${t(`training.status.${last.status}` as MessageKey)} · ${pct(last.accuracy)}% / ${pct(last.completeness)}%`
                      : '—'}
                  </td>
                  <td>
                    {w.practice.answers} · {pct(w.practice.meanScore)}%
                  </td>
                  <td>
                    {w.certification?.status === 'active'
                      ? t('training.my.certified', { level: w.certification.level })
                      : w.certification
                        ? t('training.my.revoked')
                        : t('training.my.notCertified')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
