import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Project } from '../../api';
import { useI18n } from '../../i18n';
import { CodeList } from './CodeList';
import { ImportWizard } from './ImportWizard';
import { Modal } from './Modal';
import { DisableDialog, ResetCodeDialog } from './PersonDialogs';
import { errorText } from './error-text';
import { PersonForm } from './PersonForm';
import { householdLabel, type HouseholdStatus, type IssuedCode, type Person, type Team } from './people-api';

interface Filter {
  q: string;
  teamId: string;
  household: string;
  status: 'active' | 'disabled' | 'all';
}

/** The people of the base: filter, add, import, edit, reset, disable, and assign in bulk. */
export function WorkersPanel() {
  const { t, locale } = useI18n();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [statuses, setStatuses] = useState<HouseholdStatus[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  const [filter, setFilter] = useState<Filter>({ q: '', teamId: '', household: '', status: 'active' });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<Person | 'new' | null>(null);
  const [resetting, setResetting] = useState<Person | null>(null);
  const [disabling, setDisabling] = useState<Person | null>(null);
  const [issued, setIssued] = useState<IssuedCode[] | null>(null);
  const [importing, setImporting] = useState(false);
  const [target, setTarget] = useState({ project: '', team: '' });
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(() => {
    api<{ people: Person[] }>('GET', '/api/people').then(
      (r) => setPeople(r.people),
      (err) => setNote({ ok: false, text: errorText(t, err) }),
    );
    api<{ teams: Team[] }>('GET', '/api/teams').then(
      (r) => setTeams(r.teams),
      () => {},
    );
  }, [t]);
  useEffect(() => {
    load();
    api<{ statuses: HouseholdStatus[] }>('GET', '/api/household-statuses').then(
      (r) => setStatuses(r.statuses),
      () => {},
    );
    api<{ projects: Project[] }>('GET', '/api/projects').then(
      (r) => setProjects(r.projects),
      () => {},
    );
  }, [load]);

  const shown = useMemo(() => {
    const q = filter.q.trim().toLowerCase();
    return (people ?? []).filter(
      (p) =>
        (filter.status === 'all' || (filter.status === 'disabled') === p.disabled) &&
        (!filter.teamId || String(p.teamId ?? '') === filter.teamId) &&
        (!filter.household || p.household === filter.household) &&
        (!q ||
          [p.displayName, p.username, p.phone, p.county, p.township, p.village].some((v) =>
            v?.toLowerCase().includes(q),
          )),
    );
  }, [people, filter]);

  const toggle = (id: number) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allShownSelected = shown.length > 0 && shown.every((p) => selected.has(p.id));

  const bulk = async (what: 'project' | 'team') => {
    const ids = [...selected];
    try {
      if (what === 'project') {
        await api('POST', `/api/projects/${target.project}/members`, { userIds: ids, teamIds: [] });
        setNote({ ok: true, text: t('people.bulk.assigned', { n: ids.length }) });
      } else {
        for (const id of ids)
          await api('PATCH', `/api/people/${id}`, { teamId: target.team ? Number(target.team) : null });
        setNote({ ok: true, text: t('people.bulk.moved', { n: ids.length }) });
      }
      setSelected(new Set());
      load();
    } catch (err) {
      setNote({ ok: false, text: errorText(t, err) });
    }
  };

  const enable = async (p: Person) => {
    try {
      await api('POST', `/api/people/${p.id}/enable`);
      load();
    } catch (err) {
      setNote({ ok: false, text: errorText(t, err) });
    }
  };

  return (
    <section data-testid="workers-panel">
      <div className="row wrap">
        <button className="primary" onClick={() => setEditing('new')} data-testid="add-person">
          {t('people.add')}
        </button>
        <button onClick={() => setImporting(true)} data-testid="import-people">
          {t('people.import.title')}
        </button>
        <span className="spacer" />
        <span className="muted small">{t('people.count', { n: shown.length, total: people?.length ?? 0 })}</span>
      </div>
      <div className="filters">
        <input
          type="search"
          placeholder={t('people.search')}
          value={filter.q}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
          data-testid="people-search"
        />
        <select value={filter.teamId} onChange={(e) => setFilter({ ...filter, teamId: e.target.value })}>
          <option value="">{t('people.allTeams')}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
        <select value={filter.household} onChange={(e) => setFilter({ ...filter, household: e.target.value })}>
          <option value="">{t('people.allHouseholds')}</option>
          {statuses.map((s) => (
            <option key={s.code} value={s.code}>
              {householdLabel(statuses, s.code, locale)}
            </option>
          ))}
        </select>
        <select
          value={filter.status}
          onChange={(e) => setFilter({ ...filter, status: e.target.value as Filter['status'] })}
        >
          <option value="active">{t('people.status.active')}</option>
          <option value="disabled">{t('people.status.disabled')}</option>
          <option value="all">{t('people.status.all')}</option>
        </select>
      </div>
      {note && <p className={note.ok ? 'ok' : 'error'}>{note.text}</p>}
      {selected.size > 0 && (
        <div className="bulk-bar row wrap" data-testid="bulk-bar">
          <span>{t('people.bulk.selected', { n: selected.size })}</span>
          <select value={target.project} onChange={(e) => setTarget({ ...target, project: e.target.value })}>
            <option value="">{t('people.bulk.chooseProject')}</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button disabled={!target.project} onClick={() => bulk('project')} data-testid="bulk-assign">
            {t('people.bulk.assign')}
          </button>
          <select value={target.team} onChange={(e) => setTarget({ ...target, team: e.target.value })}>
            <option value="">{t('people.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
          <button onClick={() => bulk('team')} data-testid="bulk-team">
            {t('people.bulk.move')}
          </button>
        </div>
      )}
      {people === null && <p className="muted">{t('app.loading')}</p>}
      {people?.length === 0 && <p className="muted">{t('people.none')}</p>}
      {shown.length > 0 && (
        <div className="table-scroll">
          <table className="table people" data-testid="people-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('people.bulk.all')}
                    checked={allShownSelected}
                    onChange={() => setSelected(allShownSelected ? new Set() : new Set(shown.map((p) => p.id)))}
                  />
                </th>
                <th>{t('people.field.display_name')}</th>
                <th>{t('people.field.phone')}</th>
                <th>{t('people.place')}</th>
                <th>{t('people.field.household')}</th>
                <th>{t('people.consentShort')}</th>
                <th>{t('people.field.team_id')}</th>
                <th>{t('people.field.start_date')}</th>
                <th>{t('people.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} className={p.disabled ? 'disabled' : ''} data-testid={`person-${p.username}`}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={p.displayName}
                      checked={selected.has(p.id)}
                      onChange={() => toggle(p.id)}
                    />
                  </td>
                  <td>
                    <b>{p.displayName}</b>
                    <div className="small muted mono">
                      {p.username}
                      {p.role === 'reviewer' && ` · ${t('role.reviewer')}`}
                      {p.mustChangePassword && ` · ${t('people.awaitingPassword')}`}
                    </div>
                  </td>
                  <td className="mono small">{p.phone}</td>
                  <td className="small">{[p.county, p.township, p.village].filter(Boolean).join(' ')}</td>
                  <td className="small">{householdLabel(statuses, p.household, locale)}</td>
                  <td>{p.consentNamed ? t('people.yes') : t('people.no')}</td>
                  <td className="small">{p.teamName}</td>
                  <td className="small">
                    {p.startDate}
                    {p.endDate && ` – ${p.endDate}`}
                  </td>
                  <td className="actions">
                    <button className="link" onClick={() => setEditing(p)} data-testid={`edit-${p.username}`}>
                      {t('people.edit')}
                    </button>
                    <button className="link" onClick={() => setResetting(p)} data-testid={`reset-${p.username}`}>
                      {t('people.reset')}
                    </button>
                    {p.disabled ? (
                      <button className="link" onClick={() => enable(p)} data-testid={`enable-${p.username}`}>
                        {t('people.enable')}
                      </button>
                    ) : (
                      <button
                        className="link danger"
                        onClick={() => setDisabling(p)}
                        data-testid={`disable-${p.username}`}
                      >
                        {t('people.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <PersonForm
          person={editing === 'new' ? null : editing}
          statuses={statuses}
          teams={teams}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
          onIssued={setIssued}
        />
      )}
      {issued && (
        <Modal title={t('people.codes.title')} onClose={() => setIssued(null)} testId="issued-dialog">
          <CodeList codes={issued} />
        </Modal>
      )}
      {resetting && <ResetCodeDialog person={resetting} onClose={() => setResetting(null)} />}
      {disabling && (
        <DisableDialog
          person={disabling}
          onClose={() => setDisabling(null)}
          onDone={() => {
            setDisabling(null);
            load();
          }}
        />
      )}
      {importing && <ImportWizard onClose={() => setImporting(false)} onImported={load} />}
    </section>
  );
}
