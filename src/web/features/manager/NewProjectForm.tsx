import { useEffect, useState } from 'react';
import type { KeypointTemplate } from '../../../core/templates/template';
import { api, ApiError, type Project } from '../../api';
import { localized, useI18n } from '../../i18n';

export function NewProjectForm({ onCreated, onCancel }: { onCreated: (p: Project) => void; onCancel: () => void }) {
  const { t, locale } = useI18n();
  const [templates, setTemplates] = useState<KeypointTemplate[]>([]);
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('face-68');
  const [overlap, setOverlap] = useState(1);
  const [leaseMinutes, setLeaseMinutes] = useState(30);
  const [pieceRateYuan, setPieceRateYuan] = useState('0.50');
  const [maxInstances, setMaxInstances] = useState(10);
  const [instructions, setInstructions] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ templates: KeypointTemplate[] }>('GET', '/api/templates').then((r) => setTemplates(r.templates));
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const p = await api<Project>('POST', '/api/projects', {
        name,
        templateId,
        overlap,
        leaseSeconds: leaseMinutes * 60,
        // Money is whole fen; the form takes yuan as people think of it.
        pieceRateFen: Math.round(Number(pieceRateYuan) * 100),
        maxInstances,
        instructions,
      });
      onCreated(p);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="project-form">
      <label>
        {t('project.name')}
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </label>
      <label>
        {t('project.template')}
        <select name="template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          {templates.map((tp) => (
            <option key={tp.id} value={tp.id}>
              {localized(locale, tp.name)} ({tp.points.length})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('project.overlap')}
        <input
          name="overlap"
          type="number"
          min={1}
          max={10}
          value={overlap}
          onChange={(e) => setOverlap(Number(e.target.value))}
        />
      </label>
      <label>
        {t('project.leaseMinutes')}
        <input
          name="leaseMinutes"
          type="number"
          min={1}
          max={1440}
          value={leaseMinutes}
          onChange={(e) => setLeaseMinutes(Number(e.target.value))}
        />
      </label>
      <label>
        {t('project.pieceRate')}
        <input
          name="pieceRate"
          inputMode="decimal"
          value={pieceRateYuan}
          onChange={(e) => setPieceRateYuan(e.target.value)}
        />
      </label>
      <label>
        {t('project.maxInstances')}
        <input
          name="maxInstances"
          type="number"
          min={1}
          max={200}
          value={maxInstances}
          onChange={(e) => setMaxInstances(Number(e.target.value))}
        />
      </label>
      <label className="wide">
        {t('project.instructions')}
        <textarea name="instructions" rows={4} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
      </label>
      {error && <p className="error wide">{error}</p>}
      <div className="wide row">
        <button className="primary" type="submit">
          {t('project.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('app.back')}
        </button>
      </div>
    </form>
  );
}
