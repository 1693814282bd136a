import { boxFromCorners } from '../../document.js';
import type { EditorPointerEvent, Vec } from '../../types.js';
import { StateNode, screenOf } from '../state-node.js';

export interface DrawingBoxInfo {
  start: Vec;
  current: Vec;
}

/** Boxes smaller than this on screen (CSS pixels, either side) are taken as a slip and dropped. */
const MIN_BOX_SCREEN = 4;

export class DrawingBox extends StateNode {
  readonly id = 'drawing';
  private instanceId: string | null = null;
  private anchor: Vec = { x: 0, y: 0 };

  override onEnter(info: DrawingBoxInfo): void {
    this.anchor = this.editor.clampToImage(this.editor.screenToImage(info.start));
    this.editor.mark();
    this.instanceId = this.editor.createInstance(this.boxTo(info.current));
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (this.instanceId !== null) this.editor.setInstanceBox(this.instanceId, this.boxTo(screenOf(e)));
  }

  override onPointerUp(): void {
    const box = this.editor.getInstance(this.instanceId)?.bbox;
    const min = MIN_BOX_SCREEN / this.editor.session.camera.zoom;
    if (!box || box[2] < min || box[3] < min) {
      this.editor.bailToMark();
      this.tool.transition('idle');
      return;
    }
    this.editor.complete();
    this.tool.transition('idle');
    this.editor.setTool('keypoint');
  }

  override onCancel(): void {
    this.editor.bailToMark();
    this.tool.transition('idle');
  }

  private boxTo(screen: Vec) {
    return boxFromCorners(this.anchor, this.editor.clampToImage(this.editor.screenToImage(screen)));
  }
}
