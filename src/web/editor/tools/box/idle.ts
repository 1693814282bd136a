import type { EditorPointerEvent } from '../../types.js';
import { StateNode, screenOf } from '../state-node.js';
import type { PointingBoxInfo } from './pointing.js';

export class BoxIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0 || !this.editor.isNearImage(screenOf(e), e.pointerType)) return;
    this.tool.transition('pointing', { start: screenOf(e) } satisfies PointingBoxInfo);
  }
}
