/** The built-in keypoint templates, and the template types and schema. */
import { body17 } from './body-17.js';
import { face5 } from './face-5.js';
import { face68 } from './face-68.js';
import { hand21 } from './hand-21.js';
import type { KeypointTemplate } from './template.js';

export * from './template.js';
export { body17, face5, face68, hand21 };

export const builtinTemplates: readonly KeypointTemplate[] = [face68, face5, body17, hand21];

export function getBuiltinTemplate(id: string): KeypointTemplate | undefined {
  return builtinTemplates.find((t) => t.id === id);
}
