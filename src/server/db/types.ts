/**
 * Table types for Kysely. Columns are snake_case as stored; times are UTC
 * milliseconds; booleans are 0/1 integers and JSON is text, so one set of queries
 * serves SQLite and PostgreSQL alike.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export type Role = 'admin' | 'manager' | 'reviewer' | 'worker' | 'client';
export type OrgKind = 'vendor' | 'client';
/** A code from the editable `household_statuses` list (e.g. 'none', 'registered_poor', 'lifted', 'monitored'). */
export type Household = string;
export type AssignmentStatus = 'leased' | 'submitted' | 'expired' | 'skipped' | 'released';

export interface OrgTable {
  id: Generated<number>;
  name: string;
  kind: OrgKind;
  created_at: number;
  /** The vendor that serves a client organisation; null for a vendor. */
  vendor_org_id: number | null;
  /** Local minimum hourly wage in fen for the fair-pay check; each base sets its own. */
  min_hourly_wage_fen: Generated<number>;
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
  phone: string | null;
  /** 'YYYY-MM-DD', the UTC day the person started; null for staff added before people records. */
  start_date: string | null;
  /** 'YYYY-MM-DD', set when a worker leaves. */
  end_date: string | null;
  /** 1 when the person explicitly agreed to be named in reports. */
  consent_named: Generated<number>;
  /** 1 after a reset: the session may only set a new password. */
  must_change_password: Generated<number>;
  team_id: number | null;
}

export interface HouseholdStatusTable {
  code: string;
  label_zh: string;
  label_en: string;
  sort: number;
  active: number;
}

export interface TeamTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  lead_user_id: number | null;
  created_at: number;
}

/** Exactly one of user_id and team_id is set. */
export interface ProjectMemberTable {
  project_id: number;
  user_id: number | null;
  team_id: number | null;
  created_at: number;
}

export interface ProfileChangeTable {
  id: Generated<number>;
  user_id: number;
  /** Null when the person changed it herself through sign-up or a system step. */
  changed_by: number | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  at: number;
}

export interface InvitationTable {
  id: Generated<number>;
  org_id: number;
  /** SHA-256 of the code; the code itself is shown once. */
  code_hash: string;
  role: Role;
  team_id: number | null;
  expires_at: number;
  max_uses: number;
  uses: Generated<number>;
  created_by: number;
  created_at: number;
  revoked_at: number | null;
}

export interface OneTimeCodeTable {
  user_id: number;
  /** argon2id of the code, the same hash the password column holds until it is replaced. */
  code_hash: string;
  expires_at: number;
  used_at: number | null;
  created_by: number | null;
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
  /** `read` tokens may only GET; `write` tokens may do what their user may. */
  scope: Generated<TokenScope>;
  expires_at: number | null;
  /** Updated at most once a minute, so a busy client does not write on every request. */
  last_used_at: number | null;
}

export type TokenScope = 'read' | 'write';

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
  /** Pay: bonus tiers by gold accuracy as JSON `[{ minAccuracy, bonusPct }]`. */
  bonus_tiers: Generated<string>;
  /** Pay: hourly floor in fen over active time (0: none), topped up when a period closes. */
  hourly_floor_fen: Generated<number>;
  /** Pay: OKS against the final consensus (or gold score) from which an answer is accepted. */
  accept_oks: Generated<number>;
  /** Extra answers `more_overlap` may add to one item; past it a disagreeing item goes to review. */
  max_extra_overlap: Generated<number>;
  /** The skip rule (gold skip rate against regular skip rate): none, warn or suspend. */
  gold_skip_action: Generated<'none' | 'warn' | 'suspend'>;
  /** How far (0–1) her gold skip rate may exceed her regular one before the skip rule acts. */
  gold_skip_margin: Generated<number>;
  /** Her quality page shows her standing as of her last completed batch of this many answers. */
  feedback_batch: Generated<number>;
  /** Rolling agreement with peers (leave-one-out score) under which a worker is warned / suspended (0: off). */
  peer_warn_below: Generated<number>;
  peer_suspend_below: Generated<number>;
  /** Credible peer scores before the peer rule acts. */
  peer_min: Generated<number>;
  /** Share of swapped answers (last 20 gold and peer checks) at which a worker is suspended (0: off). */
  swap_suspend_share: Generated<number>;
  /** Active milliseconds per placed point under which an answer is discarded as not real (0: off). */
  fast_ms_per_point: Generated<number>;
  /** Too-fast answers after which a worker is suspended (0: never). */
  fast_suspend_after: Generated<number>;
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

