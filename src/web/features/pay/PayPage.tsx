import { useCallback, useEffect, useState } from 'react';
import { formatYuan, yuanToFen } from '../../../core/pay/money';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import type { PayPeriod, Payroll, PayrollRow } from './pay-api';
import { PayoutForm } from './PayoutForm';
import { PayrollTable } from './PayrollTable';
import { ProjectPaySettings } from './ProjectPaySettings';
import { WorkerLedgerPanel } from './WorkerLedgerPanel';

/**
 * The manager's pay page (/pay): pay periods and closing them, the payroll of a period
 * with workers under the local minimum hourly wage highlighted, each worker's ledger,
 * payouts, the payroll as .xlsx or CSV, and the pay settings.
 */
export function PayPage() {
  const { t } = useI18n();
  const [periods, setPeriods] = useState<PayPeriod[]>([]);
  const [period, setPeriod] = useState<string | null>(null);
  const [payroll, setPayroll] = useState<Payroll | null>(null);
  const [ledgerOf, setLedgerOf] = useState<number | null>(null);
  const [paying, setPaying] = useState<PayrollRow | null>(null);
  const [minWage, setMinWage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadPeriods = useCallback(async () => {
    const r = await api<{ current: string; periods: PayPeriod[] }>('GET', '/api/pay/periods');
    setPeriods(r.periods);
    setPeriod((p) => p ?? r.current);
  }, []);
  const loadPayroll = useCallback(async () => {
    if (!period) return;
    const p = await api<Payroll>('GET', `/api/pay/payroll?period=${period}`);
    setPayroll(p);
    setMinWage((p.minHourlyWageFen / 100).toFixed(2));
  }, [period]);
  useEffect(() => {
    loadPeriods().catch((e: Error) => setError(e.message));
  }, [loadPeriods]);
  useEffect(() => {
    loadPayroll().catch((e: Error) => setError(e.message));
  }, [loadPayroll]);

  const close = async () => {
    if (!period || !window.confirm(t('pay.closeConfirm', { period }))) return;
    try {
      const r = await api<{ bonusFen: number; floorTopUpFen: number }>('POST', `/api/pay/periods/${period}/close`);
      setNotice(t('pay.closed', { period, bonus: formatYuan(r.bonusFen), floor: formatYuan(r.floorTopUpFen) }));
      await Promise.all([loadPeriods(), loadPayroll()]);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const saveMinWage = async (e: React.FormEvent) => {
    e.preventDefault();
    const fen = yuanToFen(minWage);
    if (fen === null) return setError(t('pay.badAmount'));
    await api('PUT', '/api/pay/settings', { minHourlyWageFen: fen }).catch((err: Error) => setError(err.message));
    await loadPayroll();
  };

  if (!period) return <p className="muted">{error ? t('error.generic', { message: error }) : t('app.loading')}</p>;
  const status = payroll?.status ?? periods.find((p) => p.period === period)?.status ?? 'open';
  const below = payroll?.rows.filter((r) => r.belowMinimum) ?? [];
  return (
    <section>
      <h2>{t('pay.title')}</h2>
      <div className="card pay-toolbar">
        <label>
          {t('pay.period')}{' '}
          <select value={period} onChange={(e) => setPeriod(e.target.value)} data-testid="pay-period">
            {periods.map((p) => (
              <option key={p.period} value={p.period}>
                {p.period} · {t(`pay.periodStatus.${p.status}`)}
              </option>
            ))}
          </select>
        </label>
        <span className={`badge ${status === 'closed' ? '' : 'warn'}`} data-testid="pay-period-status">
          {t(`pay.periodStatus.${status}`)}
        </span>
        {status === 'open' && (
          <button onClick={() => void close()} data-testid="pay-close">
            {t('pay.closePeriod')}
          </button>
        )}
        <a className="button" href={`/api/pay/payroll.xlsx?period=${period}`} download data-testid="pay-download-xlsx">
          {t('pay.downloadXlsx')}
        </a>
        <a className="button" href={`/api/pay/payroll.csv?period=${period}`} download data-testid="pay-download-csv">
          {t('pay.downloadCsv')}
        </a>
      </div>
      {notice && <p className="ok">{notice}</p>}
      {error && <p className="error">{t('error.generic', { message: error })}</p>}
      {payroll && (
        <div className="card">
          <form onSubmit={saveMinWage} className="pay-toolbar">
            <label>
              {t('pay.minWage')}{' '}
              <input
                value={minWage}
                onChange={(e) => setMinWage(e.target.value)}
                inputMode="decimal"
                style={{ width: 90 }}
              />
            </label>
            <button>{t('pay.save')}</button>
            <span className="muted small">{t('pay.minWageNote')}</span>
          </form>
          <p className={below.length ? 'error' : 'ok'} data-testid="fair-pay-summary">
            {below.length
              ? t('pay.fairPayBelow', { n: below.length, wage: formatYuan(payroll.minHourlyWageFen) })
              : t('pay.fairPayOk', { wage: formatYuan(payroll.minHourlyWageFen) })}
          </p>
          <PayrollTable payroll={payroll} onLedger={(r) => setLedgerOf(r.workerId)} onPayout={setPaying} />
        </div>
      )}
      {paying && (
        <PayoutForm
          row={paying}
          onDone={(recorded) => {
            setPaying(null);
            if (recorded) void loadPayroll();
          }}
        />
      )}
      {ledgerOf !== null && <WorkerLedgerPanel workerId={ledgerOf} period={period} onClose={() => setLedgerOf(null)} />}
      <ProjectPaySettings />
    </section>
  );
}
