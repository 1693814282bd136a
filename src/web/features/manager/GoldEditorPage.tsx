/**
 * A manager draws (or corrects) an item's gold reference in the same editor the
 * workers use, then saves it.
 */
import { useEffect, useMemo, useState } from 'react';
import type { AnnotationData } from '../../../core/annotation';
import { api, ApiError, type ItemDetail, type Project } from '../../api';
import { Link } from '../../app/router';
import { Editor } from '../../editor';
import { useI18n } from '../../i18n';
import { EditorCanvas } from '../worker/EditorCanvas';
import { HelpToggle, SidePanel } from '../worker/Workspace';
import { referenceCheck } from './gold-check';

export function GoldEditorPage({ projectId, itemId }: { projectId: number; itemId: number }) {
  const { t, locale } = useI18n();
  const [project, setProject] = useState<Project | null>(null);
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [start, setStart] = useState<AnnotationData | null | undefined>(undefined);
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setMessage(e.message));
    api<ItemDetail>('GET', `/api/items/${itemId}`).then(setItem, (e) => setMessage(e.message));
    api<{ data: AnnotationData }>('GET', `/api/items/${itemId}/gold`).then(
      (g) => setStart(g.data),
      () => setStart(null),
    );
    const img = new Image();
    img.src = `/api/items/${itemId}/image`;
    img.decode().then(
      () => setImage(img),
      () => {},
    );
  }, [projectId, itemId]);

  const editor = useMemo(() => {
    if (!project || !item || start === undefined) return null;
    // Start from the current reference, else from the first worker's answer, else empty.
    // A stored reference's hidden points were decided; a worker's may just be unplaced.
    const data = start ?? item.submissions[0]?.data;
    return new Editor({
      template: project.template,
      imageWidth: item.width,
      imageHeight: item.height,
      data,
      loadOptions: { zeroAs: start ? 'not-in-image' : 'unplaced' },
    });
  }, [project, item, start]);

  useEffect(() => {
    if (!editor) return;
    return editor.onRequest(async (r) => {
      if (r.type !== 'submit') return;
      // A reference must be complete (the server refuses it otherwise): say what is missing.
      const check = referenceCheck(editor.document);
      if (check.empty) return setMessage(t('gold.empty'));
      if (check.missing) {
        const { instance, points } = check.missing;
        const names = points.map((j) => editor.template.points[j].name[locale === 'en' ? 'en' : 'zh']);
        const shown = names.slice(0, 8).join(locale === 'en' ? ', ' : '、') + (names.length > 8 ? '…' : '');
        return setMessage(t('gold.incomplete', { face: instance + 1, n: points.length, points: shown }));
      }
      try {
        await api('PUT', `/api/items/${itemId}/gold`, { data: r.data, notInImage: check.notInImage });
        setMessage(t('item.goldSet'));
      } catch (err) {
        setMessage(err instanceof ApiError ? err.message : String(err));
      }
    });
  }, [editor, itemId, t, locale]);

  if (!project || !item || !editor) return <div className="center muted">{message ?? t('app.loading')}</div>;
  return (
    <div className="workspace">
      <div className="work-main">
        <EditorCanvas editor={editor} image={image} />
      </div>
      <aside className="work-side">
        <Link to={`/projects/${projectId}/items/${itemId}`}>← {t('app.back')}</Link>
        <h3 className="project-title">
          {t('item.goldEditor')} · {item.name}
        </h3>
        <SidePanel editor={editor} project={project} locale={locale} />
        <button className="primary" data-testid="save-gold" onClick={() => editor.submit()}>
          {t('item.saveGold')} <kbd>Enter</kbd>
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
