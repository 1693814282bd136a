import { describe, expect, it } from 'vitest';
import { MAX_ZOOM, MIN_ZOOM, fitCamera, imageToScreen, screenToImage, zoomCameraAt } from './session.js';
import { TestEditor } from './test-editor.js';

describe('camera', () => {
  const cam = { x: 30, y: -20, zoom: 2 };

  it('maps image to screen and back', () => {
    expect(imageToScreen(cam, { x: 10, y: 20 })).toEqual({ x: 50, y: 20 });
    expect(screenToImage(cam, { x: 50, y: 20 })).toEqual({ x: 10, y: 20 });
  });

  it('fits an image centred with padding', () => {
    // 4000×3000 in 1000×800 with 20 px padding: min(960/4000, 760/3000) = 0.24.
    const c = fitCamera({ width: 4000, height: 3000 }, { width: 1000, height: 800 }, 20);
    expect(c.zoom).toBeCloseTo(0.24, 12);
    expect(c.x).toBeCloseTo(20, 9);
    expect(c.y).toBeCloseTo(40, 9);
  });

  it('zooms about a screen point, keeping the image point under it, clamped to 0.05–64', () => {
    const c = zoomCameraAt(cam, { x: 250, y: 180 }, 5);
    expect(c.zoom).toBe(5);
    expect(screenToImage(c, { x: 250, y: 180 })).toEqual(screenToImage(cam, { x: 250, y: 180 }));
    expect(zoomCameraAt(cam, { x: 0, y: 0 }, 1000).zoom).toBe(MAX_ZOOM);
    expect(zoomCameraAt(cam, { x: 0, y: 0 }, 0.0001).zoom).toBe(MIN_ZOOM);
  });

  it('the editor clamps every zoom path', () => {
    const t = new TestEditor();
    for (let i = 0; i < 40; i++) t.key('+', { shift: true, repeat: i > 0 });
    expect(t.camera.zoom).toBe(MAX_ZOOM);
    t.editor.wheel({ screenX: 10, screenY: 10, deltaY: 1e6 });
    expect(t.camera.zoom).toBe(MIN_ZOOM);
  });

  it('wheel zooms about the pointer', () => {
    const t = new TestEditor().setCamera(30, -20, 2);
    t.editor.wheel({ screenX: 250, screenY: 180, deltaY: -100 });
    expect(t.camera.zoom).toBeGreaterThan(2);
    const p = t.editor.screenToImage({ x: 250, y: 180 });
    expect(p.x).toBeCloseTo(110, 9);
    expect(p.y).toBeCloseTo(100, 9);
  });
});
