/**
 * Table types for Kysely. Columns are snake_case as stored; times are UTC
 * milliseconds; booleans are 0/1 integers and JSON is text, so one set of queries
 * serves SQLite and PostgreSQL alike.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export type Role = 'admin' | 'manager' | 'reviewer' | 'worker' | 'client';
export type OrgKind = 'vendor' | 'client';
export type Household = 'none' | 'registered_poor' | 'monitored';
export type AssignmentStatus = 'leased' | 'submitted' | 'expired' | 'skipped' | 'released';

export interface OrgTable {
  id: Generated<number>;
  name: string;
  kind: OrgKind;
  created_at: number;
}

export interface UserTable {
  id: Generated<number>;
  org_id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  locale: string;
  disabled: number;
  county: string | null;
  township: string | null;
  village: string | null;
  household: Household;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a leaked table does not leak live sessions. */
  id: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

export interface LoginFailureTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: number;
}

export interface ProjectTable {
  id: Generated<number>;
  org_id: number;
  client_org_id: number | null;
  name: string;
  /** The keypoint template as JSON, a snapshot taken at creation. */
  template: string;
  instructions: string;
  overlap: number;
  lease_seconds: number;
  piece_rate_fen: number;
  max_instances: number;
  status: 'active' | 'paused' | 'archived';
  created_by: number;
  created_at: number;
  /** Share of a worker's items that are gold, 0–0.5. */
  gold_rate: Generated<number>;
  /** Rolling gold accuracy (mean OKS) below which a worker is warned / suspended. */
  warn_below: Generated<number>;
  suspend_below: Generated<number>;
  /** Gold items scored before a worker can be suspended. */
  min_gold: Generated<number>;
  /** Share of submissions sampled for review. */
  review_rate: Generated<number>;
  /** Consensus agreement below this triggers `low_agreement_action`. */
  agreement_threshold: Generated<number>;
  low_agreement_action: Generated<'review' | 'more_overlap' | 'none'>;
  consensus_method: Generated<'median' | 'weighted'>;
}

export interface BlobTable {
  sha256: string;
  size: number;
  mime: string;
  width: number;
  height: number;
  orientation: number;
  has_preview: number;
  created_at: number;
}

export interface ItemTable {
  id: Generated<number>;
  project_id: number;
  blob_sha256: string | null;
  /** An image file on the server, for manifest imports that reference files in place. */
  source_path: string | null;
  name: string;
  width: number;
  height: number;
  meta: string | null;
  is_gold: number;
  /** Active leases plus submissions: the slots of the overlap already taken. */
  claimed: number;
  /** 1 while claimed < the project's overlap: the lease query's index. */
  open: number;
  submitted: number;
  created_at: number;
  /** Extra workers asked for because the first answers disagreed. */
  extra_overlap: Generated<number>;
  /** none, flagged (low agreement), sampled (random review), reviewed. */
  review_state: Generated<'none' | 'flagged' | 'sampled' | 'reviewed'>;
}

export interface AssignmentTable {
  id: Generated<number>;
  project_id: number;
  item_id: number;
  worker_id: number;
  status: AssignmentStatus;
  leased_at: number;
  expires_at: number;
  ended_at: number | null;
  skip_reason: string | null;
}

export interface AnnotationTable {
  id: Generated<number>;
  project_id: number;
  item_id: number;
  assignment_id: number;
  worker_id: number;
  client_submission_id: string;
  data: string;
  instance_count: number;
  active_ms: number;
  created_at: number;
  status: Generated<'submitted' | 'accepted' | 'rejected'>;
}

export interface GoldAnswerTable {
  item_id: number;
  project_id: number;
  data: string;
  source: 'editor' | 'coco' | 'consensus';
  created_by: number;
  created_at: number;
}

export interface GoldScoreTable {
  id: Generated<number>;
  annotation_id: number;
  project_id: number;
  item_id: number;
  worker_id: number;
  /** Mean OKS over the reference's instances (unmatched count as 0): 0–1. */
  score: number;
  nme: number | null;
  swapped: number;
  /** Machine-readable reasons, JSON: what the worker is told went wrong. */
  feedback: string;
  per_point: string | null;
  created_at: number;
}

export interface WorkerStandingTable {
  project_id: number;
  worker_id: number;
  status: 'active' | 'warned' | 'suspended';
  accuracy: number | null;
  gold_count: number;
  reason: string | null;
  updated_at: number;
}

export interface ConsensusTable {
  item_id: number;
  project_id: number;
  data: string;
  agreement: number;
  details: string;
  submissions: number;
  created_at: number;
}

export interface ReviewTable {
  id: Generated<number>;
  project_id: number;
  item_id: number;
  annotation_id: number;
  reviewer_id: number;
  verdict: 'accept' | 'reject';
  reason_code: string | null;
  comment: string | null;
  created_at: number;
}

export interface Database {
  orgs: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_failures: LoginFailureTable;
  projects: ProjectTable;
  blobs: BlobTable;
  items: ItemTable;
  assignments: AssignmentTable;
  annotations: AnnotationTable;
  gold_answers: GoldAnswerTable;
  gold_scores: GoldScoreTable;
  worker_standing: WorkerStandingTable;
  consensus: ConsensusTable;
  reviews: ReviewTable;
}

export type User = Selectable<UserTable>;
export type Project = Selectable<ProjectTable>;
export type Item = Selectable<ItemTable>;
export type Assignment = Selectable<AssignmentTable>;
export type Annotation = Selectable<AnnotationTable>;
export type NewItem = Insertable<ItemTable>;
