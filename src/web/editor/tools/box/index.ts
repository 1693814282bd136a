/**
 * Box tool: idle → pointing (press) → drawing (moved past the threshold: a new instance
 * with every point unplaced appears and its box follows the pointer) → release: the
 * instance becomes active and the keypoint tool takes over. A release without moving
 * activates the instance whose box is under the pointer.
 */
import type { Editor } from '../../editor.js';
import { Tool } from '../state-node.js';
import { BoxIdle } from './idle.js';
import { DrawingBox } from './drawing.js';
import { PointingBox } from './pointing.js';

export function createBoxTool(editor: Editor): Tool {
  return new Tool('box', editor, [BoxIdle, PointingBox, DrawingBox]);
}
