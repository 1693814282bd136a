/**
 * Submissions waiting for the server, kept in IndexedDB so neither a dropped
 * connection nor a closed tab loses them. Each carries its client submission id, so
 * sending it twice stores it once; the sender retries until the server answers.
 */
import { createStore, del, entries, get, set } from 'idb-keyval';
import type { AnnotationData } from '../../../core/annotation';
import type { EditorDocument } from '../../editor';
import { api, ApiError } from '../../api';

export interface PendingSubmission {
  clientSubmissionId: string;
  assignmentId: number;
  projectId: number;
  data: AnnotationData;
  activeMs: number;
  queuedAt: number;
}

const outboxStore = createStore('shugu-outbox', 'pending');
const draftStore = createStore('shugu-drafts', 'drafts');

export interface Draft {
  document: EditorDocument;
  activeMs: number;
  savedAt: number;
}

export const saveDraft = (assignmentId: number, draft: Draft) => set(assignmentId, draft, draftStore);
export const loadDraft = (assignmentId: number) => get<Draft>(assignmentId, draftStore);
export const dropDraft = (assignmentId: number) => del(assignmentId, draftStore);

type Listener = (pending: number, lastError: ApiError | null) => void;

/** Sends queued submissions in order; one loop per page. */
export class Outbox {
  private listeners = new Set<Listener>();
  private running = false;
  private wake: (() => void) | null = null;
  pending = 0;

  constructor(private readonly onRejected: (p: PendingSubmission, err: ApiError) => void) {}

  subscribe(fn: Listener) {
    this.listeners.add(fn);
    fn(this.pending, null);
    return () => {
      this.listeners.delete(fn);
    };
  }

  async enqueue(p: PendingSubmission) {
    await set(p.clientSubmissionId, p, outboxStore);
    await dropDraft(p.assignmentId);
    this.kick();
  }

  /** Starts the sender (also picks up what an earlier page left). */
  kick() {
    if (this.wake) this.wake();
    if (!this.running) void this.run();
  }

  private emit(err: ApiError | null) {
    for (const fn of this.listeners) fn(this.pending, err);
  }

  private async run() {
    this.running = true;
    let delay = 1000;
    try {
      for (;;) {
        const all = (await entries<string, PendingSubmission>(outboxStore))
          .map(([, v]) => v)
          .sort((a, b) => a.queuedAt - b.queuedAt);
        this.pending = all.length;
        this.emit(null);
        if (all.length === 0) return;
        const p = all[0];
        try {
          await api('POST', `/api/assignments/${p.assignmentId}/submit`, {
            clientSubmissionId: p.clientSubmissionId,
            data: p.data,
            activeMs: p.activeMs,
          });
          await del(p.clientSubmissionId, outboxStore);
          delay = 1000;
        } catch (err) {
          const e = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
          if (e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429) {
            // The server looked at it and said no (e.g. the lease expired): retrying cannot help.
            await del(p.clientSubmissionId, outboxStore);
            this.onRejected(p, e);
            continue;
          }
          this.emit(e);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
          delay = Math.min(delay * 2, 15_000);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
