/**
 * One course for its managers: settings and pass marks, lessons with a preview, lesson
 * images, practice and exam photos with their references, and everyone's results.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { CourseResults } from './CourseResults';
import { CourseSettings } from './CourseSettings';
import { Markdown } from './Markdown';
import type { ManageView } from './types';
import './training.css';

export default function CourseAdminPage({ courseId }: { courseId: number }) {
  const { t } = useI18n();
  const [view, setView] = useState<ManageView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => api<ManageView>('GET', `/api/training/courses/${courseId}/manage`).then(setView, (e) => setError(e.message)),
    [courseId],
  );
  useEffect(() => void load(), [load]);
  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!view) return <p className="muted">{t('app.loading')}</p>;
  const upload = async (url: string, files: FileList | null, kind?: string) => {
    if (!files?.length) return;
    const form = new FormData();
    if (kind) form.append('kind', kind);
    for (const f of files) form.append('file', f, f.name);
    try {
      await api('POST', url, form);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="training">
      <p>
        <Link to="/training">← {t('training.admin.title')}</Link>
      </p>
      <h2>{view.course.title}</h2>
      <CourseSettings course={view.course} onSaved={load} />
      <h3>{t('training.admin.lessons')}</h3>
      {view.lessons.map((l) => (
        <LessonEditor key={l.id} lesson={l} onChanged={load} />
      ))}
      <NewLesson courseId={courseId} onAdded={load} />
      <h3>{t('training.admin.images')}</h3>
      <ul className="small">
        {view.assets.map((a) => (
          <li key={a.sha256}>
            {t('training.admin.imageHint')} <code>{`![${a.name}](${a.url})`}</code>
          </li>
        ))}
      </ul>
      <label className="button">
        {t('training.admin.uploadImage')}
        <input
          type="file"
          accept="image/*"
          hidden
          onChange={(e) => void upload(`/api/training/courses/${courseId}/assets`, e.target.files)}
        />
      </label>
      <h3>{t('training.admin.items')}</h3>
      {(['practice', 'exam'] as const).map((kind) => (
        <div key={kind}>
          <h4>{t(kind === 'practice' ? 'training.course.practice' : 'training.course.exam')}</h4>
          <ul className="thumbs">
            {view.items
              .filter((i) => i.kind === kind)
              .map((i) => (
                <li key={i.id}>
                  <img src={i.imageUrl.replace(/\/image$/, '/preview')} alt="" loading="lazy" />
                  <span className="small">
                    {i.position}. {i.source === 'model' ? t('training.admin.modelMade') : ''}
                  </span>
                  {!i.reference && <span className="small error">{t('training.admin.noReference')}</span>}
                  <Link to={`/training/items/${i.id}/reference`}>
                    {i.reference ? t('training.admin.editReference') : t('training.admin.drawReference')}
                  </Link>
                  <button className="link" onClick={() => void api('DELETE', `/api/training/items/${i.id}`).then(load)}>
                    {t('training.admin.retire')}
                  </button>
                </li>
              ))}
          </ul>
          <label className="button">
            {t(kind === 'practice' ? 'training.admin.uploadPractice' : 'training.admin.uploadExam')}
            <input
              type="file"
              accept="image/*"
              multiple
              hidden
              onChange={(e) => void upload(`/api/training/courses/${courseId}/items`, e.target.files, kind)}
            />
          </label>
        </div>
      ))}
      <CourseResults courseId={courseId} />
    </section>
  );
}

function LessonEditor({ lesson, onChanged }: { lesson: ManageView['lessons'][number]; onChanged: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(lesson.title);
  const [body, setBody] = useState(lesson.body);
  const [preview, setPreview] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const save = async () => {
    try {
      await api('PATCH', `/api/training/lessons/${lesson.id}`, { title, body });
      setNote(t('training.admin.saved'));
    } catch (err) {
      setNote((err as Error).message);
    }
  };
  return (
    <div className="card lesson-editor">
      <label>
        {t('training.admin.lessonTitle')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      {preview ? (
        <Markdown text={body} />
      ) : (
        <label>
          {t('training.admin.lessonBody')}
          <textarea rows={10} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
      )}
      <div className="row">
        <button className="primary" onClick={() => void save()}>
          {t('training.admin.save')}
        </button>
        <button onClick={() => setPreview((p) => !p)}>{t('training.admin.preview')}</button>
        <span className="spacer" />
        <button
          className="link"
          onClick={() => void api('DELETE', `/api/training/lessons/${lesson.id}`).then(onChanged)}
        >
          {t('training.admin.deleteLesson')}
        </button>
      </div>
      {note && <p className="small muted">{note}</p>}
    </div>
  );
}

function NewLesson({ courseId, onAdded }: { courseId: number; onAdded: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    await api('POST', `/api/training/courses/${courseId}/lessons`, { title, body: '' });
    setTitle('');
    onAdded();
  };
  return (
    <form className="row" onSubmit={add}>
      <input
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        required
        placeholder={t('training.admin.lessonTitle')}
      />
      <button type="submit">{t('training.admin.addLesson')}</button>
    </form>
  );
}
