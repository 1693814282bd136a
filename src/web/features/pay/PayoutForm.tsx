import { useState } from 'react';
import { formatYuan, yuanToFen } from '../../../core/pay/money';
import { api, ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { payoutKey, type PayrollRow } from './pay-api';

/**
 * Records money paid to one worker. The key is chosen once per form, so pressing
 * the button again after a lost answer records the payout once.
 */
export function PayoutForm({ row, onDone }: { row: PayrollRow; onDone: (recorded: boolean) => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState((row.balanceFen / 100).toFixed(2));
  const [note, setNote] = useState('');
  const [key] = useState(payoutKey);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const fen = yuanToFen(amount);
    if (fen === null || fen <= 0) return setError(t('pay.badAmount'));
    setBusy(true);
    try {
      await api('POST', '/api/pay/payouts', {
        workerId: row.workerId,
        amountFen: fen,
        key,
        note: note.trim() || undefined,
      });
      onDone(true);
    } catch (err) {
      setError(
        err instanceof ApiError && err.id === 'payout_exceeds_balance'
          ? t('pay.exceedsBalance', { balance: formatYuan(row.balanceFen) })
          : t('error.generic', { message: (err as Error).message }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="payout-form">
      <h3>{t('pay.payoutTitle', { name: row.name })}</h3>
      <p className="muted">{t('pay.balanceIs', { balance: formatYuan(row.balanceFen) })}</p>
      <label>
        {t('pay.amountYuan')}{' '}
        <input
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          data-testid="payout-amount"
        />
      </label>{' '}
      <label>
        {t('pay.note')} <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
      </label>{' '}
      <button className="primary" disabled={busy} data-testid="payout-submit">
        {t('pay.recordPayout')}
      </button>{' '}
      <button type="button" className="link" onClick={() => onDone(false)}>
        {t('pay.cancel')}
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
