import type { Camera } from '../../session.js';
import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode } from '../state-node.js';

export interface PanningInfo {
  start: Vec;
}

export class Panning extends StateNode {
  readonly id = 'panning';
  private start: Vec = { x: 0, y: 0 };
  private camera: Camera | null = null;

  override onEnter(info: PanningInfo): void {
    this.start = info.start;
    this.camera = this.editor.session.camera;
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (!this.camera) return;
    const { x, y, zoom } = this.camera;
    this.editor.setCamera({ x: x + e.screenX - this.start.x, y: y + e.screenY - this.start.y, zoom });
  }

  override onPointerUp(): void {
    this.tool.transition('idle');
  }

  override onCancel(): void {
    if (this.camera) this.editor.setCamera(this.camera);
    this.tool.transition('idle');
  }
}
