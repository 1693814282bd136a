/**
 * The exam: its items one after another in the editor, no reference ever shown; at the
 * end the result (passed or not, accuracy, completeness, each item's score, the level)
 * and, after a failure, the cool-down before a retry.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api';
import { Link, navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { EditorCanvas } from '../worker/EditorCanvas';
import { HelpToggle, SidePanel } from '../worker/Workspace';
import { Cooldown } from './Cooldown';
import { pct, type ExamAttemptView, type ExamResultView } from './types';
import { asProject, useTrainingEditor } from './useTrainingEditor';
import './training.css';

type State =
  | { kind: 'loading' }
  | { kind: 'open'; attempt: ExamAttemptView; index: number }
  | { kind: 'result'; result: ExamResultView }
  | { kind: 'cooldown'; leftMs: number }
  | { kind: 'error'; message: string };

export default function ExamPage({ courseId }: { courseId: number }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const start = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const attempt = await api<ExamAttemptView>('POST', `/api/training/courses/${courseId}/exam`);
      const next = attempt.items.findIndex((i) => !i.answered);
      setState({ kind: 'open', attempt, index: next === -1 ? attempt.items.length - 1 : next });
    } catch (err) {
      if (err instanceof ApiError && err.id === 'exam_cooldown') {
        setState({ kind: 'cooldown', leftMs: await cooldownOf(courseId) });
      } else setState({ kind: 'error', message: (err as Error).message });
    }
  }, [courseId]);

  useEffect(() => {
    void start();
  }, [start]);

  const finish = useCallback(async (attemptId: number) => {
    try {
      setState({
        kind: 'result',
        result: await api<ExamResultView>('POST', `/api/training/attempts/${attemptId}/finish`),
      });
    } catch (err) {
      setState({ kind: 'error', message: (err as Error).message });
    }
  }, []);

  if (state.kind === 'loading') return <div className="center muted">{t('app.loading')}</div>;
  if (state.kind === 'error')
    return <div className="center error">{t('error.generic', { message: state.message })}</div>;
  if (state.kind === 'cooldown' || state.kind === 'result') {
    return (
      <div className="page training">
        <Link to={`/training/courses/${courseId}`}>← {t('training.lesson.backToCourse')}</Link>
        {state.kind === 'result' ? (
          <ExamResult result={state.result} onRetry={() => void start()} />
        ) : (
          <div className="card exam-result">
            <Cooldown leftMs={state.leftMs} />
            <button onClick={() => void start()} data-testid="exam-retry">
              {t('training.exam.retry')}
            </button>
          </div>
        )}
      </div>
    );
  }
  return (
    <ExamItem
      key={state.attempt.items[state.index].id}
      attempt={state.attempt}
      index={state.index}
      onAnswered={() => {
        const items = state.attempt.items.map((it, i) => (i === state.index ? { ...it, answered: true } : it));
        const attempt = { ...state.attempt, items };
        const next = items.findIndex((i) => !i.answered);
        if (next === -1) void finish(attempt.id);
        else setState({ kind: 'open', attempt, index: next });
      }}
      onFinish={() => void finish(state.attempt.id)}
      onExpired={() => void start()}
    />
  );
}

/** The wait left after a failure, from the course page's exam state (the server's clock). */
async function cooldownOf(courseId: number): Promise<number> {
  const c = await api<{ exam: { cooldownLeftMs: number } }>('GET', `/api/training/courses/${courseId}`);
  return c.exam.cooldownLeftMs;
}

