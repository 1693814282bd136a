/**
 * Images into a project: uploaded files, zip archives and server folders. A request
 * is all or nothing: every file is staged and checked before any is adopted into the
 * blob store or recorded, and a failure removes what this request created.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isCleanText } from '../../core/api/primitives.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { withTx } from '../db/tx.js';
import type { NewItem } from '../db/types.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { BlobRepository } from '../repositories/blob.repository.js';
import { existingBlobsInProject, type ItemRepository } from '../repositories/item.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import { sha256File, type BlobStore } from '../storage/blob-store.js';
import { probeImage, type ProbedImage } from '../storage/image-probe.js';
import { unzipTo, type SkippedEntry } from '../storage/zip.js';
import { assertCanUpload, imageHoldersOf, type Actor } from './access.js';
import type { Clock } from './clock.js';

export interface StagedUpload {
  /** The name the uploader gave the file. */
  name: string;
  /** Where it lies now, inside a staging folder from `BlobStore.stagingDir()`. */
  file: string;
}

export interface IngestResult {
  added: number;
  duplicates: number;
  items: { id: number; name: string; width: number; height: number }[];
}

interface Checked extends ProbedImage {
  name: string;
  file: string;
  preview: string;
  sha256: string;
}

const isZip = (name: string) => /\.zip$/i.test(name);
/** Image formats by extension: a zip entry named so is checked, and refused when bad. */
const IMAGE_EXT = /\.(jpe?g|jpe|jfif|png|webp|gif|tiff?|bmp|heic|heif|avif|svg)$/i;
const hasExtension = (name: string) => /\.[^./]+$/.test(path.posix.basename(name));
/** A zip entry named as a document (readme.txt, labels.csv) is left in the archive unread. */
const skipInZip = (name: string) => (hasExtension(name) && !IMAGE_EXT.test(name) ? 'not_an_image' : undefined);
/** At most this many skipped entries are listed in a response; `skippedTotal` counts them all. */
const MAX_LISTED_SKIPS = 1000;
/** Longest file name kept for an item. */
const MAX_NAME_LENGTH = 1000;