/** An image an organisation may name by SHA-256: it is in one of the organisation's projects. */
export interface OrgBlobTable {
  org_id: number;
  sha256: string;
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
  /** A random key: regular items are leased and gold is picked in this order, never by id. */
  lease_order: Generated<number>;
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
  /** Times this worker was given the item: an item she gave back may return to her. */
  lease_count: Generated<number>;
  /** Times she gave it back unanswered (skipped, released or let expire). */
  skip_count: Generated<number>;
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
  /** When the answer was accepted for pay (services/acceptance.ts); null while not accepted. */
  accepted_at: number | null;
  /** Its gold score or its OKS against the consensus, when one decided it. */
  accuracy: number | null;
  /** A gold answer's decision is due at this time (then cleared); null for every other answer. */
  decide_at: number | null;
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
  /** Her error scale (σ per coordinate, in inter-ocular distances) from gold and peers: her weight in a consensus. */
  sigma?: number | null;
  /** The points of evidence behind `sigma`. */
  sigma_points?: number;
  /** Credible peer scores so far, and their rolling mean. */
  peer_count?: number;
  peer_score?: number | null;
  /** Answers discarded as too fast since her last reinstatement. */
  fast_count?: number;
  /** Peer, swap and speed evidence counts from this time (UTC ms): her last reinstatement. */
  rules_since?: number;
}

export interface PeerScoreTable {
  id: Generated<number>;
  annotation_id: number;
  project_id: number;
  item_id: number;
  worker_id: number;
  /** Gold-style score against the consensus of the item's other answers; null when they gave no credible one. */
  score: number | null;
  nme: number | null;
  swapped: number;
  credible: number;
  /** Her error scale on this item (σ, inter-ocular distances). */
  sigma: number | null;
  created_at: number;
}

export type QualityRule = 'gold' | 'peer' | 'swap' | 'fast' | 'skip' | 'review' | 'agreement';
export type QualityAction = 'warned' | 'suspended' | 'discarded' | 'flagged' | 'reinstated' | 'cleared';

