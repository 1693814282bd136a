import { useEffect, useState } from 'react';
import { yuanToFen } from '../../../core/pay/money';
import { api, type Project } from '../../api';
import { useI18n } from '../../i18n';
import type { BonusTier, ProjectPay } from './pay-api';

const yuanText = (fen: number) => (fen / 100).toFixed(2);

/** A project's piece rate, bonus tiers by accuracy, hourly floor and acceptance threshold. */
export function ProjectPaySettings() {
  const { t } = useI18n();
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectId, setProjectId] = useState<number | null>(null);
  const [form, setForm] = useState<{ rate: string; floor: string; oks: string; tiers: BonusTier[] } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api<{ projects: Project[] }>('GET', '/api/projects').then((r) => {
      setProjects(r.projects);
      if (r.projects.length) setProjectId(r.projects[0].id);
    });
  }, []);
  useEffect(() => {
    if (projectId === null) return;
    setMessage(null);
    api<ProjectPay>('GET', `/api/projects/${projectId}/pay`).then((p) =>
      setForm({
        rate: yuanText(p.pieceRateFen),
        floor: yuanText(p.hourlyFloorFen),
        oks: String(p.acceptOks),
        tiers: p.bonusTiers,
      }),
    );
  }, [projectId]);

  if (projects.length === 0 || !form || projectId === null) return null;
  const setTier = (i: number, patch: Partial<BonusTier>) =>
    setForm({ ...form, tiers: form.tiers.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const pieceRateFen = yuanToFen(form.rate);
    const hourlyFloorFen = yuanToFen(form.floor);
    const acceptOks = Number(form.oks);
    if (pieceRateFen === null || hourlyFloorFen === null || !(acceptOks >= 0 && acceptOks <= 1)) {
      return setMessage({ ok: false, text: t('pay.badAmount') });
    }
    try {
      await api('PUT', `/api/projects/${projectId}/pay`, {
        pieceRateFen,
        hourlyFloorFen,
        acceptOks,
        bonusTiers: form.tiers,
      });
      setMessage({ ok: true, text: t('pay.saved') });
    } catch (err) {
      setMessage({ ok: false, text: t('error.generic', { message: (err as Error).message }) });
    }
  };
  return (
    <form className="card" onSubmit={save} data-testid="project-pay">
      <h3>{t('pay.projectSettings')}</h3>
      <p>
        <select value={projectId} onChange={(e) => setProjectId(Number(e.target.value))}>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </p>
      <div className="form-grid">
        <label>
          {t('pay.pieceRate')}
          <input value={form.rate} inputMode="decimal" onChange={(e) => setForm({ ...form, rate: e.target.value })} />
        </label>
        <label>
          {t('pay.hourlyFloor')}
          <input value={form.floor} inputMode="decimal" onChange={(e) => setForm({ ...form, floor: e.target.value })} />
        </label>
        <label>
          {t('pay.acceptOks')}
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={form.oks}
            onChange={(e) => setForm({ ...form, oks: e.target.value })}
          />
        </label>
      </div>
      <h4>{t('pay.tiers')}</h4>
      {form.tiers.map((tier, i) => (
        <p key={i}>
          {t('pay.tierFrom')}{' '}
          <input
            type="number"
            min={0}
            max={100}
            value={Math.round(tier.minAccuracy * 100)}
            onChange={(e) => setTier(i, { minAccuracy: Number(e.target.value) / 100 })}
            style={{ width: 70 }}
          />
          % · {t('pay.tierBonus')}{' '}
          <input
            type="number"
            min={0}
            max={100}
            value={tier.bonusPct}
            onChange={(e) => setTier(i, { bonusPct: Math.round(Number(e.target.value)) })}
            style={{ width: 70 }}
          />
          %{' '}
          <button
            type="button"
            className="link"
            onClick={() => setForm({ ...form, tiers: form.tiers.filter((_, k) => k !== i) })}
          >
            {t('pay.remove')}
          </button>
        </p>
      ))}
      <p>
        <button
          type="button"
          disabled={form.tiers.length >= 10}
          onClick={() => setForm({ ...form, tiers: [...form.tiers, { minAccuracy: 0.9, bonusPct: 10 }] })}
        >
          {t('pay.addTier')}
        </button>{' '}
        <button className="primary">{t('pay.save')}</button>
      </p>
      {message && <p className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
      <p className="muted small">{t('pay.settingsNote')}</p>
    </form>
  );
}
