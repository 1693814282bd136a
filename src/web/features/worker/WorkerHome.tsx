import { useEffect, useState } from 'react';
import { api, type Project, type User } from '../../api';
import { Link, navigate } from '../../app/router';
import { useI18n, localized, type MessageKey } from '../../i18n';
import { TrainingNotice } from '../training/TrainingNotice';
import type { MyTraining } from '../training/types';

export function WorkerHome({ user }: { user: User }) {
  const { t, locale } = useI18n();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [today, setToday] = useState<{ submitted: number } | null>(null);
  const [training, setTraining] = useState<MyTraining | null>(null);
  useEffect(() => {
    api<{ projects: Project[] }>('GET', '/api/projects').then((r) => setProjects(r.projects));
    api<{ submitted: number }>('GET', '/api/work/today').then(setToday);
    api<MyTraining>('GET', '/api/training/me').then(setTraining, () => {});
  }, []);
  const blocked = (id: number) => training?.projects.some((x) => x.id === id && (!x.certified || x.suspended));
  return (
    <section>
      <h2>{t('home.welcome', { name: user.display_name })}</h2>
      {today && <p className="muted">{t('work.today', { n: today.submitted })}</p>}
      <p>
        <Link to="/me/earnings">{t('pay.myEarnings')}</Link> · <Link to="/me/training">{t('training.my.title')}</Link>
      </p>
      {projects?.length === 0 && <p className="muted">{t('home.noProjects')}</p>}
      <ul className="project-list">
        {projects?.map((p) => (
          <li key={p.id} className="card project-card">
            <h3>{p.name}</h3>
            <p className="muted">
              {localized(locale, p.template.name)} · ¥{(p.pieceRateFen / 100).toFixed(2)}
            </p>
            <MyQuality projectId={p.id} />
            <TrainingNotice training={training} projectId={p.id} />
            {!blocked(p.id) && (
              <button className="primary" data-testid={`start-${p.id}`} onClick={() => navigate(`/work/${p.id}`)}>
                {t('work.start')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

interface MyQualityData {
  status: 'active' | 'warned' | 'suspended';
  accuracy: number | null;
  checked: number;
  thresholds: { warnBelow: number; suspendBelow: number };
  feedback: {
    score: number;
    problems: { code: string; points?: number[]; count?: number; label?: { zh: string; en: string } }[];
  }[];
  /** The page counts her answers up to here and moves once every `every` answers. */
  asOf: { answers: number; every: number };
  rejections: { itemId: number; reason: string | null; comment: string | null; at: string }[];
}

/** A worker's own accuracy and what went wrong, in words: never the reference itself. */
function MyQuality({ projectId }: { projectId: number }) {
  const { t, locale } = useI18n();
  const [q, setQ] = useState<MyQualityData | null>(null);
  useEffect(() => {
    api<MyQualityData>('GET', `/api/projects/${projectId}/my-quality`).then(setQ, () => {});
  }, [projectId]);
  if (!q || (q.checked === 0 && q.rejections.length === 0 && q.status === 'active')) return null;
  const problems = [...new Set(q.feedback.flatMap((f) => f.problems.map((p) => p.code)))];
  // Which part was swapped, in words (左右眉毛互换): the latest one named.
  const swap = q.feedback.flatMap((f) => f.problems).find((p) => p.code === 'left_right_swap' && p.label)?.label;
  return (
    <div className={`my-quality ${q.status}`} data-testid={`my-quality-${projectId}`}>
      <p>
        {t('myq.accuracy', { a: q.accuracy === null ? '—' : Math.round(q.accuracy * 100), n: q.checked })} ·{' '}
        <b>{t(`quality.status.${q.status}` as MessageKey)}</b>
      </p>
      <p className="small">{t('myq.asOf', { n: q.asOf.answers, every: q.asOf.every })}</p>
      {q.status === 'warned' && (
        <p className="small">{t('myq.warned', { w: Math.round(q.thresholds.warnBelow * 100) })}</p>
      )}
      {q.status === 'suspended' && <p className="small">{t('myq.suspended')}</p>}
      {problems.length > 0 && (
        <ul className="small">
          {problems.map((c) => (
            <li key={c}>
              {t(`myq.problem.${c}` as MessageKey)}
              {c === 'left_right_swap' && swap ? ` ${t('myq.swapNamed', { label: localized(locale, swap) })}` : ''}
            </li>
          ))}
        </ul>
      )}
      {q.rejections.length > 0 && (
        <ul className="small">
          {q.rejections.slice(0, 5).map((r, i) => (
            <li key={i}>
              {t('myq.rejected', { reason: t(`review.code.${r.reason ?? 'other'}` as MessageKey) })}
              {r.comment ? `：${r.comment}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
