import { useEffect, useState } from 'react';
import { api, type Project, type User } from '../../api';
import { navigate } from '../../app/router';
import { useI18n, localized } from '../../i18n';

export function WorkerHome({ user }: { user: User }) {
  const { t, locale } = useI18n();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [today, setToday] = useState<{ submitted: number } | null>(null);
  useEffect(() => {
    api<{ projects: Project[] }>('GET', '/api/projects').then((r) => setProjects(r.projects));
    api<{ submitted: number }>('GET', '/api/work/today').then(setToday);
  }, []);
  return (
    <section>
      <h2>{t('home.welcome', { name: user.display_name })}</h2>
      {today && <p className="muted">{t('work.today', { n: today.submitted })}</p>}
      {projects?.length === 0 && <p className="muted">{t('home.noProjects')}</p>}
      <ul className="project-list">
        {projects?.map((p) => (
          <li key={p.id} className="card project-card">
            <h3>{p.name}</h3>
            <p className="muted">
              {localized(locale, p.template.name)} · ¥{(p.pieceRateFen / 100).toFixed(2)}
            </p>
            <button className="primary" data-testid={`start-${p.id}`} onClick={() => navigate(`/work/${p.id}`)}>
              {t('work.start')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
