/**
 * Streams a project's answers as COCO keypoints JSON. Items and annotations are read
 * in keyset pages, so memory stays flat whatever the project's size.
 */
import { cocoAnnotationsJson, cocoCategory } from '../../core/coco.js';
import type { AnnotationData } from '../../core/annotation.js';
import type { AnnotationRepository } from '../repositories/annotation.repository.js';
import type { ItemRepository } from '../repositories/item.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { Project } from '../db/types.js';
import { notFound } from '../errors.js';
import { assertCanView, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';

/** Rows per page: small pages keep what survives a garbage collection small. */
const PAGE = 200;

export class ExportService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly items: ItemRepository,
    private readonly annotations: AnnotationRepository,
    private readonly clock: Clock,
  ) {}

  /** Checks access, then returns the file's chunks. */
  async coco(actor: Actor | null, projectId: number): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
    const project = await this.projects.get(projectId);
    if (actor) assertCanView(actor, project);
    else if (!project) throw notFound('project');
    const filename = `shugu-project-${projectId}-coco.json`;
    return { filename, chunks: this.cocoChunks(project!) };
  }

  private async *cocoChunks(project: Project): AsyncGenerator<string> {
    const projectId = project.id;
    const template = templateOf(project);
    const info = {
      description: project.name,
      version: '1.0',
      date_created: new Date(this.clock.now()).toISOString(),
      contributor: 'Shugu',
      shugu_project_id: project.id,
      shugu_template: template.id,
    };
    yield `{"info":${JSON.stringify(info)},"licenses":[],"categories":[${JSON.stringify(cocoCategory(template))}],"images":[`;
    let first = true;
    for (let after = 0; ;) {
      const rows = await this.items.page(projectId, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        out += (first ? '' : ',') + JSON.stringify({ id: r.id, file_name: r.name, width: r.width, height: r.height });
        first = false;
      }
      yield out;
      after = rows[rows.length - 1].id;
    }
    yield '],"annotations":[';
    first = true;
    let id = 0;
    const nextId = () => ++id;
    for (let after = 0; ;) {
      const rows = await this.annotations.page(projectId, after, PAGE);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        const data = JSON.parse(r.data) as AnnotationData;
        const json = cocoAnnotationsJson(
          data,
          r.item_id,
          nextId,
          { workerId: r.worker_id, annotationId: r.id },
          !first,
        );
        if (json) first = false;
        out += json;
      }
      yield out;
      after = rows[rows.length - 1].id;
    }
    yield ']}\n';
  }
}
