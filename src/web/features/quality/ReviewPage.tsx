import { useCallback, useEffect, useState } from 'react';
import type { AnnotationData } from '../../../core/annotation';
import { REJECT_REASONS, type RejectReason } from '../../../core/api/reasons';
import { api, ApiError, type Project } from '../../api';
import { Link } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n';
import { AnswerOverlay, WORKER_COLORS } from '../manager/ItemPage';

interface ReviewTask {
  item: { id: number; name: string; width: number; height: number; reason: 'flagged' | 'sampled' };
  imageUrl: string;
  consensus: { data: AnnotationData; agreement: number } | null;
  submissions: { annotationId: number; workerId: number; status: string; data: AnnotationData }[];
}

export function ReviewPage({ projectId }: { projectId: number }) {
  const { t } = useI18n();
  const [project, setProject] = useState<Project | null>(null);
  const [task, setTask] = useState<ReviewTask | null | undefined>(undefined);
  const [focus, setFocus] = useState<number | null>(null);
  const [reason, setReason] = useState<RejectReason>('wrong_points');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  const next = useCallback(() => {
    setFocus(null);
    setComment('');
    api<{ review: ReviewTask | null }>('GET', `/api/projects/${projectId}/review/next`).then(
      (r) => setTask(r.review),
      (e) => setError(e.message),
    );
  }, [projectId]);
  useEffect(() => {
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setError(e.message));
    next();
  }, [projectId, next]);

  const verdict = async (annotationId: number, v: 'accept' | 'reject') => {
    try {
      await api(
        'POST',
        `/api/annotations/${annotationId}/review`,
        v === 'accept' ? { verdict: v } : { verdict: v, reasonCode: reason, comment: comment || undefined },
      );
      const rest = task!.submissions.filter((s) => s.annotationId !== annotationId && s.status === 'submitted');
      if (rest.length === 0) next();
      else
        setTask({
          ...task!,
          submissions: task!.submissions.map((s) =>
            s.annotationId === annotationId ? { ...s, status: v === 'accept' ? 'accepted' : 'rejected' } : s,
          ),
        });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!project || task === undefined) return <p className="muted">{t('app.loading')}</p>;
  return (
    <section>
      <p>
        <Link to={`/projects/${projectId}`}>← {project.name}</Link>
      </p>
      <h2>{t('review.title')}</h2>
      {task === null ? (
        <p className="muted" data-testid="review-empty">
          {t('review.empty')}
        </p>
      ) : (
        <div className="item-view">
          <div className="overlay-wrap">
            <img src={task.imageUrl} alt={task.item.name} />
            <svg viewBox={`0 0 ${task.item.width} ${task.item.height}`} className="overlay">
              {task.consensus && (
                <AnswerOverlay
                  data={task.consensus.data}
                  template={project.template}
                  color="#ffffff"
                  size={task.item.width}
                  dashed
                />
              )}
              {task.submissions.map((s, i) =>
                focus !== null && focus !== s.annotationId ? null : (
                  <AnswerOverlay
                    key={s.annotationId}
                    data={s.data}
                    template={project.template}
                    color={WORKER_COLORS[i % WORKER_COLORS.length]}
                    size={task.item.width}
                  />
                ),
              )}
            </svg>
          </div>
          <div className="review-side">
            <p>
              <b>{task.item.name}</b> · {t(`review.reason.${task.item.reason}` as MessageKey)}
              {task.consensus && <> · {t('review.agreement', { a: Math.round(task.consensus.agreement * 100) })}</>}
            </p>
            <label>
              {t('review.rejectReason')}
              <select
                value={reason}
                onChange={(e) => setReason(e.target.value as RejectReason)}
                data-testid="reject-reason"
              >
                {REJECT_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`review.code.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('review.comment')}
              <input value={comment} onChange={(e) => setComment(e.target.value)} data-testid="reject-comment" />
            </label>
            <ul className="legend">
              {task.submissions.map((s, i) => (
                <li
                  key={s.annotationId}
                  onMouseEnter={() => setFocus(s.annotationId)}
                  onMouseLeave={() => setFocus(null)}
                >
                  <span className="swatch" style={{ background: WORKER_COLORS[i % WORKER_COLORS.length] }} />{' '}
                  {t('review.answer', { n: i + 1 })}{' '}
                  {s.status === 'submitted' ? (
                    <>
                      <button
                        onClick={() => void verdict(s.annotationId, 'accept')}
                        data-testid={`accept-${s.annotationId}`}
                      >
                        {t('review.accept')}
                      </button>
                      <button
                        onClick={() => void verdict(s.annotationId, 'reject')}
                        data-testid={`reject-${s.annotationId}`}
                      >
                        {t('review.reject')}
                      </button>
                    </>
                  ) : (
                    <span className="muted">{t(`review.status.${s.status}` as MessageKey)}</span>
                  )}
                </li>
              ))}
            </ul>
            <p className="small muted">{t('review.consensusHint')}</p>
          </div>
        </div>
      )}
    </section>
  );
}
