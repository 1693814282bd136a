/**
 * Draws an `Editor` on a canvas and feeds it pointer, wheel and key events. The
 * image is drawn through the camera transform (crisp pixels past 2× zoom); points
 * and lines are drawn in screen space so they keep their size at any zoom. A loupe
 * near the cursor magnifies the image for sub-pixel placement.
 */
import { useEffect, useRef } from 'react';
import type { Editor, EditorSnapshot } from '../../editor';

const LOUPE = 140;
const LOUPE_ZOOM = 4;

function isTextField(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

export function EditorCanvas({ editor, image }: { editor: Editor; image: HTMLImageElement | null }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const background = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = canvas.current!;
    const bg = background.current!;
    const w = wrap.current!;
    let frame = 0;
    // The image layer is redrawn only when the camera, size or image changes: a drag
    // repaints points and lines over it, not a 12-megapixel photo.
    let bgKey = '';
    const drawBackground = () => {
      const s = editor.getSnapshot().session;
      const key = `${s.camera.x},${s.camera.y},${s.camera.zoom},${bg.width},${bg.height}`;
      if (key === bgKey) return;
      bgKey = key;
      drawImageLayer(bg, editor, editor.getSnapshot(), image);
      // Lets tests and benchmarks see when an item's image is actually on screen.
      c.dataset.drawn = image ? 'image' : 'blank';
    };
    const schedule = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          const t0 = performance.now();
          drawBackground();
          draw(c, editor, editor.getSnapshot(), image);
          // Benchmarks read draw times here when they set the array.
          (window as any).shuguDrawTimes?.push(performance.now() - t0);
        });
    };
    const ro = new ResizeObserver(() => {
      const r = w.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      for (const el of [c, bg]) {
        el.width = Math.max(1, Math.round(r.width * dpr));
        el.height = Math.max(1, Math.round(r.height * dpr));
        el.style.width = `${r.width}px`;
        el.style.height = `${r.height}px`;
      }
      // Setting a canvas's size clears it, even to the same size: the image must be drawn again.
      bgKey = '';
      editor.setViewport(r.width, r.height);
      schedule();
    });
    ro.observe(w);
    const off = editor.onChange(() => {
      c.style.cursor = editor.getCursor();
      schedule();
    });
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      editor.wheel({ screenX: e.offsetX, screenY: e.offsetY, deltaY: e.deltaY, ctrlKey: e.ctrlKey });
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    const keyEvent = (e: KeyboardEvent) => ({
      key: e.key,
      code: e.code,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      repeat: e.repeat,
      inTextField: isTextField(e.target),
    });
    const onKeyDown = (e: KeyboardEvent) => {
      if (editor.keyDown(keyEvent(e))) e.preventDefault();
    };
    const onKeyUp = (e: KeyboardEvent) => editor.keyUp(keyEvent(e));
    const onBlur = () => editor.blur();
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    (window as any).shuguEditor = editor;
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      off();
      c.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [editor, image]);

  const pointer = (e: React.PointerEvent) => ({
    screenX: e.nativeEvent.offsetX,
    screenY: e.nativeEvent.offsetY,
    button: e.button,
    pointerType: e.pointerType,
    shiftKey: e.shiftKey,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    altKey: e.altKey,
  });

  return (
    <div className="canvas-wrap" ref={wrap}>
      <canvas ref={background} className="image-layer" aria-hidden="true" />
      <canvas
        ref={canvas}
        data-testid="editor-canvas"
        onContextMenu={(e) => e.preventDefault()}
        onPointerDown={(e) => {
          (e.target as HTMLCanvasElement).setPointerCapture(e.pointerId);
          editor.pointerDown(pointer(e));
        }}
        onPointerMove={(e) => editor.pointerMove(pointer(e))}
        onPointerUp={(e) => editor.pointerUp(pointer(e))}
        onPointerCancel={() => editor.cancel()}
        onPointerLeave={() => editor.pointerLeave()}
      />
    </div>
  );
}

/**
 * Downscaled copies of the image, by power-of-two scale. Drawing a 4000 × 3000 photo
 * scaled down every frame costs more than a frame on a software-rendered laptop; a
 * copy made once at the needed scale draws in a fraction of it.
 */
const mipmaps = new WeakMap<HTMLImageElement, Map<number, HTMLCanvasElement>>();

