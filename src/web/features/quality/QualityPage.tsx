import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Project } from '../../api';
import { Link } from '../../app/router';
import { localized, useI18n, type MessageKey } from '../../i18n';
import { Chart } from './Chart';
import { RulesCard } from './RulesCard';

interface Stats {
  workers: {
    id: number;
    username: string;
    name: string;
    status: 'active' | 'warned' | 'suspended';
    accuracy: number | null;
    checked: number;
    reason: string | null;
  }[];
  trend: { workerId: number; day: string; score: number; n: number }[];
  pointError: { index: number; id: string; name: { zh: string; en: string }; error: number | null }[];
  agreement: { bins: { from: number; to: number; items: number }[]; items: number };
}

export function QualityPage({ projectId }: { projectId: number }) {
  const { t, locale } = useI18n();
  const [project, setProject] = useState<Project | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setError(e.message));
    api<Stats>('GET', `/api/projects/${projectId}/quality`).then(setStats, (e) => setError(e.message));
  }, [projectId]);
  useEffect(load, [load]);

  const trendOption = useMemo(() => {
    if (!stats) return null;
    const days = [...new Set(stats.trend.map((d) => d.day))].sort();
    const names = new Map(stats.workers.map((w) => [w.id, w.name]));
    const series = [...new Set(stats.trend.map((d) => d.workerId))].map((wid) => ({
      name: names.get(wid) ?? String(wid),
      type: 'line',
      data: days.map((day) => {
        const p = stats.trend.find((d) => d.workerId === wid && d.day === day);
        return p ? Math.round(p.score * 100) / 100 : null;
      }),
      connectNulls: true,
      showSymbol: true,
      symbolSize: 8,
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll' },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', min: 0, max: 1 },
      series,
    };
  }, [stats]);

  const pointOption = useMemo(() => {
    if (!stats) return null;
    const rows = stats.pointError
      .filter((p) => p.error !== null)
      .sort((a, b) => b.error! - a.error!)
      .slice(0, 15)
      .reverse();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 130 },
      xAxis: { type: 'value', name: 'NME' },
      yAxis: { type: 'category', data: rows.map((p) => `${p.index + 1} ${localized(locale, p.name)}`) },
      series: [
        { type: 'bar', data: rows.map((p) => Math.round(p.error! * 1000) / 1000), itemStyle: { color: '#d9480f' } },
      ],
    };
  }, [stats, locale]);

  const agreementOption = useMemo(() => {
    if (!stats) return null;
    return {
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: stats.agreement.bins.map((b) => `${b.from.toFixed(1)}–${b.to.toFixed(1)}`) },
      yAxis: { type: 'value', name: t('quality.items') },
      series: [{ type: 'bar', data: stats.agreement.bins.map((b) => b.items), itemStyle: { color: '#127a5a' } }],
    };
  }, [stats, t]);

  const reinstate = async (workerId: number) => {
    await api('POST', `/api/projects/${projectId}/workers/${workerId}/reinstate`);
    load();
  };

  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!project || !stats) return <p className="muted">{t('app.loading')}</p>;
  return (
    <section>
      <p>
        <Link to={`/projects/${projectId}`}>← {project.name}</Link>
      </p>
      <h2>{t('quality.title')}</h2>
      <div className="card">
        <h3>{t('quality.workers')}</h3>
        {stats.workers.length === 0 ? (
          <p className="muted">{t('quality.noScores')}</p>
        ) : (
          <table className="table" data-testid="worker-table">
            <thead>
              <tr>
                <th>{t('quality.worker')}</th>
                <th>{t('quality.accuracy')}</th>
                <th>{t('quality.checked')}</th>
                <th>{t('quality.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {stats.workers.map((w) => (
                <tr key={w.id} className={w.status}>
                  <td>{w.name}</td>
                  <td>{w.accuracy === null ? '—' : `${Math.round(w.accuracy * 100)}%`}</td>
                  <td>{w.checked}</td>
                  <td>{t(`quality.status.${w.status}` as MessageKey)}</td>
                  <td>
                    {w.status === 'suspended' && (
                      <button onClick={() => void reinstate(w.id)} data-testid={`reinstate-${w.id}`}>
                        {t('quality.reinstate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <RulesCard projectId={projectId} />
      <div className="chart-grid">
        <div className="card">
          <h3>{t('quality.trend')}</h3>
          {trendOption && <Chart option={trendOption} testId="chart-trend" />}
        </div>
        <div className="card">
          <h3>{t('quality.hardestPoints')}</h3>
          {pointOption && <Chart option={pointOption} height={340} testId="chart-points" />}
        </div>
        <div className="card">
          <h3>{t('quality.agreement', { n: stats.agreement.items })}</h3>
          {agreementOption && <Chart option={agreementOption} testId="chart-agreement" />}
        </div>
      </div>
    </section>
  );
}
