/** Pan tool: idle → panning (drag moves the camera) → idle. Escape puts the camera back. */
import type { Editor } from '../../editor.js';
import { Tool } from '../state-node.js';
import { PanIdle } from './idle.js';
import { Panning } from './panning.js';

export function createPanTool(editor: Editor): Tool {
  return new Tool('pan', editor, [PanIdle, Panning]);
}
