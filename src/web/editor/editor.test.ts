import { describe, expect, it } from 'vitest';
import type { AnnotationData } from '../../core/annotation.js';
import { TestEditor } from './test-editor.js';

/** Camera used throughout: zoom 2, image origin at screen (30, -20). */
const CAM = { x: 30, y: -20, zoom: 2 };
/** Screen position of an image point under CAM, computed by hand rather than by the editor. */
const s = (ix: number, iy: number): [number, number] => [ix * 2 + 30, iy * 2 - 20];

/** One complete instance of the 5-point test template. */
const ONE_FACE: AnnotationData = {
  instances: [
    {
      bbox: [5, 5, 200, 200],
      points: [
        [10, 20, 2],
        [50, 20, 2],
        [100, 100, 2],
        [150, 150, 1],
        [180, 40, 2],
      ],
    },
  ],
};

function editorWith(data?: AnnotationData): TestEditor {
  const t = new TestEditor();
  if (data) t.load(data);
  return t.setCamera(CAM.x, CAM.y, CAM.zoom);
}

describe('guided placement', () => {
  it('places every point in template order at the clicked image position', () => {
    const t = editorWith();
    const targets: [number, number][] = [
      [10, 20],
      [50.5, 60.25],
      [100, 100],
      [400, 0.5],
      [0, 300],
    ];
    expect(t.editor.nextPointInfo()?.point.id).toBe('p0');
    targets.forEach(([x, y], i) => {
      expect(t.editor.nextPointInfo()?.index).toBe(i);
      t.click(...s(x, y));
      t.expectPoint(0, i, [x, y, 2]);
    });
    // The first click created the instance; each placement is one undo step.
    t.expectInstanceCount(1).expectActive({ instance: 0, point: null }).expectUndoDepth(5);
    expect(t.editor.nextPointInfo()).toBeNull();
    expect(t.editor.progress()).toEqual({
      instance: { placed: 5, total: 5 },
      overall: { placed: 5, total: 5 },
      instances: 1,
    });
    expect(t.editor.toAnnotation()).toEqual({
      instances: [{ bbox: null, points: targets.map(([x, y]) => [x, y, 2]) }],
    });
  });

  it('undoes the instance creation together with the first point', () => {
    const t = editorWith().click(...s(10, 20));
    t.expectUndoDepth(1).key('z', { ctrl: true }).expectInstanceCount(0);
  });

  it('clamps presses just outside the image to its edge and ignores presses far outside', () => {
    const t = editorWith();
    t.click(...s(-2, 150)); // 4 screen px outside: within the 6 px hit radius
    t.expectPoint(0, 0, [0, 150, 2]);
    t.click(...s(-50, 150));
    t.expectPoint(0, 1, null).expectActive({ point: 1 });
  });

  it('a press that moves past the threshold adjusts the new point until release', () => {
    const t = editorWith();
    t.pointerDown(...s(10, 10)).pointerMove(s(10, 10)[0] + 1, s(10, 10)[1]); // jitter below threshold
    t.expectPoint(0, 0, [10, 10, 2]);
    t.pointerMove(...s(20, 30)).pointerUp();
    t.expectPoint(0, 0, [20, 30, 2]).expectUndoDepth(1).expectActive({ point: 1 });
  });

  it('after a completed instance, a click on empty image only drops the selection', () => {
    const t = editorWith(ONE_FACE);
    const before = t.editor.document;
    t.click(...s(300, 250));
    expect(t.editor.document).toBe(before);
  });
});

