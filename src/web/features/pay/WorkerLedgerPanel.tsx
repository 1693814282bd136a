import { useEffect, useState } from 'react';
import { formatYuan } from '../../../core/pay/money';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import type { WorkerLedger } from './pay-api';

/** Every ledger entry of one worker in a period, newest first, with her balance. */
export function WorkerLedgerPanel({
  workerId,
  period,
  onClose,
}: {
  workerId: number;
  period: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [ledger, setLedger] = useState<WorkerLedger | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<WorkerLedger>('GET', `/api/pay/workers/${workerId}/ledger?period=${period}`).then(setLedger, (e: Error) =>
      setError(e.message),
    );
  }, [workerId, period]);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!ledger) return <p className="muted">{t('app.loading')}</p>;
  return (
    <div className="card" data-testid="worker-ledger">
      <h3>
        {t('pay.ledgerOf', { name: ledger.worker.name, period })}{' '}
        <button className="link" onClick={onClose}>
          {t('pay.close')}
        </button>
      </h3>
      <p>{t('pay.balanceIs', { balance: formatYuan(ledger.balanceFen) })}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('pay.when')}</th>
            <th>{t('pay.kind')}</th>
            <th>{t('pay.project')}</th>
            <th>{t('pay.why')}</th>
            <th className="num">{t('pay.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {ledger.entries.map((e) => (
            <tr key={e.id}>
              <td>{e.at.slice(0, 16).replace('T', ' ')}</td>
              <td>{t(`pay.kind.${e.kind}`)}</td>
              <td>{e.project?.name ?? '—'}</td>
              <td className="small">{e.reason ?? ''}</td>
              <td className="num">{formatYuan(e.amountFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
