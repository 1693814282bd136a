import type { PointRef } from '../../document.js';
import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode, movedBeyond, screenOf } from '../state-node.js';

export interface PlacingInfo {
  start: Vec;
  visibility: 1 | 2;
}

/** The active point was placed on pointer-down; it follows the pointer until release. */
export class Placing extends StateNode {
  readonly id = 'placing';
  private ref: PointRef | null = null;
  private start: Vec = { x: 0, y: 0 };
  private visibility: 1 | 2 = 2;
  private moved = false;

  override onEnter(info: PlacingInfo): void {
    this.start = info.start;
    this.visibility = info.visibility;
    this.moved = false;
    this.editor.mark();
    this.ref = this.editor.beginPlacement();
    if (!this.ref) {
      this.editor.bailToMark();
      this.tool.transition('idle');
      return;
    }
    this.placeAt(info.start);
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (!this.moved && !movedBeyond(this.editor, this.start, e)) return;
    this.moved = true;
    this.placeAt(screenOf(e));
  }

  override onPointerUp(): void {
    if (this.ref) this.editor.advanceAfter(this.ref);
    this.editor.complete();
    this.tool.transition('idle');
  }

  override onCancel(): void {
    this.editor.bailToMark();
    this.tool.transition('idle');
  }

  private placeAt(screen: Vec): void {
    if (!this.ref) return;
    const p = this.editor.clampToImage(this.editor.screenToImage(screen));
    this.editor.setPoint(this.ref, [p.x, p.y, this.visibility]);
  }
}
