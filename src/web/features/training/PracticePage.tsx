/**
 * A practice item in the annotation editor. After each submission the reference comes
 * back: drawn over the image with a line from each of her points to it, and listed
 * point by point with the error in pixels, largest first.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api';
import { Link, navigate } from '../../app/router';
import { localized, useI18n, type MessageKey } from '../../i18n';
import { EditorCanvas } from '../worker/EditorCanvas';
import { HelpToggle, SidePanel } from '../worker/Workspace';
import { colorFor, FeedbackOverlay } from './FeedbackOverlay';
import { pct, type PracticeFeedback, type PracticeItemDetail } from './types';
import { asProject, useTrainingEditor } from './useTrainingEditor';
import './training.css';

export default function PracticePage({ itemId }: { itemId: number }) {
  const { t, locale } = useI18n();
  const [item, setItem] = useState<PracticeItemDetail | null>(null);
  const [round, setRound] = useState(0);
  const [feedback, setFeedback] = useState<PracticeFeedback | null>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { editor, image } = useTrainingEditor(item?.template ?? null, item, round);

  useEffect(() => {
    setItem(null);
    setFeedback(null);
    setFocus(null);
    api<PracticeItemDetail>('GET', `/api/training/practice/${itemId}`).then(setItem, (e) => setError(e.message));
  }, [itemId]);

  const submit = useCallback(async () => {
    if (!editor || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<PracticeFeedback>('POST', `/api/training/practice/${itemId}/answer`, {
        data: editor.toAnnotation(),
      });
      setFeedback(r);
      setFocus(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }, [editor, busy, itemId]);

  useEffect(() => {
    if (!editor) return;
    return editor.onRequest((r) => {
      if (r.type === 'submit') void submit();
    });
  }, [editor, submit]);

  if (!item || !editor) return <div className="center muted">{error ?? t('app.loading')}</div>;
  const again = () => {
    setFeedback(null);
    setFocus(null);
    setRound((n) => n + 1);
  };
  return (
    <div className="workspace">
      <div className="work-main">
        <EditorCanvas editor={editor} image={image} />
        {feedback && <FeedbackOverlay editor={editor} errors={feedback.errors} focus={focus} />}
      </div>
      <aside className="work-side">
        <div className="row">
          <Link to={`/training/courses/${item.courseId}`}>← {item.courseTitle}</Link>
        </div>
        <h3 className="project-title">{t('training.practice.title', { index: item.index, total: item.total })}</h3>
        {!feedback && <SidePanel editor={editor} project={asProject(item.template)} locale={locale} />}
        {!feedback && (
          <button className="primary" data-testid="practice-submit" disabled={busy} onClick={() => void submit()}>
            {t('training.practice.submit')} <kbd>Enter</kbd>
          </button>
        )}
        {error && <p className="error small">{error}</p>}
        {feedback && (
          <div className="feedback" data-testid="practice-feedback">
            <p>
              <b data-testid="practice-score">{t('training.practice.score', { score: pct(feedback.score) })}</b> ·{' '}
              {feedback.complete ? t('training.practice.complete') : t('training.practice.incomplete')}
              {feedback.meanPx !== null && <> · {t('training.practice.meanPx', { px: feedback.meanPx })}</>}
            </p>
            {feedback.missedInstances > 0 && (
              <p className="error small">{t('training.practice.missedFaces', { n: feedback.missedInstances })}</p>
            )}
            {feedback.extraInstances > 0 && (
              <p className="error small">{t('training.practice.extraFaces', { n: feedback.extraInstances })}</p>
            )}
            <p className="muted small">{t('training.practice.legend')}</p>
            <ol className="error-list" data-testid="practice-error-list">
              {feedback.errors.map((e, i) => (
                <li
                  key={`${e.instance}-${e.index}`}
                  className={i === focus ? 'focused' : ''}
                  data-point={e.id}
                  data-px={e.px ?? ''}
                  onMouseEnter={() => setFocus(i)}
                  onClick={() => setFocus(i)}
                >
                  <span className="swatch" style={{ background: colorFor(e) }} />{' '}
                  {t(`training.error.${e.kind}` as MessageKey, { name: localized(locale, e.name), px: e.px ?? 0 })}
                </li>
              ))}
            </ol>
            <div className="row">
              <button onClick={again} data-testid="practice-again">
                {t('training.practice.again')}
              </button>
              <button
                className="primary grow"
                data-testid="practice-next"
                onClick={() =>
                  navigate(
                    item.nextId !== null ? `/training/practice/${item.nextId}` : `/training/courses/${item.courseId}`,
                  )
                }
              >
                {item.nextId !== null ? t('training.practice.next') : t('training.lesson.backToCourse')}
              </button>
            </div>
            {item.modelMade && <p className="muted small">{t('training.practice.modelNote')}</p>}
          </div>
        )}
      </aside>
      <HelpToggle editor={editor} />
    </div>
  );
}
