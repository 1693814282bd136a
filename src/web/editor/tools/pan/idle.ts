import type { EditorPointerEvent } from '../../types.js';
import { StateNode, screenOf } from '../state-node.js';
import type { PanningInfo } from './panning.js';

export class PanIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0) return;
    this.tool.transition('panning', { start: screenOf(e) } satisfies PanningInfo);
  }
}
