/**
 * The worker's workspace: the current item in the editor, the next one fetched ahead,
 * drafts kept in IndexedDB, and submissions sent through the outbox so a dropped
 * connection never stops the work or loses it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { SKIP_REASONS } from '../../../core/api/reasons';
import { api, ApiError, type Lease, type Project, type User } from '../../api';
import { Editor } from '../../editor';
import { localized, useI18n, type MessageKey } from '../../i18n';
import { EditorCanvas } from './EditorCanvas';
import { HelpOverlay } from './HelpOverlay';
import { dropDraft, loadDraft, Outbox, saveDraft } from './outbox';
import { ReferenceDiagram } from './ReferenceDiagram';

interface Slot {
  lease: Lease;
  editor: Editor;
  image: HTMLImageElement | null;
  restored: boolean;
  activeMs: number;
}

/** A v4 UUID; crypto.randomUUID exists only on HTTPS or localhost, and village LANs are plain HTTP. */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  return img.decode().then(() => img);
}

export function Workspace({ projectId, onExit }: { projectId: number; user: User; onExit: () => void }) {
  const { t, locale } = useI18n();
  const [project, setProject] = useState<Project | null>(null);
  const [slots, setSlots] = useState<Slot[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(0);
  const [offline, setOffline] = useState(false);
  const [today, setToday] = useState(0);
  const [skipping, setSkipping] = useState(false);
  const [showInstructions, setShowInstructions] = useState(false);
  const slotsRef = useRef<Slot[]>([]);
  slotsRef.current = slots;
  /** Assignments submitted from this page: never shown again, even before the server hears of them. */
  const done = useRef(new Set<number>());
  const filling = useRef(false);

  const outbox = useMemo(
    () =>
      new Outbox((p, err) => {
        setNotice(err.id === 'lease_expired' ? t('work.leaseExpired') : t('error.generic', { message: err.message }));
        void p;
      }),
    [],
  );
  useEffect(
    () =>
      outbox.subscribe((n, err) => {
        setPending(n);
        setOffline(Boolean(err && (err.status === 0 || err.status >= 500)));
      }),
    [outbox],
  );
  useEffect(() => outbox.kick(), [outbox]);

  const makeSlot = useCallback(async (lease: Lease, template: Project['template']): Promise<Slot> => {
    const editor = new Editor({
      template,
      imageWidth: lease.item.width,
      imageHeight: lease.item.height,
      viewport: { width: 800, height: 600 },
    });
    const draft = await loadDraft(lease.assignmentId).catch(() => undefined);
    if (draft) editor.loadDocument(draft.document);
    const slot: Slot = { lease, editor, image: null, restored: Boolean(draft), activeMs: draft?.activeMs ?? 0 };
    loadImage(lease.imageUrl).then(
      (img) => setSlots((s) => s.map((x) => (x.lease.assignmentId === lease.assignmentId ? { ...x, image: img } : x))),
      () => {},
    );
    return slot;
  }, []);

  /** Keeps the current item and one ahead. Quietly waits while the network is down. */
  const fill = useCallback(async () => {
    if (!project || filling.current) return;
    filling.current = true;
    try {
      const have = new Set(slotsRef.current.map((s) => s.lease.assignmentId));
      const fresh: Lease[] = [];
      const mine = await api<{ leases: Lease[] }>('GET', `/api/projects/${projectId}/leases`);
      for (const l of mine.leases) if (!have.has(l.assignmentId) && !done.current.has(l.assignmentId)) fresh.push(l);
      while (slotsRef.current.length + fresh.length < 2) {
        const r = await api<{ lease: Lease | null }>('POST', `/api/projects/${projectId}/lease`);
        if (!r.lease) break;
        if (
          have.has(r.lease.assignmentId) ||
          done.current.has(r.lease.assignmentId) ||
          fresh.some((f) => f.assignmentId === r.lease!.assignmentId)
        )
          break;
        fresh.push(r.lease);
      }
      const made = await Promise.all(fresh.map((l) => makeSlot(l, project.template)));
      if (made.length) setSlots((s) => [...s, ...made].slice(0, 3));
      setExhausted(slotsRef.current.length + made.length === 0);
    } catch {
      /* offline: the timer below tries again */
    } finally {
      filling.current = false;
    }
  }, [project, projectId, makeSlot]);

  useEffect(() => {
    api<Project>('GET', `/api/projects/${projectId}`).then(setProject, (e) => setNotice(e.message));
    api<{ submitted: number }>('GET', '/api/work/today').then(
      (r) => setToday(r.submitted),
      () => {},
    );
  }, [projectId]);
  useEffect(() => {
    void fill();
    const timer = setInterval(() => {
      if (slotsRef.current.length < 2) void fill();
    }, 5000);
    return () => clearInterval(timer);
  }, [fill]);

  const current = slots[0];
  const editor = current?.editor;

  // Active time: counted while the page is visible, kept with the draft.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      const s = slotsRef.current[0];
      if (s && document.visibilityState === 'visible') {
        s.activeMs += 1000;
        setTick((x) => x + 1);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  // Drafts: saved shortly after each change to the answer.
  useEffect(() => {
    if (!current) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastDoc = current.editor.document;
    const off = current.editor.onChange((e) => {
      if (e.document === lastDoc) return;
      lastDoc = e.document;
      clearTimeout(timer);
      timer = setTimeout(() => {
        void saveDraft(current.lease.assignmentId, {
          document: e.document,
          activeMs: current.activeMs,
          savedAt: Date.now(),
        });
      }, 300);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [current]);

  const advance = useCallback(() => {
    setSlots((s) => s.slice(1));
    setTimeout(() => void fill(), 0);
  }, [fill]);

  const submit = useCallback(async () => {
    const s = slotsRef.current[0];
    if (!s) return;
    const p = s.editor.progress();
    const missing = p.overall.total - p.overall.placed;
    if (p.instances === 0 || (missing > 0 && !window.confirm(t('work.incomplete', { n: missing })))) return;
    done.current.add(s.lease.assignmentId);
    await outbox.enqueue({
      clientSubmissionId: uuid(),
      assignmentId: s.lease.assignmentId,
      projectId,
      data: s.editor.toAnnotation(),
      activeMs: s.activeMs,
      queuedAt: Date.now(),
    });
    setToday((n) => n + 1);
    advance();
  }, [outbox, projectId, advance, t]);

  const skip = useCallback(
    async (reason: (typeof SKIP_REASONS)[number]) => {
      const s = slotsRef.current[0];
      if (!s) return;
      setSkipping(false);
      try {
        await api('POST', `/api/assignments/${s.lease.assignmentId}/skip`, { reason });
        done.current.add(s.lease.assignmentId);
        await dropDraft(s.lease.assignmentId);
        advance();
      } catch (err) {
        setNotice(
          err instanceof ApiError && err.id === 'network'
            ? t('error.network')
            : t('error.generic', { message: String((err as Error).message) }),
        );
      }
    },
    [advance, t],
  );

  useEffect(() => {
    if (!editor) return;
    return editor.onRequest((r) => {
      if (r.type === 'submit') void submit();
      else setSkipping(true);
    });
  }, [editor, submit]);

  useEffect(() => {
    if (current?.restored) setNotice(t('work.restored'));
  }, [current, t]);

  if (!project) return <div className="center muted">{t('app.loading')}</div>;
  return (
    <div className="workspace">
      <div className="work-main">
        {current ? (
          <EditorCanvas editor={current.editor} image={current.image} />
        ) : (
          <div className="center muted" data-testid="no-more">
            {exhausted ? t('work.noMore') : t('app.loading')}
          </div>
        )}
      </div>
      <aside className="work-side">
        <div className="row">
          <button className="link" onClick={onExit}>
            ← {t('app.back')}
          </button>
          <span className="spacer" />
          <span className={pending ? 'badge warn' : 'badge'} data-testid="outbox-status">
            {pending ? t('work.pending', { n: pending }) : t('work.pendingNone')}
          </span>
        </div>
        <h3 className="project-title">{project.name}</h3>
        {editor && <SidePanel editor={editor} project={project} locale={locale} />}
        <div className="stats">
          <span>
            {t('work.timer')} <b data-testid="timer">{formatMs(current?.activeMs ?? 0)}</b>
          </span>
          <span data-testid="today">{t('work.today', { n: today })}</span>
        </div>
        <div className="row">
          <button className="primary grow" data-testid="submit" disabled={!editor} onClick={() => void submit()}>
            {t('work.submit')} <kbd>Enter</kbd>
          </button>
          <button data-testid="skip" disabled={!editor} onClick={() => setSkipping(true)}>
            {t('work.skip')}
          </button>
        </div>
        {skipping && (
          <div className="card skip-box" data-testid="skip-box">
            <b>{t('work.skipReason')}</b>
            {SKIP_REASONS.map((r) => (
              <button key={r} onClick={() => void skip(r)}>
                {t(`work.skip.${r}` as MessageKey)}
              </button>
            ))}
            <button className="link" onClick={() => setSkipping(false)}>
              {t('app.back')}
            </button>
          </div>
        )}
        {offline && <p className="error small">{t('error.network')}</p>}
        {notice && (
          <p className="notice small" onClick={() => setNotice(null)} data-testid="notice">
            {notice}
          </p>
        )}
        <button className="link" onClick={() => setShowInstructions((v) => !v)}>
          {t('work.instructions')}
        </button>
        {showInstructions && <pre className="instructions">{project.instructions}</pre>}
      </aside>
      {editor && <HelpToggle editor={editor} />}
      <span hidden>{tick}</span>
    </div>
  );
}

function formatMs(ms: number) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function useEditorState(editor: Editor) {
  return useSyncExternalStore(editor.onChange, editor.getSnapshot);
}

export function SidePanel({ editor, project, locale }: { editor: Editor; project: Project; locale: 'zh-CN' | 'en' }) {
  const { t } = useI18n();
  const snap = useEditorState(editor);
  const next = editor.nextPointInfo();
  const progress = editor.progress();
  const template = project.template;
  const instances = snap.document.instances;
  const activeIdx = instances.findIndex((i) => i.id === snap.session.activeInstanceId);
  const activePoint = snap.session.activePointIndex;
  const slot = activeIdx >= 0 && activePoint !== null ? instances[activeIdx].points[activePoint] : null;
  const allPlaced = progress.instance !== null && progress.instance.placed === progress.instance.total;
  return (
    <div className="side-panel">
      <ReferenceDiagram template={template} active={allPlaced ? null : (next?.index ?? null)} />
      <div className="next-point" data-testid="next-point">
        {allPlaced ? (
          <span className="ok">{t('work.allPlaced')}</span>
        ) : next ? (
          <>
            <small>{t('work.nextPoint')}</small>
            <strong style={{ color: next.point.color }}>{localized(locale, next.point.name)}</strong>
            <small className="muted">
              {t('work.pointOf', { index: next.index + 1, total: template.points.length })}
            </small>
          </>
        ) : null}
      </div>
      <div className="progress">
        <div
          style={{ width: `${progress.instance ? (100 * progress.instance.placed) / progress.instance.total : 0}%` }}
        />
      </div>
      <div className="row wrap">
        {([2, 1, 0] as const).map((v) => (
          <button
            key={v}
            className={slot && slot[2] === v ? 'toggle on' : 'toggle'}
            data-testid={`vis-${v}`}
            onClick={() => editor.setVisibility(v)}
          >
            {t(`work.visibility.${v}` as MessageKey)} <kbd>{v === 2 ? 1 : v === 1 ? 2 : 3}</kbd>
          </button>
        ))}
      </div>
      <div className="row wrap">
        {(['keypoint', 'box', 'pan'] as const).map((tool) => (
          <button
            key={tool}
            className={snap.session.tool === tool ? 'toggle on' : 'toggle'}
            onClick={() => editor.setTool(tool)}
          >
            {t(`work.tool.${tool}` as MessageKey)}
          </button>
        ))}
      </div>
      <div className="row wrap">
        <button disabled={!editor.canUndo} onClick={() => editor.undo()} data-testid="undo">
          {t('work.undo')}
        </button>
        <button disabled={!editor.canRedo} onClick={() => editor.redo()} data-testid="redo">
          {t('work.redo')}
        </button>
        <button onClick={() => editor.fit()}>{t('work.fit')}</button>
        <button onClick={() => editor.toggleHelp()} data-testid="help">
          {t('work.help')} <kbd>?</kbd>
        </button>
      </div>
      {instances.length > 0 && (
        <div className="row wrap instances">
          {instances.map((inst, i) => (
            <button
              key={inst.id}
              className={i === activeIdx ? 'toggle on' : 'toggle'}
              onClick={() => editor.setActiveInstance(inst.id)}
            >
              {t('work.face', { index: i + 1, total: instances.length })}
            </button>
          ))}
          <button onClick={() => editor.deleteActiveInstance()}>{t('work.deleteFace')}</button>
        </div>
      )}
    </div>
  );
}

export function HelpToggle({ editor }: { editor: Editor }) {
  const snap = useEditorState(editor);
  return snap.session.helpOpen ? <HelpOverlay onClose={() => editor.toggleHelp()} /> : null;
}
