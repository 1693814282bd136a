import { useEffect, useState } from 'react';
import { api, type Project, type User } from '../../api';
import { Link, navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { NewProjectForm } from './NewProjectForm';

export function ProjectsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ projects: Project[] }>('GET', '/api/projects').then(
      (r) => setProjects(r.projects),
      (e) => setError(e.message),
    );
  }, []);

  const canCreate = user.role === 'admin' || user.role === 'manager';
  return (
    <section>
      <div className="row">
        <h2>{t('home.projects')}</h2>
        <span className="spacer" />
        {canCreate && !creating && (
          <button className="primary" onClick={() => setCreating(true)} data-testid="new-project">
            {t('home.newProject')}
          </button>
        )}
      </div>
      {creating && (
        <NewProjectForm onCancel={() => setCreating(false)} onCreated={(p) => navigate(`/projects/${p.id}`)} />
      )}
      {error && <p className="error">{t('error.generic', { message: error })}</p>}
      {projects === null && !error && <p className="muted">{t('app.loading')}</p>}
      {projects?.length === 0 && <p className="muted">{t('home.noProjects')}</p>}
      <ul className="project-list">
        {projects?.map((p) => (
          <ProjectCard key={p.id} project={p} />
        ))}
      </ul>
    </section>
  );
}

export function ProjectCard({ project: p, href }: { project: Project; href?: string }) {
  const { t, locale } = useI18n();
  const total = p.progress?.items ?? 0;
  const done = p.progress?.itemsFullyClaimed ?? 0;
  const pct = total ? Math.round((100 * done) / total) : 0;
  return (
    <li className="card project-card">
      <Link to={href ?? `/projects/${p.id}`}>
        <h3>{p.name}</h3>
      </Link>
      <p className="muted">
        {locale === 'en' ? p.template.name.en : p.template.name.zh} · {t(`project.status.${p.status}`)} ·{' '}
        {t('project.overlap')} {p.overlap} · ¥{(p.pieceRateFen / 100).toFixed(2)}
      </p>
      {p.progress && (
        <>
          <div className="progress" aria-label="progress">
            <div style={{ width: `${pct}%` }} />
          </div>
          <p className="small muted">{t('project.progress', { done, total, subs: p.progress.submissions })}</p>
        </>
      )}
    </li>
  );
}
