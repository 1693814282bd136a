/**
 * Keypoint tool. idle → placing (press on empty image: the point appears at once and
 * follows the pointer past the drag threshold; release commits and advances) ·
 * idle → pointing_point (press on a point) → dragging_point (moved) or, released
 * without moving, selects that point and makes it active.
 */
import type { Editor } from '../../editor.js';
import { Tool } from '../state-node.js';
import { DraggingPoint } from './dragging-point.js';
import { KeypointIdle } from './idle.js';
import { Placing } from './placing.js';
import { PointingPoint } from './pointing-point.js';

export function createKeypointTool(editor: Editor): Tool {
  return new Tool('keypoint', editor, [KeypointIdle, Placing, PointingPoint, DraggingPoint]);
}