describe('dragging a point', () => {
  it('moves only that point, keeps the grab offset and is one undo step', () => {
    const t = editorWith(ONE_FACE);
    const before = t.points(0);
    const [px, py] = s(100, 100);
    // Grab 2 screen px right and 1 below the point, move by (+21, -9) screen px.
    t.drag([px + 2, py + 1], [px + 23, py - 8], { steps: 7 });
    t.expectPoint(0, 2, [110.5, 95.5, 2]);
    const after = t.points(0);
    for (const i of [0, 1, 3, 4]) expect(after[i]).toBe(before[i]); // untouched tuples shared
    t.expectUndoDepth(1).expectSelection({ instance: 0, point: 2 }).expectActive({ point: 2 });
    t.key('z', { ctrl: true }).expectPoint(0, 2, [100, 100, 2]);
    t.key('z', { ctrl: true, shift: true }).expectPoint(0, 2, [110.5, 95.5, 2]);
  });

  it('hit radius is in screen pixels whatever the zoom', () => {
    for (const zoom of [0.5, 8]) {
      const t = new TestEditor().load(ONE_FACE).setCamera(0, 0, zoom);
      expect(t.editor.hitTestPoint({ x: 100 * zoom + 5, y: 100 * zoom })).toEqual({ instanceId: 'i1', index: 2 });
      expect(t.editor.hitTestPoint({ x: 100 * zoom + 7, y: 100 * zoom })).toBeNull();
    }
  });

  it('a click without moving selects the point and makes it active', () => {
    const t = editorWith(ONE_FACE);
    const doc = t.editor.document;
    t.click(...s(150, 150));
    t.expectSelection({ instance: 0, point: 3 }).expectActive({ point: 3 }).expectUndoDepth(0);
    expect(t.editor.document).toBe(doc);
  });

  it('Escape mid-drag puts the point back and leaves no undo step', () => {
    const t = editorWith(ONE_FACE);
    t.pointerDown(...s(50, 20))
      .pointerMove(...s(70, 40))
      .pointerMove(...s(90, 60));
    t.expectToolState('keypoint.dragging_point').expectPoint(0, 1, [90, 60, 2]);
    t.key('Escape').expectToolState('keypoint.idle').expectPoint(0, 1, [50, 20, 2]).expectUndoDepth(0);
    t.pointerMove(...s(120, 80)).pointerUp(); // the rest of the gesture does nothing
    t.expectPoint(0, 1, [50, 20, 2]).expectUndoDepth(0);
  });

  it('Escape while adjusting a new placement removes it', () => {
    const t = editorWith(ONE_FACE);
    t.editor.load({ instances: [{ bbox: null, points: [[10, 20, 2], ...Array(4).fill([0, 0, 0])] }] });
    t.pointerDown(...s(60, 60)).pointerMove(...s(70, 70));
    t.expectPoint(0, 1, [70, 70, 2]);
    t.key('Escape').expectPoint(0, 1, null).expectActive({ point: 1 }).expectUndoDepth(0);
  });

  it('Alt+press places a new point even on top of an existing one', () => {
    const t = editorWith({ instances: [{ bbox: null, points: [[10, 20, 2], ...Array(4).fill([0, 0, 0])] }] });
    t.click(...s(10, 20), { altKey: true });
    t.expectPoint(0, 0, [10, 20, 2]).expectPoint(0, 1, [10, 20, 2]);
  });
});

