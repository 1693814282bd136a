/**
 * Streams a project as COCO keypoints JSON. By default that is the final dataset: one
 * result per face of every finished regular item (its consensus); `accepted` and `all`
 * give the individual answers instead (see core/api/export-options.ts and
 * docs/export.md). Items and annotations are read in keyset pages, so memory stays
 * flat whatever the project's size.
 */
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../core/api/export-options.js';
import type { AnnotationData } from '../../core/annotation.js';
import { cocoAnnotationsJson, cocoCategory, type CocoExtras } from '../../core/coco.js';
import type { Project } from '../db/types.js';
import { forbidden, notFound } from '../errors.js';
import type { ExportRepository } from '../repositories/export.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import { assertCanManage, assertCanView, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';

/** Rows per page: small pages keep what survives a garbage collection small. */
const PAGE = 200;

export class ExportService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly rows: ExportRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks access, then returns the file's chunks. Anyone who may see the project
   * gets `final` and `accepted`; the audit (`all`) is for the base's staff, and gold
   * references for its managers. The command line (`actor` null) may do everything.
   */
  async coco(
    actor: Actor | null,
    projectId: number,
    options: ExportOptions = DEFAULT_EXPORT_OPTIONS,
  ): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
    const project = await this.projects.get(projectId);
    if (actor) assertCanExport(actor, project, options);
    else if (!project) throw notFound('project');
    const suffix = options.mode === 'final' ? '' : `-${options.mode}`;
    const filename = `shugu-project-${projectId}-coco${suffix}.json`;
    return { filename, chunks: this.cocoChunks(project!, options) };
  }

  private async *cocoChunks(project: Project, options: ExportOptions): AsyncGenerator<string> {
    const { mode, includeGold } = options;
    const template = templateOf(project);
    const info = {
      description: project.name,
      version: '1.0',
      date_created: new Date(this.clock.now()).toISOString(),
      contributor: 'Shugu',
      shugu_project_id: project.id,
      shugu_template: template.id,
      // What this file holds; `all` lists every item whatever `unfinished` says.
      shugu: { mode, unfinished: mode === 'all' ? 'listed' : options.unfinished, includeGold },
    };
    yield `{"info":${JSON.stringify(info)},"licenses":[],"categories":[${JSON.stringify(cocoCategory(template))}],"images":[`;
    yield* this.images(project, options);
    yield '],"annotations":[';
    const state = { first: true, id: 0 };
    if (mode === 'final') yield* this.finalAnnotations(project, state);
    else yield* this.answerAnnotations(project, mode, state);
    if (includeGold) yield* this.goldAnnotations(project, state);
    yield ']}\n';
  }

  private async *images(project: Project, options: ExportOptions): AsyncGenerator<string> {
    const filter = {
      all: options.mode === 'all',
      unfinished: options.unfinished === 'empty',
      gold: options.includeGold,
    };
    let first = true;
    for (let after = 0; ;) {
      const rows = await this.rows.items(project.id, project.overlap, filter, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        const image = { id: r.id, file_name: r.name, width: r.width, height: r.height };
        const mark = r.is_gold ? { shugu_gold: true } : { shugu_finished: r.finished };
        out += (first ? '' : ',') + JSON.stringify({ ...image, ...mark });
        first = false;
      }
      yield out;
      after = rows[rows.length - 1].id;
    }
  }

  private async *finalAnnotations(project: Project, state: AnnotationState): AsyncGenerator<string> {
    const nextId = () => ++state.id;
    for (let after = 0; ;) {
      const rows = await this.rows.finalResults(project.id, project.overlap, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) out += this.encode(r.data, r.item_id, nextId, {}, state);
      yield out;
      after = rows[rows.length - 1].item_id;
    }
  }

  private async *answerAnnotations(
    project: Project,
    mode: 'accepted' | 'all',
    state: AnnotationState,
  ): AsyncGenerator<string> {
    const nextId = () => ++state.id;
    for (let after = 0; ;) {
      const rows = await this.rows.answers(project.id, project.overlap, mode, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        const extras: CocoExtras = { workerId: r.worker_id, annotationId: r.id };
        if (mode === 'all') {
          extras.status = r.status;
          extras.createdAt = new Date(r.created_at).toISOString();
          if (r.status === 'rejected') {
            const reason = r.reject_reason ?? null;
            extras.rejectedBy = reason ? 'review' : 'suspension';
            extras.rejectReason = reason;
          }
        }
        out += this.encode(r.data, r.item_id, nextId, extras, state);
      }
      yield out;
      after = rows[rows.length - 1].id;
    }
  }

  private async *goldAnnotations(project: Project, state: AnnotationState): AsyncGenerator<string> {
    const nextId = () => ++state.id;
    for (let after = 0; ;) {
      const rows = await this.rows.goldReferences(project.id, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) out += this.encode(r.data, r.item_id, nextId, { goldReference: true }, state);
      yield out;
      after = rows[rows.length - 1].item_id;
    }
  }

  private encode(data: string, imageId: number, nextId: () => number, extras: CocoExtras, state: AnnotationState) {
    const json = cocoAnnotationsJson(JSON.parse(data) as AnnotationData, imageId, nextId, extras, !state.first);
    if (json) state.first = false;
    return json;
  }
}

interface AnnotationState {
  first: boolean;
  id: number;
}

function assertCanExport(
  actor: Actor,
  project: Project | undefined,
  options: ExportOptions,
): asserts project is Project {
  // Gold references are shown to managers only (see QualityService).
  if (options.includeGold) assertCanManage(actor, project);
  else assertCanView(actor, project);
  if (options.mode === 'all' && actor.role === 'client') {
    throw forbidden('role_not_allowed', 'The audit export (mode=all) is for the base’s staff.');
  }
}
