import { useCallback, useEffect, useState } from 'react';
import { api, type User } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from './error-text';
import type { HouseholdStatus } from './people-api';

/** The household status list. Admins add, relabel and retire statuses; managers read it. */
export function HouseholdStatusesPanel({ user }: { user: User }) {
  const { t } = useI18n();
  const [list, setList] = useState<HouseholdStatus[] | null>(null);
  const [draft, setDraft] = useState({ code: '', labelZh: '', labelEn: '', sort: 50 });
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const admin = user.role === 'admin';

  const load = useCallback(() => {
    api<{ statuses: HouseholdStatus[] }>('GET', '/api/household-statuses').then(
      (r) => setList(r.statuses),
      (err) => setNote({ ok: false, text: errorText(t, err) }),
    );
  }, [t]);
  useEffect(load, [load]);

  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setNote({ ok: true, text: t('settings.saved') });
      load();
    } catch (err) {
      setNote({ ok: false, text: errorText(t, err) });
    }
  };
  const patch = (code: string, body: Partial<HouseholdStatus>) =>
    run(() => api('PATCH', `/api/household-statuses/${code}`, body));

  return (
    <section data-testid="households-panel">
      <p className="small muted">{t('people.households.explain')}</p>
      {note && <p className={note.ok ? 'ok' : 'error'}>{note.text}</p>}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t('people.households.code')}</th>
              <th>{t('people.households.labelZh')}</th>
              <th>{t('people.households.labelEn')}</th>
              <th>{t('people.households.sort')}</th>
              <th>{t('people.households.active')}</th>
              {admin && <th />}
            </tr>
          </thead>
          <tbody>
            {list?.map((h) => (
              <tr key={h.code} className={h.active ? '' : 'disabled'}>
                <td className="mono">{h.code}</td>
                {admin ? (
                  <>
                    <td>
                      <input
                        defaultValue={h.labelZh}
                        onBlur={(e) => e.target.value !== h.labelZh && patch(h.code, { labelZh: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        defaultValue={h.labelEn}
                        onBlur={(e) => e.target.value !== h.labelEn && patch(h.code, { labelEn: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        defaultValue={h.sort}
                        onBlur={(e) =>
                          Number(e.target.value) !== h.sort && patch(h.code, { sort: Number(e.target.value) })
                        }
                      />
                    </td>
                  </>
                ) : (
                  <>
                    <td>{h.labelZh}</td>
                    <td>{h.labelEn}</td>
                    <td>{h.sort}</td>
                  </>
                )}
                <td>
                  {admin ? (
                    <input
                      type="checkbox"
                      checked={h.active}
                      onChange={(e) => patch(h.code, { active: e.target.checked })}
                    />
                  ) : h.active ? (
                    t('people.yes')
                  ) : (
                    t('people.no')
                  )}
                </td>
                {admin && (
                  <td>
                    <button
                      className="link danger"
                      onClick={() => run(() => api('DELETE', `/api/household-statuses/${h.code}`))}
                    >
                      {t('people.households.delete')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin && (
        <form
          className="form-grid card"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api('POST', '/api/household-statuses', draft);
              setDraft({ code: '', labelZh: '', labelEn: '', sort: 50 });
            });
          }}
        >
          <label>
            {t('people.households.code')}
            <input
              value={draft.code}
              pattern="[a-z][a-z0-9_]*"
              required
              onChange={(e) => setDraft({ ...draft, code: e.target.value })}
            />
          </label>
          <label>
            {t('people.households.labelZh')}
            <input value={draft.labelZh} required onChange={(e) => setDraft({ ...draft, labelZh: e.target.value })} />
          </label>
          <label>
            {t('people.households.labelEn')}
            <input value={draft.labelEn} required onChange={(e) => setDraft({ ...draft, labelEn: e.target.value })} />
          </label>
          <label>
            {t('people.households.sort')}
            <input
              type="number"
              value={draft.sort}
              onChange={(e) => setDraft({ ...draft, sort: Number(e.target.value) })}
            />
          </label>
          <div className="wide">
            <button className="primary" type="submit">
              {t('people.households.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
