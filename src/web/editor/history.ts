/**
 * Diff-based undo history. Each entry holds the operations of one gesture or command
 * (references to immutable instances, never document copies) and the focus before and
 * after it, so undo also brings the worker back to the point they were on.
 *
 * `mark()` opens an entry at a gesture's start; changes recorded until `close()` (or
 * the next mark) belong to it, so a drag of 500 moves is one undo step. Consecutive
 * updates of one instance are squashed into one operation. `bail()` reverts the open
 * entry and drops it (Escape mid-gesture). A new change clears the redo stack (given
 * back if its gesture is bailed).
 */
import {
  type EditorDocument,
  type EditorInstance,
  insertInstance,
  instanceIndex,
  removeInstance,
  replaceInstance,
} from './document.js';
import type { Focus } from './session.js';

export type DocOp =
  | { readonly type: 'update'; readonly id: string; readonly from: EditorInstance; readonly to: EditorInstance }
  | { readonly type: 'insert'; readonly index: number; readonly instance: EditorInstance }
  | { readonly type: 'remove'; readonly index: number; readonly instance: EditorInstance };

export interface HistoryEntry {
  ops: DocOp[];
  before: Focus;
  after: Focus;
}

export function applyOp(doc: EditorDocument, op: DocOp): EditorDocument {
  switch (op.type) {
    case 'update': {
      const i = instanceIndex(doc, op.id);
      return i < 0 ? doc : replaceInstance(doc, i, op.to);
    }
    case 'insert':
      return insertInstance(doc, op.index, op.instance);
    case 'remove':
      return removeInstance(doc, op.index);
  }
}

export function invertOp(op: DocOp): DocOp {
  switch (op.type) {
    case 'update':
      return { type: 'update', id: op.id, from: op.to, to: op.from };
    case 'insert':
      return { type: 'remove', index: op.index, instance: op.instance };
    case 'remove':
      return { type: 'insert', index: op.index, instance: op.instance };
  }
}

function applyOps(doc: EditorDocument, ops: readonly DocOp[]): EditorDocument {
  return ops.reduce(applyOp, doc);
}

function revertOps(doc: EditorDocument, ops: readonly DocOp[]): EditorDocument {
  for (let i = ops.length - 1; i >= 0; i--) doc = applyOp(doc, invertOp(ops[i]));
  return doc;
}

export interface Restored {
  doc: EditorDocument;
  focus: Focus;
}

export class History {
  private undos: HistoryEntry[] = [];
  private redos: HistoryEntry[] = [];
  /** The entry changes are recorded into; pushed onto `undos` at its first change. */
  private open: HistoryEntry | null = null;
  private openPushed = false;
  /** Redo stack cleared by the open entry's first change, given back if that entry is bailed. */
  private clearedRedos: HistoryEntry[] = [];

  constructor(private readonly limit = 500) {}

  get canUndo(): boolean {
    return this.undos.length > 0;
  }

  get canRedo(): boolean {
    return this.redos.length > 0;
  }

  get isOpen(): boolean {
    return this.open !== null;
  }

  /** Number of undo steps (for tests and a status line). */
  get undoDepth(): number {
    return this.undos.length;
  }

  /** Closes any open entry and opens a new one; `focus` is what undo will restore. */
  mark(focus: Focus): void {
    this.close(focus);
    this.open = { ops: [], before: focus, after: focus };
    this.openPushed = false;
  }

  /** Ends the open entry; `focus` is what redo will restore. */
  close(focus: Focus): void {
    if (this.open) this.open.after = focus;
    this.open = null;
    this.openPushed = false;
    this.clearedRedos = [];
  }

  /** Records an applied change into the open entry (the caller makes sure one is open). */
  record(op: DocOp): void {
    const entry = this.open;
    if (!entry) throw new Error('History.record() without mark()');
    const last = entry.ops[entry.ops.length - 1];
    if (op.type === 'update' && last?.type === 'update' && last.id === op.id) {
      entry.ops[entry.ops.length - 1] = { type: 'update', id: op.id, from: last.from, to: op.to };
    } else {
      entry.ops.push(op);
    }
    if (!this.openPushed) {
      this.undos.push(entry);
      if (this.undos.length > this.limit) this.undos.shift();
      this.clearedRedos = this.redos;
      this.redos = [];
      this.openPushed = true;
    }
  }

  undo(doc: EditorDocument, focus: Focus): Restored | null {
    this.close(focus);
    const entry = this.undos.pop();
    if (!entry) return null;
    this.redos.push(entry);
    return { doc: revertOps(doc, entry.ops), focus: entry.before };
  }

  redo(doc: EditorDocument, focus: Focus): Restored | null {
    this.close(focus);
    const entry = this.redos.pop();
    if (!entry) return null;
    this.undos.push(entry);
    return { doc: applyOps(doc, entry.ops), focus: entry.after };
  }

  /** Reverts and forgets the open entry; null when none is open. */
  bail(doc: EditorDocument): Restored | null {
    const entry = this.open;
    if (!entry) return null;
    if (this.openPushed) {
      this.undos.pop();
      this.redos = this.clearedRedos;
    }
    this.open = null;
    this.openPushed = false;
    return { doc: revertOps(doc, entry.ops), focus: entry.before };
  }

  clear(): void {
    this.undos = [];
    this.redos = [];
    this.clearedRedos = [];
    this.open = null;
    this.openPushed = false;
  }
}
