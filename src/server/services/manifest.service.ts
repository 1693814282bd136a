/**
 * Imports a manifest: one row per item, JSON Lines or CSV, naming an image already in
 * the blob store (`sha256`) or a file on the server (`path`, inside an allowed import
 * root), with its `width` and `height`; further fields (JSONL `meta`, or any other CSV
 * column) are kept as the item's metadata. The whole file is checked before the first
 * row is written, so a bad row changes nothing; rows are then written in chunks so a
 * million-row import never holds the database for long.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { isCleanText } from '../../core/api/primitives.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { withTx } from '../db/tx.js';
import type { NewItem } from '../db/types.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { BlobRepository } from '../repositories/blob.repository.js';
import type { ItemRepository } from '../repositories/item.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import { assertCanUpload, imageHoldersOf, imageNamerOf, type Actor } from './access.js';
import type { Clock } from './clock.js';

export type ManifestFormat = 'jsonl' | 'csv';

interface Row {
  line: number;
  sha256: string | null;
  path: string | null;
  name: string;
  width: number;
  height: number;
  meta: string | null;
}

const CHUNK = 10_000;
const SHA_RE = /^[0-9a-f]{64}$/;

/** The first `max` UTF-16 units of `s`, never cutting a surrogate pair in half. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

export function manifestFormatOf(filename: string): ManifestFormat {
  return /\.csv$/i.test(filename) ? 'csv' : 'jsonl';
}

export class ManifestService {
  constructor(
    private readonly db: Db,
    private readonly projects: ProjectRepository,
    private readonly items: ItemRepository,
    private readonly blobs: BlobRepository,
    private readonly config: Config,
    private readonly clock: Clock,
  ) {}

  async importFile(
    actor: Actor | null,
    projectId: number,
    file: string,
    format: ManifestFormat,
    onProgress: (phase: 'check' | 'write', rows: number, total: number) => void = () => {},
  ): Promise<{ added: number }> {
    const project = await this.projects.get(projectId);
    if (actor) assertCanUpload(actor, project);
    else if (!project) throw notFound('project');

    // Pass 1: every row checked; blob references resolved in batches.
    let total = 0;
    let pendingShas = new Map<string, number>();
    const namer = imageNamerOf(actor);
    const flushShas = async () => {
      const shas = [...pendingShas.keys()];
      const known =
        namer === null ? new Set((await this.blobs.existing(shas)).keys()) : await this.blobs.usableBy(namer, shas);
      for (const [sha, line] of pendingShas) {
        // Another organisation's image answers exactly like one that was never stored.
        if (!known.has(sha))
          throw badRequest('manifest_unknown_image', `line ${line}: no image available to you has sha256 ${sha}.`);
      }
      pendingShas = new Map();
    };
    for await (const row of this.rows(file, format)) {
      total++;
      if (row.sha256) {
        pendingShas.set(row.sha256, row.line);
        if (pendingShas.size >= 1000) await flushShas();
      }
      if (total % 100_000 === 0) onProgress('check', total, 0);
    }
    await flushShas();
    if (total === 0) throw badRequest('manifest_empty', 'The manifest holds no rows.');
    onProgress('check', total, total);

    // Pass 2: written in chunks.
    const now = this.clock.now();
    let batch: NewItem[] = [];
    let added = 0;
    const flush = async () => {
      const rows = batch;
      batch = [];
      const shas = [...new Set(rows.flatMap((r) => (r.blob_sha256 ? [r.blob_sha256] : [])))];
      await withTx(this.db, async (trx) => {
        await this.items.insertMany(rows, trx);
        // The project's organisations may name its images from now on (see `imageHoldersOf`).
        await this.blobs.grant(trx, imageHoldersOf(project!), shas);
      });
      added += rows.length;
      onProgress('write', added, total);
    };
    for await (const row of this.rows(file, format)) {
      batch.push({
        project_id: projectId,
        blob_sha256: row.sha256,
        source_path: row.path,
        name: row.name,
        width: row.width,
        height: row.height,
        meta: row.meta,
        is_gold: 0,
        claimed: 0,
        open: 1,
        submitted: 0,
        created_at: now,
      });
      if (batch.length >= CHUNK) await flush();
    }
    if (batch.length > 0) await flush();
    return { added };
  }

  private async *rows(file: string, format: ManifestFormat): AsyncGenerator<Row> {
    if (format === 'csv') {
      const parser = fs
        .createReadStream(file)
        .pipe(parseCsv({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
      let line = 1;
      try {
        for await (const rec of parser as AsyncIterable<Record<string, string>>) {
          line++;
          const { sha256, path: p, name, width, height, ...rest } = rec;
          yield this.row(line, { sha256, path: p, name, width: Number(width), height: Number(height), meta: rest });
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw badRequest(
          'manifest_invalid_row',
          `The CSV manifest cannot be read near line ${line}: ${(err as Error).message}`,
        );
      }
      return;
    }
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      let rec: any;
      try {
        rec = JSON.parse(text);
      } catch {
        throw badRequest('manifest_invalid_row', `line ${line}: not valid JSON.`);
      }
      if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
        throw badRequest('manifest_invalid_row', `line ${line}: each line must be a JSON object.`);
      }
      yield this.row(line, rec);
    }
  }

  private row(line: number, rec: any): Row {
    const bad = (why: string) => badRequest('manifest_invalid_row', `line ${line}: ${why}`);
    const { width, height } = rec;
    if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
      throw bad('width and height must be positive whole numbers of pixels.');
    }
    if (width * height > this.config.maxImagePixels) throw bad(`${width}×${height} is over the pixel limit.`);
    // The same rule as text at the edge: PostgreSQL's text (and a file path) cannot hold NUL.
    for (const field of ['sha256', 'path', 'name'] as const) {
      if (typeof rec[field] === 'string' && !isCleanText(rec[field])) {
        throw bad(`${field} holds a NUL character or broken Unicode.`);
      }
    }
    let sha256: string | null = null;
    let file: string | null = null;
    if (typeof rec.sha256 === 'string' && rec.sha256) {
      sha256 = rec.sha256.toLowerCase();
      if (!SHA_RE.test(sha256!)) throw bad('sha256 must be 64 hexadecimal digits.');
    } else if (typeof rec.path === 'string' && rec.path) {
      file = this.resolvePath(rec.path, line);
    } else {
      throw bad('each row names an image by sha256 or by path.');
    }
    const name = typeof rec.name === 'string' && rec.name ? rec.name : file ? path.basename(file) : sha256!;
    let meta: string | null = null;
    const m = rec.meta && typeof rec.meta === 'object' ? rec.meta : null;
    if (m && Object.keys(m).length > 0) meta = JSON.stringify(m);
    if (meta && meta.length > 10_000) throw bad('meta is longer than 10,000 characters.');
    return { line, sha256, path: file, name: truncate(String(name), 500), width, height, meta };
  }

  private resolvePath(p: string, line: number): string {
    const roots = this.config.importRoots;
    if (roots.length === 0) {
      throw badRequest(
        'manifest_paths_disabled',
        'Rows name files by path, but no import root is configured (SHUGU_IMPORT_ROOTS).',
      );
    }
    const abs = path.isAbsolute(p) ? path.resolve(p) : path.resolve(roots[0], p);
    const inside = (f: string, rs: string[]) => rs.some((r) => f === r || f.startsWith(r + path.sep));
    const outside = () =>
      badRequest('manifest_path_outside_roots', `line ${line}: ${p} lies outside the import roots.`);
    if (!inside(abs, roots)) throw outside();
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isFile()) {
      throw badRequest('manifest_file_missing', `line ${line}: there is no file ${p}.`);
    }
    // A symbolic link inside a root must not lead outside all of them.
    const realRoots = roots.map((r) => (fs.existsSync(r) ? fs.realpathSync(r) : r));
    if (!inside(fs.realpathSync(abs), realRoots)) throw outside();
    return abs;
  }
}
