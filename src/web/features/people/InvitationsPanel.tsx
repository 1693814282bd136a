import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { errorText } from './error-text';
import { shortTime, type Invitation, type Team } from './people-api';

/** Invitation codes for self-service sign-up: make one for a recruitment drive, share the link, withdraw it. */
export function InvitationsPanel() {
  const { t } = useI18n();
  const [list, setList] = useState<Invitation[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [form, setForm] = useState({ teamId: '', days: 14, maxUses: 50 });
  const [fresh, setFresh] = useState<{ code: string; signupPath: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ invitations: Invitation[] }>('GET', '/api/invitations').then(
      (r) => setList(r.invitations),
      (err) => setError(errorText(t, err)),
    );
  }, [t]);
  useEffect(() => {
    load();
    api<{ teams: Team[] }>('GET', '/api/teams').then(
      (r) => setTeams(r.teams),
      () => {},
    );
  }, [load]);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ code: string; signupPath: string }>('POST', '/api/invitations', {
        role: 'worker',
        teamId: form.teamId ? Number(form.teamId) : null,
        expiresInHours: form.days * 24,
        maxUses: form.maxUses,
      });
      setFresh(r);
      load();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const revoke = async (id: number) => {
    await api('DELETE', `/api/invitations/${id}`).catch((err) => setError(errorText(t, err)));
    load();
  };
  const link = fresh ? `${location.origin}${fresh.signupPath}` : '';

  return (
    <section data-testid="invitations-panel">
      <p className="small muted">{t('people.invite.explain')}</p>
      <form className="form-grid card" onSubmit={create}>
        <label>
          {t('people.field.team_id')}
          <select value={form.teamId} onChange={(e) => setForm({ ...form, teamId: e.target.value })}>
            <option value="">{t('people.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('people.invite.days')}
          <input
            type="number"
            min={1}
            max={90}
            value={form.days}
            onChange={(e) => setForm({ ...form, days: Number(e.target.value) })}
          />
        </label>
        <label>
          {t('people.invite.maxUses')}
          <input
            type="number"
            min={1}
            max={1000}
            value={form.maxUses}
            onChange={(e) => setForm({ ...form, maxUses: Number(e.target.value) })}
          />
        </label>
        <div className="wide row">
          <button className="primary" type="submit" data-testid="create-invitation">
            {t('people.invite.create')}
          </button>
        </div>
      </form>
      {error && <p className="error">{error}</p>}
      {fresh && (
        <div className="card fresh-code" data-testid="invitation-code">
          <p className="big-code">{fresh.code}</p>
          <p className="small">
            {t('people.invite.link')}{' '}
            <a href={link} className="mono" data-testid="invitation-link">
              {link}
            </a>
          </p>
          <button onClick={() => void navigator.clipboard?.writeText(link)}>{t('people.invite.copy')}</button>
          <p className="small muted">{t('people.invite.once')}</p>
        </div>
      )}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t('people.field.team_id')}</th>
              <th>{t('people.invite.uses')}</th>
              <th>{t('people.codes.expires')}</th>
              <th>{t('people.invite.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list?.map((i) => (
              <tr key={i.id}>
                <td>{i.teamName ?? '—'}</td>
                <td>
                  {i.uses} / {i.maxUses}
                </td>
                <td className="small">{shortTime(i.expiresAt)}</td>
                <td>{t(`people.invite.status.${i.status}` as MessageKey)}</td>
                <td>
                  {i.status === 'active' && (
                    <button className="link danger" onClick={() => revoke(i.id)}>
                      {t('people.invite.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
