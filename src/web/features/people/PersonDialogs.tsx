import { useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import { CodeList } from './CodeList';
import { Modal } from './Modal';
import { errorText } from './error-text';
import type { IssuedCode, Person } from './people-api';

/** Reset: a one-time code replaces her password; she chooses a new one at her next login. */
export function ResetCodeDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const { t } = useI18n();
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reset = async () => {
    try {
      setIssued(await api<IssuedCode>('POST', `/api/people/${person.id}/reset-code`));
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <Modal title={t('people.reset')} onClose={onClose} testId="reset-dialog">
      {issued ? (
        <>
          <p className="big-code" data-testid="reset-code">
            {issued.code}
          </p>
          <CodeList codes={[issued]} />
        </>
      ) : (
        <>
          <p>{t('people.resetExplain', { name: person.displayName })}</p>
          {error && <p className="error">{error}</p>}
          <div className="row">
            <button className="primary" onClick={reset} data-testid="confirm-reset">
              {t('people.resetConfirm')}
            </button>
            <button onClick={onClose}>{t('app.back')}</button>
          </div>
        </>
      )}
    </Modal>
  );
}

/** Disable: locked out now; "leaving" also records the day she left, for the employment report. */
export function DisableDialog({
  person,
  onClose,
  onDone,
}: {
  person: Person;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [leaving, setLeaving] = useState(true);
  const [endDate, setEndDate] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await api('POST', `/api/people/${person.id}/disable`, leaving ? { leaving, endDate } : { leaving });
      onDone();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <Modal title={t('people.disable')} onClose={onClose} testId="disable-dialog">
      <p>{t('people.disableExplain', { name: person.displayName })}</p>
      <label className="check">
        <input type="checkbox" checked={leaving} onChange={(e) => setLeaving(e.target.checked)} />
        {t('people.leaving')}
      </label>
      {leaving && (
        <label>
          {t('people.field.end_date')}
          <input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        </label>
      )}
      {error && <p className="error">{error}</p>}
      <div className="row">
        <button className="primary danger" onClick={submit} data-testid="confirm-disable">
          {t('people.disable')}
        </button>
        <button onClick={onClose}>{t('app.back')}</button>
      </div>
    </Modal>
  );
}
