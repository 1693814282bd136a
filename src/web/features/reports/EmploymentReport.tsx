import { useEffect, useMemo, useState } from 'react';
import type { EmploymentReport as Report } from '../../../core/report/employment-types';
import { formatYuan } from '../../../core/pay/money';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { Chart } from '../quality/Chart';
import { householdOption, trendOption } from './report-charts';
import { AreaTable, CohortTable, HouseholdTable, rate, TrendTable, WorkerTable } from './ReportTables';

/** The current month in UTC, as the server counts months. */
const currentMonth = () => new Date().toISOString().slice(0, 7);

/**
 * The employment report for managers and admins: a month's figures, the charts by
 * household status and by month, every table of the `.xlsx` file, and its download.
 */
export function EmploymentReport() {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState(currentMonth);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    api<Report>('GET', `/api/reports/employment?month=${encodeURIComponent(month)}`).then(
      (r) => live && setReport(r),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [month]);

  const household = useMemo(() => (report ? householdOption(report, locale, t) : null), [report, locale, t]);
  const trend = useMemo(() => (report ? trendOption(report, t) : null), [report, t]);

  return (
    <section>
      <h2>{t('report.title')}</h2>
      <div className="row" style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <label>
          {t('report.month')}{' '}
          <input
            type="month"
            value={month}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
            data-testid="report-month"
          />
        </label>
        <a
          className="button"
          href={`/api/reports/employment.xlsx?month=${encodeURIComponent(month)}&lang=${locale}`}
          download
          data-testid="report-download"
        >
          {t('report.download')}
        </a>
      </div>
      {error && <p className="error">{t('error.generic', { message: error })}</p>}
      {!report && !error && <p className="muted">{t('app.loading')}</p>}
      {report && (
        <>
          <SummaryCards report={report} />
          {report.summary.workers === 0 && <p className="muted">{t('report.empty')}</p>}
          <div className="chart-grid">
            <div className="card">
              <h3>{t('report.byHousehold')}</h3>
              {household && <Chart option={household} testId="report-chart-household" />}
            </div>
            <div className="card">
              <h3>{t('report.trend')}</h3>
              {trend && <Chart option={trend} testId="report-chart-trend" />}
            </div>
          </div>
          <ReportCard title="report.byHousehold">
            <HouseholdTable report={report} />
          </ReportCard>
          <ReportCard title="report.byArea">
            <AreaTable report={report} />
          </ReportCard>
          <ReportCard title="report.trend">
            <TrendTable report={report} />
          </ReportCard>
          <ReportCard title="report.perWorker">
            <WorkerTable report={report} />
          </ReportCard>
          <ReportCard title="report.cohorts">
            <CohortTable report={report} />
          </ReportCard>
          <p className="muted">{t('report.privacy', { min: report.minGroupSize })}</p>
        </>
      )}
    </section>
  );
}

function ReportCard({ title, children }: { title: MessageKey; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="card report-card" style={{ marginTop: 14, overflowX: 'auto' }}>
      <h3>{t(title)}</h3>
      {children}
    </div>
  );
}

function SummaryCards({ report }: { report: Report }) {
  const { t } = useI18n();
  const s = report.summary;
  const r3 = report.retention.after3;
  const r6 = report.retention.after6;
  const cards: [MessageKey, string, string?, string?][] = [
    ['report.workers', String(s.workers), undefined, 'report-total-workers'],
    ['report.newWorkers', String(s.newWorkers)],
    ['report.activeWorkers', String(s.activeWorkers)],
    ['report.leavingWorkers', String(s.leavingWorkers)],
    ['report.activeDays', String(s.activeDays)],
    ['report.hours', s.hours.toFixed(2)],
    ['report.items', String(s.items)],
    ['report.accepted', String(s.accepted)],
    ['report.income', formatYuan(s.incomeFen), undefined, 'report-income'],
    ['report.incomePerWorker', s.incomePerWorkerFen === null ? '—' : formatYuan(s.incomePerWorkerFen)],
    ['report.incomePerHour', s.incomePerHourFen === null ? '—' : formatYuan(s.incomePerHourFen)],
    ['report.retention3', rate(r3.rate), t('report.retentionOf', { cohort: r3.cohort, size: r3.size })],
    ['report.retention6', rate(r6.rate), t('report.retentionOf', { cohort: r6.cohort, size: r6.size })],
  ];
  return (
    <div
      style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 10, marginTop: 14 }}
    >
      {cards.map(([key, value, note, testId]) => (
        <div key={key} className="card">
          <div className="muted">{t(key)}</div>
          <div style={{ fontSize: 24, fontWeight: 700 }} data-testid={testId}>
            {value}
          </div>
          {note && <div className="muted">{note}</div>}
        </div>
      ))}
    </div>
  );
}
