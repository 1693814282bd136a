import type { PointRef } from '../../document.js';
import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode, movedBeyond, screenOf } from '../state-node.js';
import type { DraggingPointInfo } from './dragging-point.js';

export interface PointingPointInfo {
  ref: PointRef;
  start: Vec;
}

/** Pressed on an existing point: a move past the threshold drags it, a release selects it. */
export class PointingPoint extends StateNode {
  readonly id = 'pointing_point';
  private info: PointingPointInfo | null = null;

  override onEnter(info: PointingPointInfo): void {
    this.info = info;
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (!this.info || !movedBeyond(this.editor, this.info.start, e)) return;
    const { ref, start } = this.info;
    this.tool.transition('dragging_point', { ref, start, current: screenOf(e) } satisfies DraggingPointInfo);
  }

  override onPointerUp(): void {
    if (this.info) this.editor.selectPoint(this.info.ref);
    this.tool.transition('idle');
  }

  override onCancel(): void {
    this.tool.transition('idle');
  }
}