describe('undo and redo', () => {
  it('tool-API calls outside a gesture are one step each, or one per transact()', () => {
    const t = editorWith(ONE_FACE);
    const ref = { instanceId: t.instance(0).id, index: 0 };
    t.editor.setPoint(ref, [1, 1, 2]);
    t.editor.setPoint(ref, [2, 2, 2]);
    t.expectUndoDepth(2);
    t.editor.transact(() => {
      t.editor.setPoint(ref, [3, 3, 2]);
      t.editor.setPoint({ ...ref, index: 1 }, [4, 4, 1]);
    });
    t.expectUndoDepth(3).key('z', { ctrl: true }).expectPoint(0, 0, [2, 2, 2]).expectPoint(0, 1, [50, 20, 2]);
  });

  it('steps back and forth through several gestures; a new change clears redo', () => {
    const t = editorWith();
    t.click(...s(10, 10))
      .click(...s(20, 20))
      .click(...s(30, 30)); // p0, p1, p2
    t.drag(s(20, 20), s(25, 40)); // p1 → (25, 40)
    t.expectPoint(0, 1, [25, 40, 2]).expectUndoDepth(4);

    t.key('z', { ctrl: true }).expectPoint(0, 1, [20, 20, 2]);
    t.key('z', { meta: true }).expectPoint(0, 2, null).expectActive({ point: 2 });
    t.key('z', { ctrl: true }).expectPoint(0, 1, null).expectActive({ point: 1 });
    t.key('y', { ctrl: true }).expectPoint(0, 1, [20, 20, 2]);
    expect(t.editor.canRedo).toBe(true);

    t.click(...s(200, 100)); // places p2 anew
    t.expectPoint(0, 2, [200, 100, 2]);
    expect(t.editor.canRedo).toBe(false);
    t.key('z', { ctrl: true, shift: true }).expectPoint(0, 2, [200, 100, 2]).expectPoint(0, 1, [20, 20, 2]);
  });

  it('undo of a placement makes that point the next one again', () => {
    const t = editorWith();
    t.click(...s(10, 10)).click(...s(20, 20));
    t.expectActive({ point: 2 });
    t.key('z', { ctrl: true }).expectActive({ point: 1 });
    expect(t.editor.nextPointInfo()?.point.id).toBe('p1');
    t.click(...s(99, 98)).expectPoint(0, 1, [99, 98, 2]);
  });
});

describe('visibility', () => {
  it('2 before a click places occluded, 3 marks not in image and advances; one undo step each', () => {
    const t = editorWith();
    t.click(...s(10, 10)); // p0
    t.key('2');
    expect(t.editor.nextPointInfo()).toMatchObject({ index: 1, visibility: 1 });
    t.click(...s(20, 20)).expectPoint(0, 1, [20, 20, 1]);
    expect(t.editor.session.pendingVisibility).toBe(2);

    const depth = t.editor.undoDepth;
    t.key('3')
      .expectPoint(0, 2, [0, 0, 0])
      .expectActive({ point: 3 })
      .expectUndoDepth(depth + 1);
    t.click(...s(40, 40), { shiftKey: true }).expectPoint(0, 3, [40, 40, 1]); // Shift+click: occluded

    t.key('z', { ctrl: true }).key('z', { ctrl: true });
    t.expectPoint(0, 2, null).expectActive({ point: 2 });
  });

  it('1 / 2 / 3 change a selected point, each one undo step', () => {
    const t = editorWith(ONE_FACE);
    t.click(...s(100, 100)).expectSelection({ instance: 0, point: 2 });
    t.key('2').expectPoint(0, 2, [100, 100, 1]).expectUndoDepth(1);
    t.key('1').expectPoint(0, 2, [100, 100, 2]).expectUndoDepth(2);
    t.key('1').expectUndoDepth(2); // no change, no step
    t.key('3').expectPoint(0, 2, [0, 0, 0]).expectUndoDepth(3);
    expect(t.editor.toAnnotation().instances[0].points[2]).toEqual([0, 0, 0]);
    t.key('z', { ctrl: true }).expectPoint(0, 2, [100, 100, 2]);
  });

  it('a held 3 acts once', () => {
    const t = editorWith();
    t.click(...s(10, 10))
      .key('3')
      .key('3', { repeat: true });
    t.expectPoint(0, 1, [0, 0, 0]).expectPoint(0, 2, null);
  });

  it('Tab and Shift+Tab step through points, selecting placed ones', () => {
    const t = editorWith(ONE_FACE);
    t.key('Tab').expectActive({ point: 0 }).expectSelection({ instance: 0, point: 0 });
    t.key('Tab').expectActive({ point: 1 });
    t.key('Tab', { shift: true }).key('Tab', { shift: true }).expectActive({ point: 4 });
    expect(t.lastKeyHandled).toBe(true);
  });
});