function ExamItem({
  attempt,
  index,
  onAnswered,
  onFinish,
  onExpired,
}: {
  attempt: ExamAttemptView;
  index: number;
  onAnswered: () => void;
  onFinish: () => void;
  onExpired: () => void;
}) {
  const { t, locale } = useI18n();
  const item = attempt.items[index];
  const { editor, image } = useTrainingEditor(attempt.template, item);
  const [warned, setWarned] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = useCallback(async () => {
    if (!editor || busy) return;
    const p = editor.progress();
    const missing = p.overall.total - p.overall.placed;
    // An accidental Enter must not hand in an empty face: the first press warns, the second submits.
    if ((missing > 0 || p.instances === 0) && !warned) {
      setWarned(true);
      return;
    }
    setBusy(true);
    try {
      await api('PUT', `/api/training/attempts/${attempt.id}/answers/${item.id}`, { data: editor.toAnnotation() });
      onAnswered();
    } catch (err) {
      if (err instanceof ApiError && (err.id === 'exam_expired' || err.id === 'exam_finished')) onExpired();
      else setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  }, [editor, busy, warned, attempt.id, item.id, onAnswered, onExpired]);

  useEffect(() => {
    if (!editor) return;
    // Only a change to her answer takes the warning back: the camera fitting a photo that
    // finished loading after the first press must not make her press twice again.
    let answer = editor.document;
    const offChange = editor.onChange((e) => {
      if (e.document === answer) return;
      answer = e.document;
      setWarned(false);
    });
    const offRequest = editor.onRequest((r) => {
      if (r.type === 'submit') void submit();
    });
    return () => {
      offChange();
      offRequest();
    };
  }, [editor, submit]);

  if (!editor) return <div className="center muted">{t('app.loading')}</div>;
  const p = editor.progress();
  const missing = p.overall.total - p.overall.placed;
  return (
    <div className="workspace">
      <div className="work-main">
        <EditorCanvas editor={editor} image={image} />
      </div>
      <aside className="work-side">
        <h3 className="project-title" data-testid="exam-progress">
          {t('training.exam.title', { index: index + 1, total: attempt.items.length })}
        </h3>
        <p className="muted small">{t('training.exam.noReference')}</p>
        <SidePanel editor={editor} project={asProject(attempt.template)} locale={locale} />
        {warned && (
          <p className="notice small" data-testid="exam-incomplete">
            {t('training.exam.confirmIncomplete', { n: p.instances === 0 ? attempt.template.points.length : missing })}
          </p>
        )}
        <button className="primary" data-testid="exam-submit" disabled={busy} onClick={() => void submit()}>
          {t('training.exam.submit')} <kbd>Enter</kbd>
        </button>
        <button className="link" data-testid="exam-finish" onClick={onFinish}>
          {t('training.exam.finish')}
        </button>
        {error && <p className="error small">{error}</p>}
      </aside>
      <HelpToggle editor={editor} />
    </div>
  );
}

function ExamResult({ result, onRetry }: { result: ExamResultView; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div
      className={`card exam-result ${result.passed ? 'passed' : 'failed'}`}
      data-testid="exam-result"
      data-status={result.status}
    >
      <h2>{result.passed ? t('training.exam.passed', { level: result.level ?? 1 }) : t('training.exam.failed')}</h2>
      <p>{t('training.exam.accuracy', { value: pct(result.accuracy), mark: pct(result.passAccuracy) })}</p>
      <p>{t('training.exam.completeness', { value: pct(result.completeness), mark: pct(result.passCompleteness) })}</p>
      <table className="table">
        <tbody>
          {result.items.map((i) => (
            <tr key={i.position}>
              <td>{t('training.exam.item', { n: i.position })}</td>
              <td>
                {i.answered ? t('training.exam.itemScore', { score: pct(i.score) }) : t('training.exam.unanswered')}
              </td>
              <td>{i.answered && !i.complete ? t('training.practice.incomplete') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.passed ? (
        <>
          {(result.liftedSuspensions?.length ?? 0) > 0 && <p className="ok">{t('training.exam.lifted')}</p>}
          <button className="primary" onClick={() => navigate('/')} data-testid="exam-to-work">
            {t('training.exam.toWork')}
          </button>
        </>
      ) : (
        <>
          {result.cooldownLeftMs > 0 && <Cooldown leftMs={result.cooldownLeftMs} />}
          <div className="row">
            <button onClick={() => navigate(`/training/courses/${result.courseId}`)}>
              {t('training.exam.toPractice')}
            </button>
            <button onClick={onRetry} data-testid="exam-retry">
              {t('training.exam.retry')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
