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

  useEffect(() => {
    const c = canvas.current!;
    const w = wrap.current!;
    let frame = 0;
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => {
        frame = 0;
        draw(c, editor, editor.getSnapshot(), image);
      });
    };
    const ro = new ResizeObserver(() => {
      const r = w.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      c.width = Math.max(1, Math.round(r.width * dpr));
      c.height = Math.max(1, Math.round(r.height * dpr));
      c.style.width = `${r.width}px`;
      c.style.height = `${r.height}px`;
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

function draw(c: HTMLCanvasElement, editor: Editor, snap: EditorSnapshot, image: HTMLImageElement | null) {
  const g = c.getContext('2d')!;
  const dpr = c.width / Math.max(1, snap.session.viewport.width);
  const { camera } = snap.session;
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.fillStyle = '#1d232b';
  g.fillRect(0, 0, c.width, c.height);
  const { width: iw, height: ih } = editor.imageSize;
  g.setTransform(dpr * camera.zoom, 0, 0, dpr * camera.zoom, dpr * camera.x, dpr * camera.y);
  g.imageSmoothingEnabled = camera.zoom < 2;
  if (image) g.drawImage(image, 0, 0, iw, ih);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawShapes(g, editor, snap, (p) => editor.imageToScreen(p), 1);
  const ptr = snap.session.pointer;
  if (ptr && image && snap.session.tool === 'keypoint' && !snap.session.spaceHeld) drawLoupe(g, editor, snap, image, ptr);
}

type ToScreen = (p: { x: number; y: number }) => { x: number; y: number };

function drawShapes(g: CanvasRenderingContext2D, editor: Editor, snap: EditorSnapshot, toScreen: ToScreen, scale: number) {
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
      g.moveTo(a.x, a.y);
      g.lineTo(b.x, b.y);
    }
    g.stroke();
    inst.points.forEach((p, i) => {
      if (!p || p[2] === 0) return;
      const s = toScreen({ x: p[0], y: p[1] });
      const r = 3.5 * scale;
      const color = t.points[i].color;
      g.beginPath();
      g.arc(s.x, s.y, r, 0, Math.PI * 2);
      if (p[2] === 2) {
        g.fillStyle = color;
        g.fill();
        g.lineWidth = 1;
        g.strokeStyle = '#fff';
        g.stroke();
      } else {
        // Occluded: hollow and dashed, so estimated points never pass for seen ones.
        g.setLineDash([2, 2]);
        g.lineWidth = 1.5;
        g.strokeStyle = color;
        g.stroke();
        g.setLineDash([]);
      }
      const isSel = selection && selection.instanceId === inst.id && selection.index === i;
      const isHover = hover && hover.instanceId === inst.id && hover.index === i;
      if (isSel || isHover) {
        g.beginPath();
        g.arc(s.x, s.y, r + 4, 0, Math.PI * 2);
        g.lineWidth = 2;
        g.strokeStyle = isSel ? '#ffd43b' : 'rgba(255,255,255,0.8)';
        g.stroke();
      }
    });
  }
  g.globalAlpha = 1;
}

function drawLoupe(g: CanvasRenderingContext2D, editor: Editor, snap: EditorSnapshot, image: HTMLImageElement, ptr: { x: number; y: number }) {
  const vw = snap.session.viewport.width;
  const vh = snap.session.viewport.height;
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
  g.drawImage(image, (center.x - half) * sx, (center.y - half) * sy, 2 * half * sx, 2 * half * sy, lx, ly, LOUPE, LOUPE);
  const toLoupe: ToScreen = (p) => ({ x: lx + LOUPE / 2 + (p.x - center.x) * zoom, y: ly + LOUPE / 2 + (p.y - center.y) * zoom });
  drawShapes(g, editor, snap, toLoupe, 1.3);
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