describe('instances', () => {
  it('the box tool adds an instance with all points unplaced, then keypoints go to it', () => {
    const t = editorWith(ONE_FACE);
    t.key('b').expectToolState('box.idle');
    t.drag(s(300, 250), s(220, 120)); // drawn up-left: normalised
    t.expectInstanceCount(2).expectActive({ instance: 1, point: 0 }).expectToolState('keypoint.idle');
    expect(t.instance(1).bbox).toEqual([220, 120, 80, 130]);
    expect(t.points(1)).toEqual([null, null, null, null, null]);
    t.click(...s(250, 150))
      .expectPoint(1, 0, [250, 150, 2])
      .expectPoint(0, 0, [10, 20, 2]);

    t.key(']').expectActive({ instance: 0, point: null });
    t.key(']').expectActive({ instance: 1, point: 1 });
    t.key('[').expectActive({ instance: 0 });
    t.key('[').expectActive({ instance: 1 });

    t.key('z', { ctrl: true }).expectPoint(1, 0, null);
    t.key('z', { ctrl: true }).expectInstanceCount(1).expectActive({ instance: 0 });
  });

  it('a box drawn on screen with a camera maps to image pixels while it is drawn', () => {
    const t = editorWith().key('b');
    t.pointerDown(...s(10, 10)).pointerMove(...s(50, 30));
    expect(t.instance(0).bbox).toEqual([10, 10, 40, 20]);
    t.pointerMove(...s(60, 70));
    expect(t.instance(0).bbox).toEqual([10, 10, 50, 60]);
    t.key('Escape').expectInstanceCount(0).expectToolState('box.idle').expectUndoDepth(0);
  });

  it('a box tool click inside a box makes its instance active; a tiny box is dropped', () => {
    const t = editorWith(ONE_FACE).key('b');
    t.drag(s(300, 250), s(350, 290));
    t.expectInstanceCount(2).expectActive({ instance: 1 });
    t.key('b')
      .click(...s(100, 100))
      .expectActive({ instance: 0 });
    t.drag(s(300, 10), [s(300, 10)[0] + 3, s(300, 10)[1] + 3]); // 3 px: below the 4 px minimum
    t.expectInstanceCount(2).expectUndoDepth(1);
  });

  it('deleting the active instance is one undo step and undo restores order and focus', () => {
    const t = editorWith({
      instances: [ONE_FACE.instances[0], { bbox: [250, 150, 100, 100], points: Array(5).fill([0, 0, 0]) }],
    });
    t.key(']').expectActive({ instance: 1 });
    const second = t.instance(1);
    t.key('Delete').expectInstanceCount(1).expectActive({ instance: 0 }).expectUndoDepth(1);
    t.key('Delete', { repeat: true }).expectInstanceCount(1);
    t.key('z', { ctrl: true }).expectInstanceCount(2).expectActive({ instance: 1 });
    expect(t.instance(1)).toBe(second);
    t.key('y', { ctrl: true }).expectInstanceCount(1);
  });
});

describe('camera and panning', () => {
  it('the pan tool drags the camera; Escape puts it back', () => {
    const t = editorWith().key('h');
    t.drag([100, 100], [160, 70]).expectCamera({ x: 90, y: -50, zoom: 2 });
    t.pointerDown(100, 100).pointerMove(0, 0).key('Escape').expectCamera({ x: 90, y: -50, zoom: 2 });
  });

  it('Space-held or middle-button drags pan from the keypoint tool without placing', () => {
    const t = editorWith();
    t.keyDown(' ').drag([100, 100], [110, 130]).keyUp(' ');
    t.expectCamera({ x: 40, y: 10, zoom: 2 }).expectInstanceCount(0);
    t.drag([100, 100], [90, 100], { button: 1 }).expectCamera({ x: 30, y: 10, zoom: 2 }).expectInstanceCount(0);
    t.click(100, 100).expectPoint(0, 0, [35, 45, 2]); // Space released: clicks place again
  });

  it('zoom keys zoom about the pointer; fit shows the whole image', () => {
    const t = editorWith();
    t.pointerMove(...s(100, 50)).key('+');
    expect(t.camera.zoom).toBe(3);
    expect(t.editor.screenToImage({ x: s(100, 50)[0], y: s(100, 50)[1] })).toEqual({ x: 100, y: 50 });
    t.key('-').expectCamera(CAM);
    t.key('f').expectCamera({ x: 0, y: 0, zoom: 2 }); // 400×300 in 800×600
  });

  it('follows viewport resizes until the worker moves the camera', () => {
    const t = new TestEditor();
    t.editor.setViewport(400, 600);
    t.expectCamera({ x: 0, y: 150, zoom: 1 });
    t.setCamera(5, 5, 1);
    t.editor.setViewport(800, 600);
    t.expectCamera({ x: 5, y: 5, zoom: 1 });
  });
});