function sourceFor(image: HTMLImageElement, pixelsPerImagePixel: number): CanvasImageSource {
  // The smallest power-of-two scale that still has at least one source pixel per screen pixel.
  let scale = 1;
  while (scale / 2 >= pixelsPerImagePixel && scale > 1 / 64) scale /= 2;
  if (scale === 1) return image;
  let levels = mipmaps.get(image);
  if (!levels) mipmaps.set(image, (levels = new Map()));
  let level = levels.get(scale);
  if (!level) {
    level = document.createElement('canvas');
    level.width = Math.max(1, Math.round(image.naturalWidth * scale));
    level.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const g = level.getContext('2d')!;
    g.imageSmoothingQuality = 'high';
    g.drawImage(image, 0, 0, level.width, level.height);
    levels.set(scale, level);
  }
  return level;
}

function drawImageLayer(c: HTMLCanvasElement, editor: Editor, snap: EditorSnapshot, image: HTMLImageElement | null) {
  const g = c.getContext('2d')!;
  const dpr = c.width / Math.max(1, snap.session.viewport.width);
  const { camera } = snap.session;
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.fillStyle = '#1d232b';
  g.fillRect(0, 0, c.width, c.height);
  const { width: iw, height: ih } = editor.imageSize;
  g.setTransform(dpr * camera.zoom, 0, 0, dpr * camera.zoom, dpr * camera.x, dpr * camera.y);
  g.imageSmoothingEnabled = camera.zoom < 2;
  if (image) g.drawImage(sourceFor(image, (dpr * camera.zoom * iw) / image.naturalWidth), 0, 0, iw, ih);
}

/** The shape layer: points, lines, boxes and the loupe, over a transparent canvas. */
function draw(c: HTMLCanvasElement, editor: Editor, snap: EditorSnapshot, image: HTMLImageElement | null) {
  const g = c.getContext('2d')!;
  const dpr = c.width / Math.max(1, snap.session.viewport.width);
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, c.width, c.height);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  const vp = snap.session.viewport;
  drawShapes(g, editor, snap, (p) => editor.imageToScreen(p), 1, {
    x0: -10,
    y0: -10,
    x1: vp.width + 10,
    y1: vp.height + 10,
  });
  const ptr = snap.session.pointer;
  if (ptr && image && snap.session.tool === 'keypoint' && !snap.session.spaceHeld)
    drawLoupe(g, editor, snap, image, ptr);
}

type ToScreen = (p: { x: number; y: number }) => { x: number; y: number };

