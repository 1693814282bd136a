import { formatYuan } from '../../../core/pay/money';
import { useI18n } from '../../i18n';
import type { Payroll, PayrollRow } from './pay-api';

const hourly = (fen: number | null) => (fen === null ? '—' : formatYuan(fen));

/**
 * One row per worker for the period; rows under the local minimum hourly wage are
 * highlighted and say so, so the manager sees them before paying.
 */
export function PayrollTable({
  payroll,
  onLedger,
  onPayout,
}: {
  payroll: Payroll;
  onLedger: (row: PayrollRow) => void;
  onPayout: (row: PayrollRow) => void;
}) {
  const { t } = useI18n();
  if (payroll.rows.length === 0) return <p className="muted">{t('pay.noWorkers')}</p>;
  const tt = payroll.totals;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="pay-table">
        <thead>
          <tr>
            <th>{t('pay.worker')}</th>
            <th className="num">{t('pay.items')}</th>
            <th className="num">{t('pay.gross')}</th>
            <th className="num">{t('pay.bonus')}</th>
            <th className="num">{t('pay.floor')}</th>
            <th className="num">{t('pay.reversals')}</th>
            <th className="num">{t('pay.net')}</th>
            <th className="num">{t('pay.paid')}</th>
            <th className="num">{t('pay.balance')}</th>
            <th className="num">{t('pay.hours')}</th>
            <th className="num">{t('pay.effective')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {payroll.rows.map((r) => (
            <tr
              key={r.workerId}
              className={r.belowMinimum ? 'below-min' : undefined}
              data-testid={`pay-row-${r.username}`}
              data-below-minimum={r.belowMinimum ? 'true' : 'false'}
            >
              <td>
                {r.name} <span className="muted small">{r.username}</span>
                {r.belowMinimum && <span className="badge warn">{t('pay.belowMinimum')}</span>}
              </td>
              <td className="num">{r.itemsAccepted}</td>
              <td className="num">{formatYuan(r.grossFen)}</td>
              <td className="num">{formatYuan(r.bonusFen)}</td>
              <td className="num">{formatYuan(r.floorTopUpFen)}</td>
              <td className="num">{formatYuan(r.reversalsFen)}</td>
              <td className="num">{formatYuan(r.netFen)}</td>
              <td className="num">{formatYuan(r.payoutsFen)}</td>
              <td className="num" data-testid={`pay-balance-${r.username}`}>
                {formatYuan(r.balanceFen)}
              </td>
              <td className="num">{r.activeHours.toFixed(2)}</td>
              <td className="num">{hourly(r.effectiveHourlyFen)}</td>
              <td>
                <button className="link" onClick={() => onLedger(r)} data-testid={`pay-ledger-${r.username}`}>
                  {t('pay.details')}
                </button>{' '}
                {r.balanceFen > 0 && (
                  <button onClick={() => onPayout(r)} data-testid={`pay-payout-${r.username}`}>
                    {t('pay.payout')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          <tr className="total">
            <td>{t('pay.total')}</td>
            <td className="num">{tt.itemsAccepted}</td>
            <td className="num">{formatYuan(tt.grossFen)}</td>
            <td className="num">{formatYuan(tt.bonusFen)}</td>
            <td className="num">{formatYuan(tt.floorTopUpFen)}</td>
            <td className="num">{formatYuan(tt.reversalsFen)}</td>
            <td className="num">{formatYuan(tt.netFen)}</td>
            <td className="num">{formatYuan(tt.payoutsFen)}</td>
            <td className="num">{formatYuan(tt.balanceFen)}</td>
            <td className="num">{tt.activeHours.toFixed(2)}</td>
            <td />
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
