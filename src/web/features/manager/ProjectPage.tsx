import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ItemSummary, type Project, type User } from '../../api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ExportForm } from './ExportForm';
import { ProjectCard } from './ProjectsPage';
import { QualitySettings } from './QualitySettings';

const PAGE = 60;

export function ProjectPage({ projectId, user }: { projectId: number; user: User }) {
  const { t } = useI18n();
  const [project, setProject] = useState<Project | null>(null);
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [next, setNext] = useState<number | null>(0);
  const [error, setError] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);

  const loadProject = useCallback(() => {
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setError(e.message));
  }, [projectId]);
  const loadItems = useCallback(
    async (after: number, replace: boolean) => {
      const r = await api<{ items: ItemSummary[]; next: number | null }>(
        'GET',
        `/api/projects/${projectId}/items?after=${after}&limit=${PAGE}`,
      );
      setItems((old) => (replace ? r.items : [...old, ...r.items]));
      setNext(r.next);
    },
    [projectId],
  );
  useEffect(() => {
    loadProject();
    loadItems(0, true).catch((e) => setError(e.message));
  }, [loadProject, loadItems]);

  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!project) return <p className="muted">{t('app.loading')}</p>;
  const canUpload = ['admin', 'manager', 'client'].includes(user.role);
  const canManage = ['admin', 'manager'].includes(user.role);
  return (
    <section>
      <p>
        <Link to="/">← {t('home.projects')}</Link>
      </p>
      <ul className="project-list single">
        <ProjectCard project={project} href={`/projects/${project.id}`} />
      </ul>
      <ExportForm projectId={project.id} user={user} />
      <div className="row wrap">
        {user.role !== 'client' && (
          <>
            <Link to={`/projects/${project.id}/quality`} className="button">
              {t('quality.title')}
            </Link>
            <Link to={`/projects/${project.id}/review`} className="button">
              {t('review.title')}
            </Link>
          </>
        )}
        {canManage && (
          <button className="link" onClick={() => setShowSettings((v) => !v)} data-testid="toggle-settings">
            {t('settings.quality')}
          </button>
        )}
      </div>
      {canManage && showSettings && <QualitySettings project={project} onSaved={loadProject} />}
      {canUpload && (
        <UploadZone
          projectId={project.id}
          onDone={() => {
            loadProject();
            void loadItems(0, true);
          }}
        />
      )}
      <h3>{t('project.items')}</h3>
      {items.length === 0 && <p className="muted">{t('project.noItems')}</p>}
      <ul className="thumbs">
        {items.map((it) => (
          <li key={it.id}>
            <Link to={`/projects/${project.id}/items/${it.id}`}>
              <img src={`/api/items/${it.id}/preview`} alt={it.name} loading="lazy" />
              <span className="small">{it.name}</span>
              <span className="small muted">{t('project.submissions', { n: it.submitted })}</span>
            </Link>
          </li>
        ))}
      </ul>
      {next !== null && items.length > 0 && (
        <button onClick={() => loadItems(next, false)}>{t('project.loadMore')}</button>
      )}
    </section>
  );
}

/** Drag-and-drop upload with a progress bar (XMLHttpRequest reports upload progress; fetch does not). */
function UploadZone({ projectId, onDone }: { projectId: number; onDone: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [over, setOver] = useState(false);

  const upload = (files: FileList | File[]) => {
    const list = [...files];
    if (list.length === 0) return;
    const form = new FormData();
    for (const f of list) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/projects/${projectId}/images`);
    xhr.upload.onprogress = (e) => e.lengthComputable && setPercent(Math.round((100 * e.loaded) / e.total));
    xhr.onload = () => {
      setPercent(null);
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* reported below */
      }
      if (xhr.status === 201) {
        // Folders are structure, not files; documents and system files in an archive are worth naming.
        const skipped = ((body.skipped ?? []) as { name: string; reason: string }[]).filter(
          (s) => s.reason !== 'folder',
        );
        const names =
          skipped
            .slice(0, 3)
            .map((s) => s.name)
            .join(', ') + (skipped.length > 3 ? ' …' : '');
        setMessage({
          ok: true,
          text:
            t('project.uploaded', { added: body.added, dup: body.duplicates }) +
            (skipped.length > 0 ? t('project.uploadSkipped', { n: skipped.length, names }) : ''),
        });
        onDone();
      } else {
        setMessage({ ok: false, text: body?.error?.message ?? xhr.statusText });
      }
    };
    xhr.onerror = () => {
      setPercent(null);
      setMessage({ ok: false, text: t('error.network') });
    };
    setMessage(null);
    setPercent(0);
    xhr.send(form);
  };

  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        upload(e.dataTransfer.files);
      }}
      onClick={() => input.current?.click()}
    >
      <input
        ref={input}
        type="file"
        multiple
        accept="image/jpeg,image/png,image/webp,.zip"
        hidden
        data-testid="file-input"
        onChange={(e) => e.target.files && upload(e.target.files)}
      />
      <strong>{t('project.upload')}</strong>
      <span className="muted">{t('project.dropHere')}</span>
      {percent !== null && (
        <>
          <div className="progress">
            <div style={{ width: `${percent}%` }} />
          </div>
          <span>{t('project.uploading', { percent })}</span>
        </>
      )}
      {message && (
        <span className={message.ok ? 'ok' : 'error'} role="status" data-testid="upload-result">
          {message.text}
        </span>
      )}
    </div>
  );
}