interface Cull {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function drawShapes(
  g: CanvasRenderingContext2D,
  editor: Editor,
  snap: EditorSnapshot,
  toScreen: ToScreen,
  scale: number,
  cull: Cull,
) {
  const outside = (s: { x: number; y: number }) => s.x < cull.x0 || s.y < cull.y0 || s.x > cull.x1 || s.y > cull.y1;
  const t = editor.template;
  const { activeInstanceId, selection, hover } = snap.session;
  for (const inst of snap.document.instances) {
    const active = inst.id === activeInstanceId;
    g.globalAlpha = active ? 1 : 0.45;
    if (inst.bbox) {
      const a = toScreen({ x: inst.bbox[0], y: inst.bbox[1] });
      const b = toScreen({ x: inst.bbox[0] + inst.bbox[2], y: inst.bbox[1] + inst.bbox[3] });
      g.setLineDash([6, 4]);
      g.strokeStyle = active ? '#ffd43b' : '#adb5bd';
      g.lineWidth = 1.5;
      g.strokeRect(a.x, a.y, b.x - a.x, b.y - a.y);
      g.setLineDash([]);
    }
    g.lineWidth = 1.2 * scale;
    g.strokeStyle = 'rgba(255,255,255,0.55)';
    g.beginPath();
    for (const [i, j] of t.skeleton) {
      const p = inst.points[i];
      const q = inst.points[j];
      if (!p || !q || p[2] === 0 || q[2] === 0) continue;
      const a = toScreen({ x: p[0], y: p[1] });
      const b = toScreen({ x: q[0], y: q[1] });
      if (outside(a) && outside(b)) continue;
      g.moveTo(a.x, a.y);
      g.lineTo(b.x, b.y);
    }
    g.stroke();
    // Points are batched into one path per colour and style: a thousand separate
    // fills and strokes cost a software-rendered frame more than its budget.
    const r = 3.5 * scale;
    const visible = new Map<string, Path2D>();
    const occluded = new Map<string, Path2D>();
    const rings: { x: number; y: number; selected: boolean }[] = [];
    inst.points.forEach((p, i) => {
      if (!p || p[2] === 0) return;
      const s = toScreen({ x: p[0], y: p[1] });
      if (outside(s)) return;
      const batch = p[2] === 2 ? visible : occluded;
      const color = t.points[i].color;
      let path = batch.get(color);
      if (!path) batch.set(color, (path = new Path2D()));
      path.moveTo(s.x + r, s.y);
      path.arc(s.x, s.y, r, 0, Math.PI * 2);
      const isSel = selection !== null && selection.instanceId === inst.id && selection.index === i;
      const isHover = hover !== null && hover.instanceId === inst.id && hover.index === i;
      if (isSel || isHover) rings.push({ x: s.x, y: s.y, selected: isSel });
    });
    g.lineWidth = 1;
    g.strokeStyle = '#fff';
    for (const [color, path] of visible) {
      g.fillStyle = color;
      g.fill(path);
      g.stroke(path);
    }
    // Occluded: hollow and dashed, so estimated points never pass for seen ones.
    g.setLineDash([2, 2]);
    g.lineWidth = 1.5;
    for (const [color, path] of occluded) {
      g.strokeStyle = color;
      g.stroke(path);
    }
    g.setLineDash([]);
    for (const ring of rings) {
      g.beginPath();
      g.arc(ring.x, ring.y, r + 4, 0, Math.PI * 2);
      g.lineWidth = 2;
      g.strokeStyle = ring.selected ? '#ffd43b' : 'rgba(255,255,255,0.8)';
      g.stroke();
    }
  }
  g.globalAlpha = 1;
}

function drawLoupe(
  g: CanvasRenderingContext2D,
  editor: Editor,
  snap: EditorSnapshot,
  image: HTMLImageElement,
  ptr: { x: number; y: number },
) {
  const vw = snap.session.viewport.width;

  // Above and to the right of the cursor, flipped near the edges, never over the target.
  let lx = ptr.x + 28;
  let ly = ptr.y - 28 - LOUPE;
  if (lx + LOUPE > vw) lx = ptr.x - 28 - LOUPE;
  if (ly < 0) ly = ptr.y + 28;
  const center = editor.screenToImage(ptr);
  const zoom = Math.max(snap.session.camera.zoom * LOUPE_ZOOM, LOUPE_ZOOM);
  const half = LOUPE / 2 / zoom;
  const sx = image.naturalWidth / editor.imageSize.width;
  const sy = image.naturalHeight / editor.imageSize.height;
  g.save();
  g.beginPath();
  g.arc(lx + LOUPE / 2, ly + LOUPE / 2, LOUPE / 2, 0, Math.PI * 2);
  g.clip();
  g.fillStyle = '#111';
  g.fillRect(lx, ly, LOUPE, LOUPE);
  g.imageSmoothingEnabled = false;
  g.drawImage(
    image,
    (center.x - half) * sx,
    (center.y - half) * sy,
    2 * half * sx,
    2 * half * sy,
    lx,
    ly,
    LOUPE,
    LOUPE,
  );
  const toLoupe: ToScreen = (p) => ({
    x: lx + LOUPE / 2 + (p.x - center.x) * zoom,
    y: ly + LOUPE / 2 + (p.y - center.y) * zoom,
  });
  drawShapes(g, editor, snap, toLoupe, 1.3, { x0: lx - 10, y0: ly - 10, x1: lx + LOUPE + 10, y1: ly + LOUPE + 10 });
  g.strokeStyle = '#ff6b6b';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(lx + LOUPE / 2, ly + LOUPE / 2 - 10);
  g.lineTo(lx + LOUPE / 2, ly + LOUPE / 2 + 10);
  g.moveTo(lx + LOUPE / 2 - 10, ly + LOUPE / 2);
  g.lineTo(lx + LOUPE / 2 + 10, ly + LOUPE / 2);
  g.stroke();
  g.restore();
  g.beginPath();
  g.arc(lx + LOUPE / 2, ly + LOUPE / 2, LOUPE / 2, 0, Math.PI * 2);
  g.lineWidth = 2;
  g.strokeStyle = '#fff';
  g.stroke();
}
