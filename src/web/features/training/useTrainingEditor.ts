/** An editor and its image for one training item, rebuilt when the item (or `round`) changes. */
import { useEffect, useMemo, useState } from 'react';
import type { AnnotationData } from '../../../core/annotation';
import type { KeypointTemplate } from '../../../core/templates/template';
import type { Project } from '../../api';
import { Editor } from '../../editor';

export interface TrainingItemLike {
  id: number;
  width: number;
  height: number;
  imageUrl: string;
}

export function useTrainingEditor(
  template: KeypointTemplate | null,
  item: TrainingItemLike | null,
  round = 0,
  data?: AnnotationData,
  zeroAsNotInImage = false,
) {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const editor = useMemo(
    () =>
      template && item
        ? new Editor({
            template,
            imageWidth: item.width,
            imageHeight: item.height,
            viewport: { width: 800, height: 600 },
            data,
            loadOptions: zeroAsNotInImage ? { zeroAs: 'not-in-image' } : undefined,
          })
        : null,
    // Rebuilt per item (by id) and per round; a new item object for the same id keeps the work.
    [template, item?.id, round, data],
  );
  useEffect(() => {
    setImage(null);
    if (!item) return;
    let live = true;
    const img = new Image();
    img.src = item.imageUrl;
    img.decode().then(
      () => live && setImage(img),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [item?.imageUrl]);
  return { editor, image };
}

/** The workspace's side panel takes a project; training has only its template. */
export function asProject(template: KeypointTemplate): Project {
  return { template } as Project;
}
