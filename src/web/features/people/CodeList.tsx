import { useI18n } from '../../i18n';
import { shortTime, type IssuedCode } from './people-api';

/**
 * The one-time codes just issued, for the manager to read out or print and cut into
 * slips. They are shown once: the server keeps only their hashes.
 */
export function CodeList({ codes }: { codes: IssuedCode[] }) {
  const { t } = useI18n();
  return (
    <div className="print-area" data-testid="code-list">
      <p className="notice-static">{t('people.codes.once')}</p>
      <div className="table-scroll">
        <table className="table codes">
          <thead>
            <tr>
              <th>{t('people.field.display_name')}</th>
              <th>{t('login.username')}</th>
              <th>{t('people.codes.code')}</th>
              <th>{t('people.codes.expires')}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} data-testid={`code-row-${c.username}`}>
                <td>{c.displayName}</td>
                <td className="mono" data-testid="code-username">
                  {c.username}
                </td>
                <td className="mono code" data-testid="code-value">
                  {c.code}
                </td>
                <td className="small">{shortTime(c.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">{t('people.codes.howto')}</p>
      <div className="row no-print">
        <button onClick={() => window.print()} data-testid="print-codes">
          {t('people.codes.print')}
        </button>
      </div>
    </div>
  );
}