/** What a quality rule did, for the manager's log. */
export interface QualityEventTable {
  id: Generated<number>;
  project_id: number;
  worker_id: number | null;
  item_id: number | null;
  rule: QualityRule;
  action: QualityAction;
  /** Answers the action concerned (discarded, rejected). */
  count: number;
  /** JSON: the figures that decided it. */
  detail: string | null;
  created_at: number;
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

export type LedgerKind = 'earning' | 'bonus' | 'reversal' | 'adjustment' | 'payout' | 'floor_topup';

/** Append-only money entries in signed integer fen; balances are sums of them. */
export interface LedgerEntryTable {
  id: Generated<number>;
  org_id: number;
  worker_id: number;
  project_id: number | null;
  annotation_id: number | null;
  kind: LedgerKind;
  amount_fen: number;
  /** 'YYYY-MM': the open pay period the entry is booked in. */
  period: string;
  reverses_id: number | null;
  reason: string | null;
  idem_key: string | null;
  created_at: number;
  created_by: number | null;
}

export interface PayPeriodTable {
  org_id: number;
  period: string;
  status: 'open' | 'closed';
  created_at: number;
  closed_at: number | null;
  closed_by: number | null;
}

/** A training course: one per template in an organisation; its exam certifies the template. */
export interface TrainingCourseTable {
  id: Generated<number>;
  org_id: number;
  /** The template's `id` (e.g. `face-68`): what a certification is for. */
  template_id: string;
  /** The keypoint template as JSON, a snapshot taken at creation. */
  template: string;
  title: string;
  description: string;
  status: 'draft' | 'published';
  /** Exam pass marks, 0–1: mean item score, and share of items answered with every point. */
  pass_accuracy: number;
  pass_completeness: number;
  /** Accuracy for level 2 and level 3 certification. */
  level2_accuracy: number;
  level3_accuracy: number;
  /** Wait after a failed exam before the next attempt. */
  cooldown_minutes: number;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface TrainingLessonTable {
  id: Generated<number>;
  course_id: number;
  position: number;
  title: string;
  /** Markdown; images point at the course's assets. */
  body: string;
  created_at: number;
  updated_at: number;
}

export interface TrainingAssetTable {
  course_id: number;
  blob_sha256: string;
  name: string;
  created_at: number;
}

/** A practice or exam image with its reference; never an `items` row, so never work or gold. */
export interface TrainingItemTable {
  id: Generated<number>;
  course_id: number;
  kind: 'practice' | 'exam';
  position: number;
  blob_sha256: string;
  name: string;
  width: number;
  height: number;
  /** The reference answer as JSON; null until a manager draws it. */
  reference: string | null;
  /** Where the reference came from: a manager in the editor, or a model (demo). */
  source: 'editor' | 'model';
  active: number;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface TrainingAttemptTable {
  id: Generated<number>;
  course_id: number;
  user_id: number;
  status: 'open' | 'passed' | 'failed';
  /** JSON array of the exam item ids in the order shown. */
  item_ids: string;
  pass_accuracy: number;
  pass_completeness: number;
  started_at: number;
  expires_at: number;
  finished_at: number | null;
  accuracy: number | null;
  completeness: number | null;
  level: number | null;
}

export interface TrainingAnswerTable {
  id: Generated<number>;
  course_id: number;
  item_id: number;
  user_id: number;
  /** Null for practice. */
  attempt_id: number | null;
  kind: 'practice' | 'exam';
  data: string;
  score: number;
  complete: number;
  /** Practice: JSON `[pointIndex, px][]` of points placed in both answer and reference. */
  point_px: string | null;
  created_at: number;
  updated_at: number;
}

export interface CertificationTable {
  id: Generated<number>;
  user_id: number;
  org_id: number;
  template_id: string;
  level: number;
  status: 'active' | 'revoked';
  certified_at: number;
  course_id: number | null;
  attempt_id: number | null;
  /** The manager who granted it by hand (or null: an exam, or the seed). */
  granted_by: number | null;
  updated_at: number;
}

export interface Database {
  orgs: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_failures: LoginFailureTable;
  projects: ProjectTable;
  blobs: BlobTable;
  org_blobs: OrgBlobTable;
  items: ItemTable;
  assignments: AssignmentTable;
  annotations: AnnotationTable;
  gold_answers: GoldAnswerTable;
  gold_scores: GoldScoreTable;
  worker_standing: WorkerStandingTable;
  peer_scores: PeerScoreTable;
  quality_events: QualityEventTable;
  consensus: ConsensusTable;
  reviews: ReviewTable;
  ledger_entries: LedgerEntryTable;
  pay_periods: PayPeriodTable;
  household_statuses: HouseholdStatusTable;
  teams: TeamTable;
  project_members: ProjectMemberTable;
  profile_changes: ProfileChangeTable;
  invitations: InvitationTable;
  one_time_codes: OneTimeCodeTable;
  training_courses: TrainingCourseTable;
  training_lessons: TrainingLessonTable;
  training_assets: TrainingAssetTable;
  training_items: TrainingItemTable;
  training_attempts: TrainingAttemptTable;
  training_answers: TrainingAnswerTable;
  certifications: CertificationTable;
  server_keys: ServerKeyTable;
}

/** Secrets the server keeps in its database, so that every process shares them. */
export interface ServerKeyTable {
  name: string;
  value: string;
}

export type Org = Selectable<OrgTable>;
export type User = Selectable<UserTable>;
export type Project = Selectable<ProjectTable>;
export type Item = Selectable<ItemTable>;
export type Assignment = Selectable<AssignmentTable>;
export type Annotation = Selectable<AnnotationTable>;
export type NewItem = Insertable<ItemTable>;