export class ImageService {
  constructor(
    private readonly db: Db,
    private readonly projects: ProjectRepository,
    private readonly items: ItemRepository,
    private readonly blobs: BlobRepository,
    private readonly store: BlobStore,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds staged uploads (images and zip archives) to a project, all or nothing. Files
   * in an archive that are not images (folders, system files, documents) are skipped
   * and listed; an image that is damaged refuses the whole request.
   */
  async ingest(
    actor: Actor,
    projectId: number,
    staged: StagedUpload[],
    stagingDir: string,
  ): Promise<IngestResult & { skipped: SkippedEntry[]; skippedTotal: number }> {
    assertCanUpload(actor, await this.projects.get(projectId));
    if (staged.length === 0) throw badRequest('no_files', 'The upload held no files.');
    const files: (StagedUpload & { archive?: string })[] = [];
    const skipped: SkippedEntry[] = [];
    // One budget for every archive of the request.
    let zipBytesLeft = this.config.maxZipBytes;
    for (const s of staged) {
      if (s.name.length > MAX_NAME_LENGTH || !isCleanText(s.name)) {
        throw badRequest('invalid_file_name', 'A file name is too long or holds NUL characters or broken Unicode.');
      }
      if (isZip(s.name)) {
        const dir = await fsp.mkdtemp(path.join(stagingDir, 'zip-'));
        const r = await unzipTo(s.file, s.name, dir, {
          maxTotalBytes: zipBytesLeft,
          maxEntryBytes: this.config.maxUploadBytes,
          skip: skipInZip,
        });
        zipBytesLeft -= r.bytes;
        files.push(...r.files.map((f) => ({ ...f, archive: s.name })));
        skipped.push(...r.skipped);
        await fsp.rm(s.file, { force: true });
      } else {
        files.push(s);
      }
    }
    const checked: Checked[] = [];
    for (const f of files) {
      try {
        checked.push(await this.check(f));
      } catch (err) {
        // An archive's extensionless file that no image reader knows is a document, not a damaged image.
        if (f.archive && !hasExtension(f.name) && err instanceof AppError && err.id === 'not_an_image') {
          skipped.push({ archive: f.archive, name: f.name, reason: 'not_an_image' });
          await fsp.rm(f.file, { force: true });
          continue;
        }
        throw err;
      }
    }
    if (checked.length === 0) throw badRequest('no_files', 'The archives held no images.');
    const result = await this.commit(projectId, checked);
    return { ...result, skipped: skipped.slice(0, MAX_LISTED_SKIPS), skippedTotal: skipped.length };
  }

  /**
   * Imports every image under a server folder (the CLI's `import`), in batches so a
   * folder of any size streams through. Unreadable files are reported and skipped.
   */
  async importFolder(
    projectId: number,
    folder: string,
    onProgress: (done: number, total: number) => void = () => {},
  ): Promise<IngestResult & { skipped: { name: string; reason: string }[] }> {
    const project = await this.projects.get(projectId);
    if (!project) throw notFound('project');
    const all = (await fsp.readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile() && /\.(jpe?g|png|webp)$/i.test(d.name))
      .map((d) => path.join(d.parentPath, d.name))
      .sort();
    const result = {
      added: 0,
      duplicates: 0,
      items: [] as IngestResult['items'],
      skipped: [] as { name: string; reason: string }[],
    };
    const BATCH = 200;
    for (let i = 0; i < all.length; i += BATCH) {
      const dir = await this.store.stagingDir();
      try {
        const checked: Checked[] = [];
        for (const abs of all.slice(i, i + BATCH)) {
          const name = path.relative(folder, abs).split(path.sep).join('/');
          const copy = path.join(dir, `f${checked.length}-${result.skipped.length}`);
          await fsp.copyFile(abs, copy);
          try {
            checked.push(await this.check({ name, file: copy }));
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            result.skipped.push({ name, reason: err.message });
          }
        }
        const r = await this.commit(projectId, checked);
        result.added += r.added;
        result.duplicates += r.duplicates;
        result.items.push(...r.items);
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
      onProgress(Math.min(i + BATCH, all.length), all.length);
    }
    return result;
  }

  private async check(f: StagedUpload): Promise<Checked> {
    const preview = `${f.file}.preview.jpg`;
    const probed = await probeImage(f.file, f.name, this.config.maxImagePixels, preview);
    return { ...probed, name: f.name, file: f.file, preview, sha256: await sha256File(f.file) };
  }

  private async commit(projectId: number, checked: Checked[]): Promise<IngestResult> {
    const project = await this.projects.get(projectId);
    const inProject = await existingBlobsInProject(
      this.db,
      projectId,
      checked.map((c) => c.sha256),
    );
    const fresh: Checked[] = [];
    const seen = new Set(inProject);
    for (const c of checked) {
      if (seen.has(c.sha256)) continue;
      seen.add(c.sha256);
      fresh.push(c);
    }
    const created: string[] = [];
    const now = this.clock.now();
    try {
      for (const c of fresh) {
        if (await this.store.adopt(c.file, c.sha256)) {
          created.push(c.sha256);
          await this.store.adoptPreview(c.preview, c.sha256);
        }
      }
      const rows: NewItem[] = fresh.map((c) => ({
        project_id: projectId,
        blob_sha256: c.sha256,
        source_path: null,
        name: c.name,
        width: c.width,
        height: c.height,
        meta: null,
        is_gold: 0,
        claimed: 0,
        open: 1,
        submitted: 0,
        created_at: now,
      }));
      const items = await withTx(this.db, async (trx) => {
        for (const c of fresh) {
          await this.blobs.upsert(
            {
              sha256: c.sha256,
              size: (await fsp.stat(this.store.pathOf(c.sha256))).size,
              mime: c.mime,
              width: c.width,
              height: c.height,
              orientation: c.orientation,
              has_preview: 1,
              created_at: now,
            },
            trx,
          );
        }
        // Having uploaded the bytes, the project's organisations may name the images by SHA-256.
        await this.blobs.grant(trx, imageHoldersOf(project!), [...new Set(checked.map((c) => c.sha256))]);
        return this.items.insertReturning(trx, rows);
      });
      return { added: items.length, duplicates: checked.length - fresh.length, items };
    } catch (err) {
      for (const sha of created) await this.store.remove(sha);
      throw err;
    }
  }
}
