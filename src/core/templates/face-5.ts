/**
 * The 5-point face of MTCNN and RetinaFace, in their order: the subject's right eye
 * first (which appears on the image's left).
 */
import type { KeypointTemplate } from './template.js';

export const face5: KeypointTemplate = {
  id: 'face-5',
  name: { zh: '人脸 5 点', en: 'Face, 5 points' },
  kind: 'face',
  // Reference positions are the ArcFace 112×112 alignment template divided by 112.
  points: [
    {
      id: 'right_eye',
      name: { zh: '右眼中心', en: 'Right eye centre' },
      group: 'eyes',
      side: 'right',
      color: '#ff1744',
      sigma: 0.025,
      ref: [0.342, 0.462],
    },
    {
      id: 'left_eye',
      name: { zh: '左眼中心', en: 'Left eye centre' },
      group: 'eyes',
      side: 'left',
      color: '#2979ff',
      sigma: 0.025,
      ref: [0.657, 0.46],
    },
    {
      id: 'nose_tip',
      name: { zh: '鼻尖', en: 'Nose tip' },
      group: 'nose',
      side: 'center',
      color: '#43a047',
      sigma: 0.025,
      ref: [0.5, 0.641],
    },
    {
      id: 'mouth_right',
      name: { zh: '右嘴角', en: 'Right mouth corner' },
      group: 'mouth',
      side: 'right',
      color: '#c2185b',
      sigma: 0.025,
      ref: [0.371, 0.825],
    },
    {
      id: 'mouth_left',
      name: { zh: '左嘴角', en: 'Left mouth corner' },
      group: 'mouth',
      side: 'left',
      color: '#6a1b9a',
      sigma: 0.025,
      ref: [0.632, 0.823],
    },
  ],
  skeleton: [],
  flipPairs: [
    [0, 1],
    [3, 4],
  ],
  // Eye centres: the inter-ocular distance.
  normalization: [0, 1],
  refAspect: 1,
};
