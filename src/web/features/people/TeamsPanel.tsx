import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from './error-text';
import type { Person, Team } from './people-api';

/** Teams with a team lead; pick a team to choose its members. */
export function TeamsPanel() {
  const { t } = useI18n();
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [name, setName] = useState('');
  const [lead, setLead] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [members, setMembers] = useState<Set<number>>(new Set());
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(() => {
    api<{ teams: Team[] }>('GET', '/api/teams').then(
      (r) => setTeams(r.teams),
      (err) => setNote({ ok: false, text: errorText(t, err) }),
    );
    api<{ people: Person[] }>('GET', '/api/people?status=active').then(
      (r) => setPeople(r.people),
      () => {},
    );
  }, [t]);
  useEffect(load, [load]);

  const run = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      setNote(ok ? { ok: true, text: ok } : null);
      load();
    } catch (err) {
      setNote({ ok: false, text: errorText(t, err) });
    }
  };

  const create = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/api/teams', { name, leadUserId: lead ? Number(lead) : null });
      setName('');
      setLead('');
    }, t('people.teams.created'));
  };

  const openTeam = async (id: number) => {
    if (open === id) return setOpen(null);
    const r = await api<{ members: { id: number }[] }>('GET', `/api/teams/${id}/members`);
    setMembers(new Set(r.members.map((m) => m.id)));
    setOpen(id);
  };

  return (
    <section data-testid="teams-panel">
      <form className="row wrap card" onSubmit={create}>
        <input
          placeholder={t('people.teams.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          data-testid="team-name"
        />
        <select value={lead} onChange={(e) => setLead(e.target.value)} aria-label={t('people.teams.lead')}>
          <option value="">{t('people.teams.noLead')}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName} ({p.username})
            </option>
          ))}
        </select>
        <button className="primary" type="submit" data-testid="create-team">
          {t('people.teams.create')}
        </button>
      </form>
      {note && <p className={note.ok ? 'ok' : 'error'}>{note.text}</p>}
      {teams?.length === 0 && <p className="muted">{t('people.teams.none')}</p>}
      <ul className="team-list">
        {teams?.map((tm) => (
          <li key={tm.id} className="card" data-testid={`team-${tm.id}`}>
            <div className="row wrap">
              <b>{tm.name}</b>
              <span className="muted small">
                {t('people.teams.leadIs', { name: tm.leadName ?? '—' })} ·{' '}
                {t('people.teams.members', { n: tm.members })}
              </span>
              <span className="spacer" />
              <select
                value={tm.leadUserId ?? ''}
                aria-label={t('people.teams.lead')}
                onChange={(e) =>
                  run(() =>
                    api('PATCH', `/api/teams/${tm.id}`, { leadUserId: e.target.value ? Number(e.target.value) : null }),
                  )
                }
              >
                <option value="">{t('people.teams.noLead')}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName}
                  </option>
                ))}
              </select>
              <button onClick={() => openTeam(tm.id)} data-testid={`team-members-${tm.id}`}>
                {t('people.teams.editMembers')}
              </button>
              <button
                className="link danger"
                onClick={() =>
                  window.confirm(t('people.teams.confirmDelete', { name: tm.name })) &&
                  run(() => api('DELETE', `/api/teams/${tm.id}`))
                }
              >
                {t('people.teams.delete')}
              </button>
            </div>
            {open === tm.id && (
              <div className="member-picker">
                <ul>
                  {people.map((p) => (
                    <li key={p.id}>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={members.has(p.id)}
                          onChange={() =>
                            setMembers((old) => {
                              const next = new Set(old);
                              if (next.has(p.id)) next.delete(p.id);
                              else next.add(p.id);
                              return next;
                            })
                          }
                        />
                        {p.displayName}
                        <span className="muted small">
                          {p.username}
                          {p.teamName && p.teamId !== tm.id ? ` · ${p.teamName}` : ''}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
                <button
                  className="primary"
                  data-testid="save-members"
                  onClick={() =>
                    run(async () => {
                      await api('PUT', `/api/teams/${tm.id}/members`, { userIds: [...members] });
                      setOpen(null);
                    }, t('people.teams.saved'))
                  }
                >
                  {t('people.save')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