describe('tasks, help and text fields', () => {
  it('Enter and Shift+S request submit and skip with the answer', () => {
    const t = editorWith(ONE_FACE);
    const seen: string[] = [];
    t.editor.onRequest((r) => seen.push(`${r.type}:${r.progress.overall.placed}`));
    t.key('Enter').key('s').key('s', { shift: true });
    expect(seen).toEqual(['submit:5', 'skip:5']);
  });

  it('? toggles help; Escape closes it', () => {
    const t = editorWith();
    t.key('?', { shift: true });
    expect(t.editor.session.helpOpen).toBe(true);
    t.key('Escape');
    expect(t.editor.session.helpOpen).toBe(false);
  });

  it('ignores every shortcut typed in a text field', () => {
    const t = editorWith();
    t.click(...s(10, 10)).click(...s(20, 20));
    const doc = t.editor.document;
    const session = t.editor.session;
    for (const [key, options] of [
      ['z', { ctrl: true }],
      ['3', {}],
      ['Tab', {}],
      ['Delete', {}],
      ['b', {}],
      ['Enter', {}],
    ] as const) {
      t.key(key, { ...options, inTextField: true });
      expect(t.lastKeyHandled).toBe(false);
    }
    expect(t.editor.document).toBe(doc);
    expect(t.editor.session).toBe(session);
    t.key('z', { ctrl: true }).expectPoint(0, 1, null); // outside the field it works
  });

  it('document shortcuts wait while a gesture is in progress', () => {
    const t = editorWith(ONE_FACE);
    t.pointerDown(...s(50, 20)).pointerMove(...s(60, 30));
    t.key('Delete').key('3').expectInstanceCount(1).expectPoint(0, 1, [60, 30, 2]);
    t.pointerUp().expectUndoDepth(1);
  });
});

describe('AnnotationData conversion', () => {
  const data: AnnotationData = {
    instances: [
      {
        bbox: [1, 2, 30, 40],
        points: [
          [10.25, 20.5, 2],
          [0, 0, 0],
          [30, 40, 1],
          [0, 0, 0],
          [399, 299, 2],
        ],
        attributes: { glasses: 'yes' },
      },
      { bbox: null, points: [[5, 5, 2], ...Array(4).fill([0, 0, 0])] },
    ],
  };

  it('toAnnotation() round-trips through load()', () => {
    const t = new TestEditor().load(data);
    expect(t.editor.toAnnotation()).toEqual(data);
    const u = new TestEditor().load(t.editor.toAnnotation());
    expect(u.editor.toAnnotation()).toEqual(data);
  });

  it('reads v = 0 as unplaced by default, or as not in image when asked', () => {
    const t = new TestEditor().load(data);
    t.expectPoint(0, 1, null).expectActive({ instance: 0, point: 1 });
    t.editor.load(data, { zeroAs: 'not-in-image' });
    t.expectPoint(0, 1, [0, 0, 0]).expectActive({ instance: 0, point: null });
  });

  it('exports unplaced and not-in-image points as [0, 0, 0] and copies, not shares, its data', () => {
    const t = editorWith();
    t.click(...s(10, 10)).key('3');
    const out = t.editor.toAnnotation();
    expect(out.instances[0].points).toEqual([
      [10, 10, 2],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    out.instances[0].points[0][0] = 999;
    t.expectPoint(0, 0, [10, 10, 2]);
  });
});
