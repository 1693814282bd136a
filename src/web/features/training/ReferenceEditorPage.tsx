/**
 * A manager draws (or corrects) a training item's reference in the same editor the
 * workers use, like the gold editor; points set to "not in the image" are sent as such.
 */
import { useEffect, useState } from 'react';
import type { AnnotationData } from '../../../core/annotation';
import type { KeypointTemplate } from '../../../core/templates/template';
import { api, ApiError } from '../../api';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { EditorCanvas } from '../worker/EditorCanvas';
import { HelpToggle, SidePanel } from '../worker/Workspace';
import type { ManagedItem } from './types';
import { asProject, useTrainingEditor } from './useTrainingEditor';

type ItemWithTemplate = ManagedItem & { courseId: number; template: KeypointTemplate };

export default function ReferenceEditorPage({ itemId }: { itemId: number }) {
  const { t, locale } = useI18n();
  const [item, setItem] = useState<ItemWithTemplate | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    api<ItemWithTemplate>('GET', `/api/training/items/${itemId}`).then(setItem, (e) => setMessage(e.message));
  }, [itemId]);
  const { editor, image } = useTrainingEditor(item?.template ?? null, item, 0, item?.reference ?? undefined, true);
  useEffect(() => {
    if (!editor) return;
    return editor.onRequest(async (r) => {
      if (r.type !== 'submit') return;
      // Slots set to [0, 0, 0] were decided "not in the image"; null ones are unplaced.
      const notInImage = editor.document.instances.map((inst) =>
        inst.points.flatMap((p, i) => (p !== null && p[2] === 0 ? [i] : [])),
      );
      try {
        await api('PUT', `/api/training/items/${itemId}/reference`, { data: r.data as AnnotationData, notInImage });
        setMessage(t('training.admin.referenceSaved'));
      } catch (err) {
        setMessage(err instanceof ApiError ? err.message : String(err));
      }
    });
  }, [editor, itemId, t]);
  if (!item || !editor) return <div className="center muted">{message ?? t('app.loading')}</div>;
  return (
    <div className="workspace">
      <div className="work-main">
        <EditorCanvas editor={editor} image={image} />
      </div>
      <aside className="work-side">
        <Link to={`/training/courses/${item.courseId}/manage`}>← {t('app.back')}</Link>
        <h3 className="project-title">{t('training.admin.referenceTitle', { name: item.name })}</h3>
        <SidePanel editor={editor} project={asProject(item.template)} locale={locale} />
        <button className="primary" data-testid="save-reference" onClick={() => editor.submit()}>
          {t('training.admin.saveReference')} <kbd>Enter</kbd>
        </button>
        {message && (
          <p className="notice small" data-testid="notice">
            {message}
          </p>
        )}
      </aside>
      <HelpToggle editor={editor} />
    </div>
  );
}
