/**
 * What a worker's browser gets, with every row id replaced by its opaque worker id
 * (services/worker-ids.ts): leases and their image URLs, answers, items. Services
 * keep speaking row ids; only the routes a worker calls go through here, both ways.
 */
import type { LeaseView } from '../services/work.service.js';
import type { WorkerIds } from '../services/worker-ids.js';

export function leaseForWorker(ids: WorkerIds, workerId: number, lease: LeaseView): LeaseView {
  const handle = ids.assignment(lease.assignmentId);
  return {
    assignmentId: handle,
    expiresAt: lease.expiresAt,
    item: { id: ids.item(workerId, lease.item.id), width: lease.item.width, height: lease.item.height },
    imageUrl: `/api/assignments/${handle}/image`,
    previewUrl: `/api/assignments/${handle}/preview`,
  };
}

export function submissionForWorker<T extends { annotationId: number }>(ids: WorkerIds, r: T): T {
  return { ...r, annotationId: ids.annotation(r.annotationId) };
}

export function earningsForWorker<T extends { history: { annotationId: number }[] }>(ids: WorkerIds, page: T): T {
  return { ...page, history: page.history.map((h) => ({ ...h, annotationId: ids.annotation(h.annotationId) })) };
}

export function qualityForWorker<T extends { rejections: { itemId: number }[] }>(
  ids: WorkerIds,
  workerId: number,
  q: T,
): T {
  return { ...q, rejections: q.rejections.map((r) => ({ ...r, itemId: ids.item(workerId, r.itemId) })) };
}
