import type { PointRef } from '../../document.js';
import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode, screenOf } from '../state-node.js';

export interface DraggingPointInfo {
  ref: PointRef;
  start: Vec;
  current: Vec;
}

/**
 * Moves one point live; the whole drag is one undo step. The point keeps its offset from
 * the pointer (it does not jump under the cursor), so fine adjustments stay fine.
 */
export class DraggingPoint extends StateNode {
  readonly id = 'dragging_point';
  private ref: PointRef | null = null;
  private offset: Vec = { x: 0, y: 0 };

  override onEnter(info: DraggingPointInfo): void {
    const p = this.editor.getPoint(info.ref);
    if (!p) {
      this.tool.transition('idle');
      return;
    }
    this.ref = info.ref;
    const grab = this.editor.screenToImage(info.start);
    this.offset = { x: p[0] - grab.x, y: p[1] - grab.y };
    this.editor.mark();
    this.moveTo(info.current);
  }

  override onPointerMove(e: EditorPointerEvent): void {
    this.moveTo(screenOf(e));
  }

  override onPointerUp(): void {
    if (this.ref) this.editor.selectPoint(this.ref);
    this.editor.complete();
    this.tool.transition('idle');
  }

  override onCancel(): void {
    this.editor.bailToMark();
    this.tool.transition('idle');
  }

  private moveTo(screen: Vec): void {
    if (!this.ref) return;
    const current = this.editor.getPoint(this.ref);
    if (!current) return;
    const q = this.editor.screenToImage(screen);
    const p = this.editor.clampToImage({ x: q.x + this.offset.x, y: q.y + this.offset.y });
    this.editor.setPoint(this.ref, [p.x, p.y, current[2]]);
  }
}
