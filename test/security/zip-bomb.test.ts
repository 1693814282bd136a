/**
 * Hole 3 of issue 7: zip bombs wrote gigabytes before the refusal. Every entry's
 * declared size and compression ratio are checked before anything is extracted, bytes
 * are counted while inflating, and a hostile archive leaves no file and no row. A zip
 * that mixes images with other files imports the images and says what it skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { unzipTo } from '../../src/server/storage/zip.js';
import { dialects } from '../helpers/databases.js';
import { blobFiles, multipart, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';
import { makeZip, type ZipEntry } from '../helpers/zip.js';

const MiB = 1024 * 1024;

/** Unpacks `entries` with `limits` into a fresh folder; returns the error (if any) and what was written. */
async function unpack(entries: ZipEntry[], limits: { maxTotalBytes: number; maxEntryBytes: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-zipbomb-'));
  try {
    const archive = path.join(dir, 'in.zip');
    fs.writeFileSync(archive, makeZip(entries));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    let error: unknown;
    try {
      await unzipTo(archive, 'in.zip', out, limits);
    } catch (err) {
      error = err;
    }
    const written = fs.readdirSync(out).reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
    return { error: error as AppError | undefined, files: fs.readdirSync(out).length, written };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('unzipping a hostile archive writes nothing', () => {
  it('refuses a highly compressed entry before extracting any entry', async () => {
    const r = await unpack(
      [
        { name: 'ok.png', data: await solidPng(8, 8, 1) },
        { name: 'bomb.png', data: Buffer.alloc(40 * MiB) },
      ],
      { maxTotalBytes: 1024 * MiB, maxEntryBytes: 1024 * MiB },
    );
    expect(r.error).toBeInstanceOf(AppError);
    expect([r.error!.status, r.error!.id]).toEqual([413, 'zip_compression_ratio']);
    expect(r.files).toBe(0);
  });

  it('refuses an entry over the per-file limit before extracting any entry', async () => {
    const r = await unpack(
      [
        { name: 'ok.png', data: await solidPng(8, 8, 2) },
        { name: 'big.png', data: randomBytes(300_000) },
      ],
      { maxTotalBytes: 10 * MiB, maxEntryBytes: 200_000 },
    );
    expect([r.error?.status, r.error?.id]).toEqual([413, 'zip_entry_too_large']);
    expect(r.files).toBe(0);
  });

  it('refuses an archive over the total limit before extracting any entry', async () => {
    const r = await unpack(
      [
        { name: 'ok.png', data: await solidPng(8, 8, 3) },
        ...Array.from({ length: 5 }, (_, i) => ({ name: `part${i}.png`, data: randomBytes(50_000) })),
      ],
      { maxTotalBytes: 200_000, maxEntryBytes: 200_000 },
    );
    expect([r.error?.status, r.error?.id]).toEqual([413, 'zip_too_large']);
    expect(r.files).toBe(0);
  });

  it('stops inflating an entry whose headers understate its size', async () => {
    const r = await unpack([{ name: 'liar.png', data: Buffer.alloc(40 * MiB), claimedSize: 1000 }], {
      maxTotalBytes: 1024 * MiB,
      maxEntryBytes: 1024 * MiB,
    });
    expect(r.error?.status).toBe(400);
    expect(r.error?.id).toBe('zip_corrupt');
    expect(r.written).toBeLessThan(MiB);
  });
});

describe.each(dialects)('zip uploads on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  afterEach(async () => t?.close());

  async function start(overrides: Record<string, unknown> = {}) {
    t = await startTestApp(dialect, overrides);
    manager = await t.newUser('manager', 'manager');
    return (await t.newProject(manager.headers)).id;
  }
  const upload = (projectId: number, files: { filename: string; content: Buffer }[]) => {
    const mp = multipart(files);
    return t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/images`,
      headers: { ...manager.headers, ...mp.headers },
      payload: mp.payload,
    });
  };
  const state = async () => ({
    items: (await t.ctx.db.selectFrom('items').select('id').execute()).length,
    blobs: (await t.ctx.db.selectFrom('blobs').select('sha256').execute()).length,
    // The blob folder, its previews and its staging folder (tmp/) alike.
    files: blobFiles(t.config.blobDir).sort(),
  });

  it('refuses a bomb with 413 and a stable id, leaving no rows and no files', async () => {
    const projectId = await start();
    // 100 MiB of zeros deflate to about 100 KB (a 1 MB archive of them unpacks to 1 GiB).
    const bomb = makeZip([
      { name: 'a.png', data: await solidPng(8, 8, 1) },
      { name: 'b.png', data: Buffer.alloc(100 * MiB) },
    ]);
    expect(bomb.length).toBeLessThan(MiB / 4);
    const before = await state();
    const res = await upload(projectId, [
      { filename: 'fine.png', content: await solidPng(9, 9, 2) },
      { filename: 'bomb.zip', content: bomb },
    ]);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.id).toBe('zip_compression_ratio');
    expect(await state()).toEqual(before);
  });

  it('applies the per-file limit to zip entries as to loose files', async () => {
    const projectId = await start({ maxUploadBytes: 150_000 });
    // Small enough to upload, but one entry unpacks to more than a loose file may be.
    const small = makeZip([
      { name: 'a.png', data: await solidPng(8, 8, 3) },
      { name: 'b.png', data: Buffer.concat([randomBytes(60_000), Buffer.alloc(140_000)]) },
    ]);
    expect(small.length).toBeLessThan(150_000);
    const before = await state();
    const res = await upload(projectId, [{ filename: 'big.zip', content: small }]);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.id).toBe('zip_entry_too_large');
    expect(await state()).toEqual(before);
  });

  it('imports the images of a mixed zip and reports what it skipped', async () => {
    const projectId = await start();
    const zip = makeZip([
      { name: 'photos/' },
      { name: 'photos/one.png', data: await solidPng(10, 11, 4) },
      { name: 'photos/readme.txt', data: 'Faces from the spring batch.\n' },
      { name: '__MACOSX/photos/._one.png', data: 'resource fork' },
      { name: 'photos/.DS_Store', data: 'finder' },
      { name: 'Thumbs.db', data: 'thumbs' },
      { name: 'labels.csv', data: 'name,label\none.png,1\n' },
      { name: 'two.png', data: await solidPng(12, 13, 5) },
      // No extension: read like an image, and skipped when no image reader knows it.
      { name: 'LICENSE', data: 'CC BY 4.0\n' },
    ]);
    const res = await upload(projectId, [{ filename: 'mixed.zip', content: zip }]);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.added).toBe(2);
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['photos/one.png', 'two.png']);
    expect(body.skipped).toEqual([
      { archive: 'mixed.zip', name: 'photos/', reason: 'folder' },
      { archive: 'mixed.zip', name: 'photos/readme.txt', reason: 'not_an_image' },
      { archive: 'mixed.zip', name: '__MACOSX/photos/._one.png', reason: 'system_file' },
      { archive: 'mixed.zip', name: 'photos/.DS_Store', reason: 'system_file' },
      { archive: 'mixed.zip', name: 'Thumbs.db', reason: 'system_file' },
      { archive: 'mixed.zip', name: 'labels.csv', reason: 'not_an_image' },
      { archive: 'mixed.zip', name: 'LICENSE', reason: 'not_an_image' },
    ]);
    expect(body.skippedTotal).toBe(7);
    expect((await state()).items).toBe(2);
  });
});
