import { useCallback, useEffect, useState } from 'react';
import { api, type Project } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from './error-text';
import type { Person, ProjectMembers, Team } from './people-api';

/**
 * Who gets a project's items. With nobody chosen the project is open to every worker
 * of the base; once people or teams are chosen, only they get its items.
 */
export function ProjectMembersPanel() {
  const { t } = useI18n();
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectId, setProjectId] = useState(() => new URLSearchParams(location.search).get('project') ?? '');
  const [people, setPeople] = useState<Person[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [users, setUsers] = useState<Set<number>>(new Set());
  const [teamIds, setTeamIds] = useState<Set<number>>(new Set());
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api<{ projects: Project[] }>('GET', '/api/projects').then(
      (r) => setProjects(r.projects),
      () => {},
    );
    api<{ people: Person[] }>('GET', '/api/people?status=active&role=worker').then(
      (r) => setPeople(r.people),
      () => {},
    );
    api<{ teams: Team[] }>('GET', '/api/teams').then(
      (r) => setTeams(r.teams),
      () => {},
    );
  }, []);
  const load = useCallback(() => {
    if (!projectId) return;
    api<ProjectMembers>('GET', `/api/projects/${projectId}/members`).then(
      (m) => {
        setUsers(new Set(m.users.map((u) => u.id)));
        setTeamIds(new Set(m.teams.map((tm) => tm.id)));
      },
      (err) => setNote({ ok: false, text: errorText(t, err) }),
    );
  }, [projectId, t]);
  useEffect(load, [load]);

  const flip = (set: Set<number>, id: number) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };
  const save = async () => {
    try {
      await api('PUT', `/api/projects/${projectId}/members`, { userIds: [...users], teamIds: [...teamIds] });
      setNote({ ok: true, text: t('people.assign.saved') });
    } catch (err) {
      setNote({ ok: false, text: errorText(t, err) });
    }
  };
  const open = users.size === 0 && teamIds.size === 0;

  return (
    <section data-testid="project-members-panel">
      <label>
        {t('people.assign.project')}
        <select value={projectId} onChange={(e) => setProjectId(e.target.value)} data-testid="assign-project">
          <option value="">—</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {projectId && (
        <>
          <p className={open ? 'muted' : ''} data-testid="assign-state">
            {open ? t('people.assign.open') : t('people.assign.closed', { n: users.size, teams: teamIds.size })}
          </p>
          <div className="assign-grid">
            <div>
              <h4>{t('people.tab.teams')}</h4>
              <ul className="plain">
                {teams.map((tm) => (
                  <li key={tm.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={teamIds.has(tm.id)}
                        onChange={() => setTeamIds(flip(teamIds, tm.id))}
                        data-testid={`assign-team-${tm.id}`}
                      />
                      {tm.name} <span className="muted small">({tm.members})</span>
                    </label>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h4>{t('people.tab.people')}</h4>
              <ul className="plain">
                {people.map((p) => (
                  <li key={p.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={users.has(p.id)}
                        onChange={() => setUsers(flip(users, p.id))}
                        data-testid={`assign-user-${p.username}`}
                      />
                      {p.displayName} <span className="muted small">{p.username}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <div className="row">
            <button className="primary" onClick={save} data-testid="save-assignment">
              {t('people.save')}
            </button>
            {!open && (
              <button
                onClick={() => {
                  setUsers(new Set());
                  setTeamIds(new Set());
                }}
              >
                {t('people.assign.openAll')}
              </button>
            )}
          </div>
          {note && <p className={note.ok ? 'ok' : 'error'}>{note.text}</p>}
        </>
      )}
    </section>
  );
}
