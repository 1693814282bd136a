import { useCallback, useEffect, useState } from 'react';
import type { AnnotationData } from '../../../core/annotation';
import type { KeypointTemplate } from '../../../core/templates/template';
import { api, ApiError, type ItemDetail, type Project } from '../../api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';

/** Distinct colours for up to a dozen workers' answers drawn over one image. */
export const WORKER_COLORS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#008080',
  '#9a6324',
];

export function ItemPage({ projectId, itemId }: { projectId: number; itemId: number }) {
  const { t } = useI18n();
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [project, setProject] = useState<Project | null>(null);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [consensus, setConsensus] = useState<{ data: AnnotationData; agreement: number } | null>(null);
  const [gold, setGold] = useState<{ data: AnnotationData; source: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(() => {
    api<ItemDetail>('GET', `/api/items/${itemId}`).then(setItem, (e) => setError(e.message));
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setError(e.message));
    api<{ data: AnnotationData; agreement: number }>('GET', `/api/items/${itemId}/consensus`).then(setConsensus, () =>
      setConsensus(null),
    );
    api<{ data: AnnotationData; source: string }>('GET', `/api/items/${itemId}/gold`).then(setGold, () =>
      setGold(null),
    );
  }, [itemId, projectId]);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      setMessage(done);
      load();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : String(err));
    }
  };

  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!item || !project) return <p className="muted">{t('app.loading')}</p>;
  return (
    <section>
      <p>
        <Link to={`/projects/${projectId}`}>← {project.name}</Link>
      </p>
      <h2>{item.name}</h2>
      <div className="item-view">
        <div className="overlay-wrap">
          <img src={`/api/items/${item.id}/image`} alt={item.name} />
          <svg viewBox={`0 0 ${item.width} ${item.height}`} className="overlay" data-testid="submission-overlay">
            {gold && !hidden.has(-2) && (
              <AnswerOverlay data={gold.data} template={project.template} color="#ffd43b" size={item.width} dashed />
            )}
            {consensus && !hidden.has(-1) && (
              <AnswerOverlay
                data={consensus.data}
                template={project.template}
                color="#ffffff"
                size={item.width}
                dashed
              />
            )}
            {item.submissions.map((s, i) =>
              hidden.has(s.id) ? null : (
                <AnswerOverlay
                  key={s.id}
                  data={s.data}
                  template={project.template}
                  color={WORKER_COLORS[i % WORKER_COLORS.length]}
                  size={item.width}
                />
              ),
            )}
          </svg>
        </div>
        <ul className="legend">
          {gold && (
            <li>
              <span className="swatch" style={{ background: '#ffd43b' }} /> {t('item.gold', { source: gold.source })}{' '}
              <button
                className="link"
                onClick={() => void act(() => api('DELETE', `/api/items/${item.id}/gold`), t('item.goldRemoved'))}
              >
                {t('item.removeGold')}
              </button>
            </li>
          )}
          {consensus && (
            <li>
              <span className="swatch" style={{ background: '#fff', border: '1px solid #999' }} />{' '}
              {t('item.consensus', { a: Math.round(consensus.agreement * 100) })}{' '}
              <button
                className="link"
                data-testid="promote"
                onClick={() => void act(() => api('POST', `/api/items/${item.id}/gold/promote`), t('item.goldSet'))}
              >
                {t('item.promote')}
              </button>
            </li>
          )}
          <li>
            <Link to={`/projects/${projectId}/items/${item.id}/gold`}>
              {gold ? t('item.editGold') : t('item.drawGold')}
            </Link>
          </li>
          {message && <li className="notice small">{message}</li>}
          {item.submissions.length === 0 && <li className="muted">{t('item.none')}</li>}
          {item.submissions.map((s, i) => (
            <li key={s.id}>
              <label>
                <input
                  type="checkbox"
                  checked={!hidden.has(s.id)}
                  onChange={() => {
                    const h = new Set(hidden);
                    if (h.has(s.id)) h.delete(s.id);
                    else h.add(s.id);
                    setHidden(h);
                  }}
                />
                <span className="swatch" style={{ background: WORKER_COLORS[i % WORKER_COLORS.length] }} />
                {t('item.submissionBy', { worker: s.worker })} · {(s.activeMs / 1000).toFixed(0)} s
              </label>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

export function AnswerOverlay({
  data,
  template,
  color,
  size,
  dashed = false,
}: {
  data: AnnotationData;
  template: KeypointTemplate;
  color: string;
  size: number;
  dashed?: boolean;
}) {
  const r = Math.max(1.5, size / 300);
  return (
    <g>
      {data.instances.map((inst, k) => (
        <g key={k}>
          {inst.bbox && (
            <rect
              x={inst.bbox[0]}
              y={inst.bbox[1]}
              width={inst.bbox[2]}
              height={inst.bbox[3]}
              fill="none"
              stroke={color}
              strokeWidth={r / 2}
              strokeDasharray={`${r * 2} ${r}`}
            />
          )}
          {template.skeleton.map(([a, b], i) => {
            const p = inst.points[a];
            const q = inst.points[b];
            if (!p || !q || p[2] === 0 || q[2] === 0) return null;
            return (
              <line
                key={i}
                x1={p[0]}
                y1={p[1]}
                x2={q[0]}
                y2={q[1]}
                stroke={color}
                strokeWidth={r / 2.5}
                opacity={0.7}
                strokeDasharray={dashed ? `${r} ${r}` : undefined}
              />
            );
          })}
          {inst.points.map(([x, y, v], i) =>
            v === 0 ? null : (
              <circle key={i} cx={x} cy={y} r={r} fill={v === 2 ? color : 'none'} stroke={color} strokeWidth={r / 2} />
            ),
          )}
        </g>
      ))}
    </g>
  );
}
