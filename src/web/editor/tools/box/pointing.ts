import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode, movedBeyond, screenOf } from '../state-node.js';
import type { DrawingBoxInfo } from './drawing.js';

export interface PointingBoxInfo {
  start: Vec;
}

export class PointingBox extends StateNode {
  readonly id = 'pointing';
  private start: Vec = { x: 0, y: 0 };

  override onEnter(info: PointingBoxInfo): void {
    this.start = info.start;
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (!movedBeyond(this.editor, this.start, e)) return;
    this.tool.transition('drawing', { start: this.start, current: screenOf(e) } satisfies DrawingBoxInfo);
  }

  override onPointerUp(): void {
    const id = this.editor.hitTestBox(this.start);
    if (id !== null) this.editor.setActiveInstance(id);
    this.tool.transition('idle');
  }

  override onCancel(): void {
    this.tool.transition('idle');
  }
}
