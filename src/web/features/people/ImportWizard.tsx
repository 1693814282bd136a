import { useState } from 'react';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { CodeList } from './CodeList';
import { Modal } from './Modal';
import { errorText } from './error-text';
import type { CohortField, CohortPreview, IssuedCode } from './people-api';

const FIELDS: CohortField[] = [
  'name',
  'phone',
  'county',
  'township',
  'village',
  'household',
  'startDate',
  'consent',
  'team',
  'username',
];

/**
 * The cohort import: choose a sheet, see every row with its problems (nothing is
 * created yet), then confirm to create everyone at once and get the list of codes.
 */
export function ImportWizard({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CohortPreview | null>(null);
  const [created, setCreated] = useState<IssuedCode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async <T,>(url: string): Promise<T | null> => {
    if (!file) return null;
    const form = new FormData();
    form.append('file', file, file.name);
    setBusy(true);
    setError(null);
    try {
      return await api<T>('POST', url, form);
    } catch (err) {
      setError(errorText(t, err));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const runPreview = async () => setPreview(await send<CohortPreview>('/api/people/import/preview'));
  const confirm = async () => {
    const r = await send<{ created: IssuedCode[] }>('/api/people/import');
    if (r) {
      setCreated(r.created);
      onImported();
    }
  };

  const problemsOf = (line: number) => preview?.problems.filter((p) => p.line === line) ?? [];
  const errorLines = new Set(preview?.problems.filter((p) => p.severity === 'error').map((p) => p.line));
  const shown = FIELDS.filter((f) => preview?.columns.some((c) => c.field === f));
  const predicted = new Map(preview?.rows.map((r) => [r.line, r.username]));

  // The codes exist only on this screen: closing it by accident would mean resetting everyone.
  const close = () => {
    if (!created || window.confirm(t('people.codes.confirmClose'))) onClose();
  };
  return (
    <Modal title={t('people.import.title')} onClose={close} testId="import-wizard" wide>
      {created ? (
        <>
          <p className="ok" data-testid="import-done">
            {t('people.import.done', { n: created.length })}
          </p>
          <CodeList codes={created} />
        </>
      ) : (
        <>
          <p className="small muted">
            {t('people.import.explain')}{' '}
            <a href="/api/people/import/template" download data-testid="template-download">
              {t('people.import.template')}
            </a>
          </p>
          <div className="row wrap">
            <input
              type="file"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              data-testid="import-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
              }}
            />
            <button onClick={runPreview} disabled={!file || busy} data-testid="import-preview">
              {t('people.import.preview')}
            </button>
          </div>
          {error && (
            <p className="error" role="alert" data-testid="import-error">
              {error}
            </p>
          )}
          {preview && (
            <>
              <p data-testid="import-summary" className={preview.ok ? 'ok' : 'error'}>
                {preview.ok
                  ? t('people.import.allGood', { n: preview.total })
                  : t('people.import.someBad', { n: preview.total, bad: errorLines.size })}
                {preview.newTeams.length > 0 &&
                  ` ${t('people.import.newTeams', { teams: preview.newTeams.join('、') })}`}
              </p>
              <div className="table-scroll">
                <table className="table import-preview" data-testid="import-preview-table">
                  <thead>
                    <tr>
                      <th>{t('people.import.line')}</th>
                      {shown.map((f) => (
                        <th key={f}>{t(`people.col.${f}` as MessageKey)}</th>
                      ))}
                      <th>{t('people.import.problems')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.sheet.map((row) => {
                      const problems = problemsOf(row.line);
                      const bad = errorLines.has(row.line);
                      const cls = bad ? 'bad' : problems.length ? 'warn' : '';
                      return (
                        <tr key={row.line} className={cls} data-testid={`import-row-${row.line}`} data-bad={bad}>
                          <td>{row.line}</td>
                          {shown.map((f) => (
                            <td key={f} className={problems.some((p) => p.field === f) ? 'cell-bad' : ''}>
                              {f === 'username' && !row.cells[f] && predicted.get(row.line) ? (
                                <span className="muted">{predicted.get(row.line)}</span>
                              ) : (
                                row.cells[f]
                              )}
                            </td>
                          ))}
                          <td className="small">
                            {problems.map((p, i) => (
                              <div key={i} data-testid="import-problem" data-reason={p.reason}>
                                {t(`people.reason.${p.reason}` as MessageKey, { line: p.firstLine ?? '' })}
                              </div>
                            ))}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <div className="row">
                <button
                  className="primary"
                  onClick={confirm}
                  disabled={!preview.ok || preview.valid === 0 || busy}
                  data-testid="import-confirm"
                >
                  {t('people.import.confirm', { n: preview.valid })}
                </button>
                {!preview.ok && <span className="small muted">{t('people.import.fixFirst')}</span>}
              </div>
            </>
          )}
        </>
      )}
    </Modal>
  );
}
