/** The organisation's training courses for managers, and a new course from a template. */
import { useEffect, useState } from 'react';
import type { KeypointTemplate } from '../../../core/templates/template';
import { api } from '../../api';
import { Link, navigate } from '../../app/router';
import { localized, useI18n, type MessageKey } from '../../i18n';
import type { CourseView } from './types';
import './training.css';

export default function TrainingAdminPage() {
  const { t, locale } = useI18n();
  const [courses, setCourses] = useState<CourseView[] | null>(null);
  const [templates, setTemplates] = useState<KeypointTemplate[]>([]);
  const [templateId, setTemplateId] = useState('face-68');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ courses: CourseView[] }>('GET', '/api/training/courses').then(
      (r) => setCourses(r.courses),
      (e) => setError(e.message),
    );
    api<{ templates: KeypointTemplate[] }>('GET', '/api/templates').then(
      (r) => setTemplates(r.templates),
      () => {},
    );
  }, []);
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const c = await api<CourseView>('POST', '/api/training/courses', { templateId, title });
      navigate(`/training/courses/${c.id}/manage`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="training">
      <h2>{t('training.admin.title')}</h2>
      <ul className="project-list" data-testid="training-courses">
        {courses?.map((c) => (
          <li key={c.id} className="card">
            <h3>{c.title}</h3>
            <p className="muted small">
              {localized(locale, c.templateName)} · {t(`training.admin.status.${c.status}` as MessageKey)}
            </p>
            {c.counts && (
              <p className="small">
                {t('training.admin.counts', {
                  lessons: c.counts.lessons,
                  practice: c.counts.practice,
                  exam: c.counts.exam,
                })}
              </p>
            )}
            <Link to={`/training/courses/${c.id}/manage`} className="button">
              {t('training.admin.manage')}
            </Link>
          </li>
        ))}
      </ul>
      <form className="card" onSubmit={create}>
        <h3>{t('training.admin.new')}</h3>
        <div className="form-grid">
          <label>
            {t('training.admin.template')}
            <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              {templates.map((tp) => (
                <option key={tp.id} value={tp.id}>
                  {localized(locale, tp.name)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('training.admin.courseTitle')}
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
          </label>
        </div>
        <button className="primary" type="submit">
          {t('training.admin.create')}
        </button>
        {error && <p className="error small">{error}</p>}
      </form>
    </section>
  );
}
