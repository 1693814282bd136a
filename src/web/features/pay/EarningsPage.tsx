import { useEffect, useState } from 'react';
import { formatYuan } from '../../../core/pay/money';
import { api } from '../../api';
import { Link } from '../../app/router';
import { localized, useI18n, type MessageKey } from '../../i18n';
import type { Earnings, EarningsItem } from './pay-api';

/** Why an answer was turned down, in words: a reviewer's reason or the system's. */
export function reasonText(t: (k: MessageKey) => string, reason: string | null): string {
  if (reason === 'worker_suspended' || reason === 'low_accuracy') return t(`pay.reason.${reason}`);
  return t(`review.code.${reason ?? 'other'}` as MessageKey);
}

function StatusCell({ item }: { item: EarningsItem }) {
  const { t } = useI18n();
  if (item.status === 'rejected') {
    return (
      <span className="bad">
        {t('pay.status.rejected')}：{reasonText(t, item.reason)}
      </span>
    );
  }
  return (
    <span className={item.status === 'accepted' ? 'ok' : 'muted'} style={{ whiteSpace: 'nowrap' }}>
      {t(`pay.status.${item.status}`)}
    </span>
  );
}

/**
 * The worker's earnings (/me/earnings): today, this week and this month, what is owed,
 * every recent answer with its status, accuracy and amount, her certifications and
 * what to practise next. Days and weeks are counted in UTC, as on the server.
 */
export function EarningsPage() {
  const { t, locale } = useI18n();
  const [data, setData] = useState<Earnings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Earnings>('GET', '/api/me/earnings').then(setData, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  const figures: [string, MessageKey, number][] = [
    ['earnings-today', 'pay.today', data.todayFen],
    ['earnings-week', 'pay.week', data.weekFen],
    ['earnings-month', 'pay.month', data.monthFen],
    ['earnings-balance', 'pay.balance', data.balanceFen],
  ];
  return (
    <section>
      <p>
        <Link to="/">← {t('app.back')}</Link>
      </p>
      <h2>{t('pay.earningsTitle')}</h2>
      <div className="pay-figures">
        {figures.map(([id, label, fen]) => (
          <div className="card pay-figure" key={id}>
            <div className="muted small">{t(label)}</div>
            <strong data-testid={id}>{formatYuan(fen)}</strong>
          </div>
        ))}
      </div>
      <div className="card">
        <h3>{t('pay.certification')}</h3>
        {data.certifications === null ? (
          <p className="muted">{t('pay.noTraining')}</p>
        ) : data.certifications.length === 0 ? (
          <p className="muted">
            {t('pay.notCertified')} <Link to="/me/training">{t('pay.goTraining')}</Link>
          </p>
        ) : (
          <ul data-testid="earnings-certifications">
            {data.certifications.map((c) => (
              <li key={c.templateId}>
                {t('pay.certifiedAs', {
                  template: c.templateName ? localized(locale, c.templateName) : c.templateId,
                  level: c.level,
                  date: c.certifiedAt.slice(0, 10),
                })}
              </li>
            ))}
          </ul>
        )}
        {data.practise && (data.practise.points.length > 0 || data.practise.problems.length > 0) && (
          <div data-testid="earnings-practise">
            <h4>{t('pay.practise', { template: localized(locale, data.practise.templateName) })}</h4>
            <ul className="small">
              {data.practise.points.map((p) => (
                <li key={p.index}>{t('pay.practisePoint', { n: p.index + 1, name: localized(locale, p.name) })}</li>
              ))}
              {data.practise.problems.map((c) => (
                <li key={c}>{t(`myq.problem.${c}` as MessageKey)}</li>
              ))}
            </ul>
            <Link to="/me/training">{t('pay.goTraining')}</Link>
          </div>
        )}
      </div>
      <div className="card">
        <h3>{t('pay.history')}</h3>
        {data.history.length === 0 ? (
          <p className="muted">{t('pay.noHistory')}</p>
        ) : (
          <table className="table" data-testid="earnings-history">
            <thead>
              <tr>
                <th>{t('pay.submittedAt')}</th>
                <th>{t('pay.project')}</th>
                <th>{t('pay.statusCol')}</th>
                <th className="num">{t('pay.accuracy')}</th>
                <th className="num">{t('pay.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((h) => (
                <tr key={h.annotationId} data-testid={`earning-row-${h.annotationId}`} data-status={h.status}>
                  <td>{h.submittedAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>{h.project.name}</td>
                  <td>
                    <StatusCell item={h} />
                  </td>
                  <td className="num">{h.accuracy === null ? '—' : `${Math.round(h.accuracy * 100)}%`}</td>
                  <td className="num">{formatYuan(h.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
