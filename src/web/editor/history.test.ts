import { describe, expect, it } from 'vitest';
import { createInstance, type EditorDocument, withPoint } from './document.js';
import { History, applyOp } from './history.js';
import type { Focus } from './session.js';

const focus = (point: number): Focus => ({ activeInstanceId: 'a', activePointIndex: point, selection: null });

describe('History', () => {
  const a0 = createInstance('a', 3);
  const doc0: EditorDocument = { instances: [a0] };

  function move(h: History, doc: EditorDocument, x: number): EditorDocument {
    const from = doc.instances[0];
    const to = withPoint(from, 0, [x, x, 2]);
    h.record({ type: 'update', id: 'a', from, to });
    return applyOp(doc, { type: 'update', id: 'a', from, to });
  }

  it('squashes a gesture into one step holding only the first and last state', () => {
    const h = new History();
    h.mark(focus(0));
    let doc = doc0;
    for (let x = 1; x <= 100; x++) doc = move(h, doc, x);
    h.close(focus(1));
    expect(h.undoDepth).toBe(1);
    const undone = h.undo(doc, focus(1));
    expect(undone?.doc.instances[0]).toBe(a0);
    expect(undone?.focus).toEqual(focus(0));
    const redone = h.redo(undone!.doc, focus(0));
    expect(redone?.doc.instances[0].points[0]).toEqual([100, 100, 2]);
    expect(redone?.focus).toEqual(focus(1));
  });

  it('a mark without changes leaves no step; bail reverts the open step and keeps redo', () => {
    const h = new History();
    h.mark(focus(0));
    h.close(focus(0));
    expect(h.canUndo).toBe(false);

    h.mark(focus(0));
    let doc = move(h, doc0, 5);
    h.close(focus(1));
    const undone = h.undo(doc, focus(1))!;
    expect(h.canRedo).toBe(true);

    h.mark(focus(0));
    doc = move(h, undone.doc, 7);
    expect(h.canRedo).toBe(false); // a new change clears redo…
    const bailed = h.bail(doc)!;
    expect(bailed.doc.instances[0]).toBe(a0);
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(true); // …and bailing that change gives it back
  });

  it('undoes inserts and removes at their index', () => {
    const h = new History();
    const b = createInstance('b', 3);
    const c = createInstance('c', 3);
    let doc: EditorDocument = { instances: [a0, c] };
    h.mark(focus(0));
    h.record({ type: 'insert', index: 1, instance: b });
    doc = applyOp(doc, { type: 'insert', index: 1, instance: b });
    h.record({ type: 'remove', index: 0, instance: a0 });
    doc = applyOp(doc, { type: 'remove', index: 0, instance: a0 });
    expect(doc.instances.map((i) => i.id)).toEqual(['b', 'c']);
    const undone = h.undo(doc, focus(0))!;
    expect(undone.doc.instances.map((i) => i.id)).toEqual(['a', 'c']);
  });
});
