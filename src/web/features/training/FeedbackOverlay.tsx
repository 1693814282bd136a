/**
 * Practice feedback drawn over the editor canvas: the reference points as white rings,
 * and a line from each of the worker's points to its reference point, coloured by how
 * far off it is, with the largest errors named ("左眼外眼角 偏离 12 px"). It follows the
 * editor's camera, so zooming in shows the error close up.
 */
import { useEffect, useRef } from 'react';
import type { Editor } from '../../editor';
import { localized, translate, useI18n } from '../../i18n';
import type { PointErrorView } from './types';

/** Errors labelled on the image at most; the list beside it names them all. */
const LABELS = 6;

export function colorFor(e: PointErrorView): string {
  if (e.kind !== 'offset') return '#ff6b6b';
  const px = e.px ?? 0;
  return px <= 3 ? '#51cf66' : px <= 8 ? '#ffd43b' : '#ff6b6b';
}

export function FeedbackOverlay({
  editor,
  errors,
  focus,
}: {
  editor: Editor;
  errors: PointErrorView[];
  focus: number | null;
}) {
  const { locale } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current!;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const r = c.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(r.width * dpr) || c.height !== Math.round(r.height * dpr)) {
        c.width = Math.max(1, Math.round(r.width * dpr));
        c.height = Math.max(1, Math.round(r.height * dpr));
      }
      const g = c.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, r.width, r.height);
      const labelled = new Set(errors.filter((e) => e.kind !== 'offset' || (e.px ?? 0) > 3).slice(0, LABELS));
      errors.forEach((e, i) => {
        const ref = e.reference ? editor.imageToScreen({ x: e.reference[0], y: e.reference[1] }) : null;
        const ans = e.answer ? editor.imageToScreen({ x: e.answer[0], y: e.answer[1] }) : null;
        const color = colorFor(e);
        const focused = i === focus;
        g.lineWidth = focused ? 3 : 1.5;
        if (ref && ans) {
          g.strokeStyle = color;
          g.beginPath();
          g.moveTo(ans.x, ans.y);
          g.lineTo(ref.x, ref.y);
          g.stroke();
        }
        if (ref) {
          g.beginPath();
          g.arc(ref.x, ref.y, focused ? 7 : 4.5, 0, Math.PI * 2);
          g.strokeStyle = '#ffffff';
          g.stroke();
          g.strokeStyle = 'rgba(0,0,0,0.6)';
          g.lineWidth = 1;
          g.beginPath();
          g.arc(ref.x, ref.y, (focused ? 7 : 4.5) + 1.5, 0, Math.PI * 2);
          g.stroke();
        }
        if (ans && !ref) {
          // A point placed where the reference has none: crossed out.
          g.strokeStyle = color;
          g.beginPath();
          g.moveTo(ans.x - 5, ans.y - 5);
          g.lineTo(ans.x + 5, ans.y + 5);
          g.moveTo(ans.x + 5, ans.y - 5);
          g.lineTo(ans.x - 5, ans.y + 5);
          g.stroke();
        }
        if (focused || labelled.has(e)) {
          const at = ans ?? ref!;
          const key =
            e.kind === 'offset'
              ? 'training.error.offset'
              : e.kind === 'missed'
                ? 'training.error.missed'
                : 'training.error.extra';
          const text = translate(locale, key, { name: localized(locale, e.name), px: e.px ?? 0 });
          g.font = '13px system-ui, sans-serif';
          const w = g.measureText(text).width;
          g.fillStyle = 'rgba(15,20,25,0.78)';
          g.fillRect(at.x + 8, at.y - 22, w + 10, 19);
          g.fillStyle = color;
          g.fillText(text, at.x + 13, at.y - 8);
        }
      });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const off = editor.onChange(schedule);
    const ro = new ResizeObserver(schedule);
    ro.observe(c);
    schedule();
    return () => {
      off();
      ro.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [editor, errors, focus, locale]);
  return <canvas ref={canvas} className="feedback-layer" data-testid="feedback-layer" aria-hidden="true" />;
}
