import { StateNode, screenOf } from '../state-node.js';
import type { EditorPointerEvent } from '../../types.js';
import type { PlacingInfo } from './placing.js';
import type { PointingPointInfo } from './pointing-point.js';

export class KeypointIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0) return;
    const screen = screenOf(e);
    // Alt forces a placement even on top of an existing point (dense points, low zoom).
    const hit = e.altKey ? null : this.editor.hitTestPoint(screen, e.pointerType);
    if (hit) {
      this.editor.setHover(null);
      this.tool.transition('pointing_point', { ref: hit, start: screen } satisfies PointingPointInfo);
      return;
    }
    if (!this.editor.isNearImage(screen, e.pointerType)) return;
    if (this.editor.session.activeInstanceId !== null && this.editor.placementTarget() === null) {
      // The active instance is complete: a click on empty image only drops the selection.
      this.editor.selectPoint(null);
      return;
    }
    this.editor.setHover(null);
    const visibility = e.shiftKey ? 1 : this.editor.session.pendingVisibility;
    this.tool.transition('placing', { start: screen, visibility } satisfies PlacingInfo);
  }

  override onPointerMove(e: EditorPointerEvent): void {
    this.editor.setHover(this.editor.hitTestPoint(screenOf(e), e.pointerType));
  }
}
