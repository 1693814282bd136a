/** A course's title, description, status, pass marks, levels and cool-down. */
import { useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import type { CourseView } from './types';

export function CourseSettings({ course, onSaved }: { course: CourseView; onSaved: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({
    title: course.title,
    description: course.description,
    status: course.status,
    passAccuracy: Math.round(course.exam.passAccuracy * 100),
    passCompleteness: Math.round(course.exam.passCompleteness * 100),
    level2Accuracy: Math.round(course.exam.level2Accuracy * 100),
    level3Accuracy: Math.round(course.exam.level3Accuracy * 100),
    cooldownMinutes: course.exam.cooldownMinutes,
  });
  const [note, setNote] = useState<string | null>(null);
  const num = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setF({ ...f, [k]: Number(e.target.value) });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await api('PATCH', `/api/training/courses/${course.id}`, {
        title: f.title,
        description: f.description,
        status: f.status,
        passAccuracy: f.passAccuracy / 100,
        passCompleteness: f.passCompleteness / 100,
        level2Accuracy: f.level2Accuracy / 100,
        level3Accuracy: f.level3Accuracy / 100,
        cooldownMinutes: f.cooldownMinutes,
      });
      setNote(t('training.admin.saved'));
      onSaved();
    } catch (err) {
      setNote((err as Error).message);
    }
  };
  return (
    <form className="card" onSubmit={save} data-testid="course-settings">
      <h3>{t('training.admin.settings')}</h3>
      <div className="form-grid">
        <label>
          {t('training.admin.courseTitle')}
          <input value={f.title} onChange={(e) => setF({ ...f, title: e.target.value })} />
        </label>
        <label>
          {t('training.admin.status')}
          <select value={f.status} onChange={(e) => setF({ ...f, status: e.target.value as CourseView['status'] })}>
            <option value="draft">{t('training.admin.status.draft')}</option>
            <option value="published">{t('training.admin.status.published')}</option>
          </select>
        </label>
        <label>
          {t('training.admin.passAccuracy')}
          <input type="number" min={0} max={100} value={f.passAccuracy} onChange={num('passAccuracy')} />
        </label>
        <label>
          {t('training.admin.passCompleteness')}
          <input type="number" min={0} max={100} value={f.passCompleteness} onChange={num('passCompleteness')} />
        </label>
        <label>
          {t('training.admin.level2')}
          <input type="number" min={0} max={100} value={f.level2Accuracy} onChange={num('level2Accuracy')} />
        </label>
        <label>
          {t('training.admin.level3')}
          <input type="number" min={0} max={100} value={f.level3Accuracy} onChange={num('level3Accuracy')} />
        </label>
        <label>
          {t('training.admin.cooldown')}
          <input type="number" min={0} max={10080} value={f.cooldownMinutes} onChange={num('cooldownMinutes')} />
        </label>
        <label className="wide">
          {t('training.admin.description')}
          <textarea rows={4} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
        </label>
      </div>
      <button className="primary" type="submit">
        {t('training.admin.save')}
      </button>
      {note && <span className="small muted"> {note}</span>}
    </form>
  );
}
