/**
 * The web app's HTTP client. Every failure becomes an `ApiError` carrying the
 * server's stable error id; a network failure has id `network`.
 */
import type { KeypointTemplate } from '../core/templates/template';
import type { AnnotationData } from '../core/annotation';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', (err as Error).message);
  }
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, 'bad_response', text.slice(0, 200));
  }
  if (!res.ok)
    throw new ApiError(res.status, json?.error?.id ?? 'http_' + res.status, json?.error?.message ?? res.statusText);
  return json as T;
}

export type Role = 'admin' | 'manager' | 'reviewer' | 'worker' | 'client';
export interface User {
  id: number;
  org_id: number;
  username: string;
  display_name: string;
  role: Role;
  locale: string;
  /** 1 after a reset: this session may only set a new password. */
  must_change_password?: number;
}
export interface Progress {
  items: number;
  submissions: number;
  itemsFullyClaimed: number;
  /** Staff only: a worker's progress counts regular items and says nothing of gold. */
  gold?: number;
}
export interface Project {
  id: number;
  name: string;
  template: KeypointTemplate;
  instructions: string;
  overlap: number;
  leaseSeconds: number;
  pieceRateFen: number;
  maxInstances: number;
  status: 'active' | 'paused' | 'archived';
  quality: {
    goldRate: number;
    warnBelow: number;
    suspendBelow: number;
    minGold: number;
    reviewRate: number;
    agreementThreshold: number;
    lowAgreementAction: 'review' | 'more_overlap' | 'none';
    consensusMethod: 'median' | 'weighted';
    maxExtraOverlap: number;
    goldSkipAction: 'none' | 'warn' | 'suspend';
    goldSkipMargin: number;
    feedbackBatch: number;
  };
  createdAt: string;
  progress?: Progress;
}
export interface Lease {
  assignmentId: number;
  expiresAt: string;
  item: { id: number; width: number; height: number };
  imageUrl: string;
  previewUrl: string;
}
export interface ItemSummary {
  id: number;
  name: string;
  width: number;
  height: number;
  submitted: number;
}
export interface ItemDetail extends ItemSummary {
  projectId: number;
  submissions: {
    id: number;
    workerId: number;
    worker: string;
    data: AnnotationData;
    activeMs: number;
    createdAt: string;
  }[];
}
