import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects, type TestDialect } from '../helpers/databases.js';
import { blobFiles, multipart, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';
import { crc32, makeZip } from '../helpers/zip.js';

/** A JPEG of noise (so it does not compress to nothing), distinct per seed. */
function noiseJpeg(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: seed % 256, g: 20, b: 200 },
      noise: { type: 'gaussian', mean: 100 + (seed % 50), sigma: 30 },
    },
  })
    .jpeg()
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A tiny PNG whose header claims `width`×`height` pixels: a pixel bomb. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

type File = { filename: string; content: Buffer };

describe.each(dialects)('image upload on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  let seed = 1000;
  afterEach(async () => t?.close());

  async function start(overrides: Record<string, unknown> = {}) {
    t = await startTestApp(dialect as TestDialect, overrides);
    manager = await t.newUser('manager', 'manager');
    return t.newProject(manager.headers);
  }

  const upload = (projectId: number, files: File[]) => {
    const mp = multipart(files);
    return t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/images`,
      headers: { ...manager.headers, ...mp.headers },
      payload: mp.payload,
    });
  };

  const count = async (table: 'items' | 'blobs' | 'annotations') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const snapshot = async () => ({
    items: await count('items'),
    blobs: await count('blobs'),
    annotations: await count('annotations'),
    files: blobFiles(t.config.blobDir).sort(),
  });
  /** Image files in the store, previews and staging left out. */
  const storedBlobs = () =>
    blobFiles(t.config.blobDir).filter((f) => {
      const rel = path.relative(t.config.blobDir, f);
      return !rel.startsWith('previews') && !rel.startsWith('tmp');
    });
  const freshPngs = async (n: number): Promise<File[]> =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => ({
        filename: `good${i}.png`,
        content: await solidPng(20, 10, ++seed),
      })),
    );

  /** Sends `bad` alone and as the last of several new good files; each time nothing may be written. */
  async function expectRefused(projectId: number, bad: File[], status: number, id: string) {
    for (const goodCount of [0, 3]) {
      const before = await snapshot();
      const files = [...(await freshPngs(goodCount)), ...bad];
      const res = await upload(projectId, files);
      const what = `${bad.map((b) => b.filename).join(',')} after ${goodCount} good`;
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.id, what).toBe(id);
      expect(await snapshot(), what).toEqual(before);
    }
  }

  it('stores several PNG and JPEG files from one request with their sizes', async () => {
    const project = await start();
    const files = [
      { filename: 'a.png', content: await solidPng(64, 48, 1) },
      { filename: 'b.jpg', content: await noiseJpeg(50, 40, 2) },
      { filename: 'c.png', content: await solidPng(30, 70, 3) },
      {
        filename: 'd.webp',
        content: await sharp(await solidPng(17, 9, 4))
          .webp()
          .toBuffer(),
      },
    ];
    const res = await upload(project.id, files);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.added).toBe(4);
    expect(body.duplicates).toBe(0);
    expect(body.items.map((i: { name: string; width: number; height: number }) => [i.name, i.width, i.height])).toEqual(
      [
        ['a.png', 64, 48],
        ['b.jpg', 50, 40],
        ['c.png', 30, 70],
        ['d.webp', 17, 9],
      ],
    );
    const rows = await t.ctx.db.selectFrom('items').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.name, r.width, r.height, r.project_id, r.open])).toEqual([
      ['a.png', 64, 48, project.id, 1],
      ['b.jpg', 50, 40, project.id, 1],
      ['c.png', 30, 70, project.id, 1],
      ['d.webp', 17, 9, project.id, 1],
    ]);
    const blobs = await t.ctx.db.selectFrom('blobs').select(['mime', 'width', 'height']).orderBy('width').execute();
    expect(blobs.map((b) => b.mime).sort()).toEqual(['image/jpeg', 'image/png', 'image/png', 'image/webp']);
    // One image file and one preview per upload; staging is left empty.
    expect(storedBlobs()).toHaveLength(4);
    expect(blobFiles(t.config.blobDir)).toHaveLength(8);
    // The original bytes come back unchanged.
    const img = await t.app.inject({
      method: 'GET',
      url: `/api/items/${body.items[0].id}/image`,
      headers: manager.headers,
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.equals(files[0].content)).toBe(true);
  });

  it('unpacks a zip with nested folders, naming items by their paths and skipping junk', async () => {
    const project = await start();
    const zip = makeZip([
      { name: 'faces/' },
      { name: 'faces/a/' },
      { name: 'faces/a/one.png', data: await solidPng(11, 12, 5) },
      { name: 'faces/b/c/two.jpg', data: await noiseJpeg(13, 14, 6), store: true },
      { name: 'top.png', data: await solidPng(15, 16, 7) },
      { name: '__MACOSX/faces/._one.png', data: 'resource fork' },
      { name: 'faces/.DS_Store', data: 'finder' },
      { name: '人脸/三.png', data: await solidPng(17, 18, 8) },
    ]);
    const res = await upload(project.id, [
      { filename: 'loose.png', content: await solidPng(9, 9, 9) },
      { filename: 'batch.zip', content: zip },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().added).toBe(5);
    const rows = await t.ctx.db.selectFrom('items').select(['name', 'width', 'height']).orderBy('id').execute();
    expect(rows).toEqual([
      { name: 'loose.png', width: 9, height: 9 },
      { name: 'faces/a/one.png', width: 11, height: 12 },
      { name: 'faces/b/c/two.jpg', width: 13, height: 14 },
      { name: 'top.png', width: 15, height: 16 },
      { name: '人脸/三.png', width: 17, height: 18 },
    ]);
    expect(storedBlobs()).toHaveLength(5);
  });

  it('stores the same image once, counting duplicates', async () => {
    const project = await start();
    const png = await solidPng(40, 30, 42);
    const res = await upload(project.id, [
      { filename: 'x.png', content: png },
      { filename: 'x-copy.png', content: png },
    ]);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ added: 1, duplicates: 1 });
    expect(res.json().items.map((i: { name: string }) => i.name)).toEqual(['x.png']);
    expect(storedBlobs()).toHaveLength(1);
    // Again in a later request, and inside a zip: still one item, one file.
    const again = await upload(project.id, [
      { filename: 'y.png', content: png },
      { filename: 'z.zip', content: makeZip([{ name: 'in/zip.png', data: png }]) },
    ]);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ added: 0, duplicates: 2, items: [] });
    expect(await count('items')).toBe(1);
    expect(await count('blobs')).toBe(1);
    expect(storedBlobs()).toHaveLength(1);
    // Another project gets its own item for the same bytes, which stay stored once.
    const other = await t.newProject(manager.headers, { name: 'Other' });
    const third = await upload(other.id, [{ filename: 'x.png', content: png }]);
    expect(third.json()).toMatchObject({ added: 1, duplicates: 0 });
    expect(await count('items')).toBe(2);
    expect(await count('blobs')).toBe(1);
    expect(storedBlobs()).toHaveLength(1);
    const shas = await t.ctx.db.selectFrom('items').select('blob_sha256').execute();
    expect(new Set(shas.map((s) => s.blob_sha256)).size).toBe(1);
  });

  it('reports an EXIF-rotated JPEG with its displayed size, and previews it upright', async () => {
    const project = await start();
    const rotated = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'blue' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const res = await upload(project.id, [{ filename: 'phone.jpg', content: rotated }]);
    expect(res.statusCode).toBe(201);
    expect(res.json().items[0]).toMatchObject({ name: 'phone.jpg', width: 20, height: 40 });
    const blob = await t.ctx.db.selectFrom('blobs').selectAll().executeTakeFirstOrThrow();
    expect(blob).toMatchObject({ width: 20, height: 40, orientation: 6, mime: 'image/jpeg' });
    const preview = await t.app.inject({
      method: 'GET',
      url: `/api/items/${res.json().items[0].id}/preview`,
      headers: manager.headers,
    });
    const meta = await sharp(preview.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([20, 40]);
    expect(meta.orientation ?? 1).toBe(1);
  });

  it('serves a JPEG preview no larger than 1024 pixels', async () => {
    const project = await start();
    const big = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: 'green' } })
      .png()
      .toBuffer();
    const small = await solidPng(64, 48, 77);
    const res = await upload(project.id, [
      { filename: 'big.png', content: big },
      { filename: 'small.png', content: small },
    ]);
    expect(res.statusCode).toBe(201);
    const [bigItem, smallItem] = res.json().items as { id: number; width: number; height: number }[];
    expect(bigItem).toMatchObject({ width: 2000, height: 1500 });
    const p = await t.app.inject({ method: 'GET', url: `/api/items/${bigItem.id}/preview`, headers: manager.headers });
    expect(p.statusCode).toBe(200);
    expect(p.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(p.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBe(1024);
    expect(meta.width! / meta.height!).toBeCloseTo(2000 / 1500, 2);
    // A small image is not blown up.
    const s = await t.app.inject({
      method: 'GET',
      url: `/api/items/${smallItem.id}/preview`,
      headers: manager.headers,
    });
    const sm = await sharp(s.rawPayload).metadata();
    expect([sm.format, sm.width, sm.height]).toEqual(['jpeg', 64, 48]);
    // The full image is the original.
    const full = await t.app.inject({ method: 'GET', url: `/api/items/${bigItem.id}/image`, headers: manager.headers });
    expect(full.rawPayload.equals(big)).toBe(true);
  });

  it('refuses damaged, foreign and oversized images, writing nothing', async () => {
    const project = await start();
    await upload(project.id, await freshPngs(2)); // something already stored
    const jpeg = await noiseJpeg(200, 200, 3);
    const png = await sharp({
      create: {
        width: 120,
        height: 120,
        channels: 3,
        background: 'red',
        noise: { type: 'gaussian', mean: 90, sigma: 30 },
      },
    })
      .png()
      .toBuffer();
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    const tiff = await sharp({ create: { width: 10, height: 10, channels: 3, background: 'red' } })
      .tiff()
      .toBuffer();
    await expectRefused(
      project.id,
      [{ filename: 'cut.jpg', content: jpeg.subarray(0, Math.floor(jpeg.length * 0.6)) }],
      400,
      'image_corrupt',
    );
    await expectRefused(
      project.id,
      [{ filename: 'cut.png', content: png.subarray(0, Math.floor(png.length * 0.6)) }],
      400,
      'image_corrupt',
    );
    await expectRefused(
      project.id,
      [{ filename: 'notes.jpg', content: Buffer.from('these are my notes, not a photo\n') }],
      415,
      'not_an_image',
    );
    await expectRefused(project.id, [{ filename: 'empty.png', content: Buffer.alloc(0) }], 415, 'not_an_image');
    await expectRefused(project.id, [{ filename: 'anim.gif', content: gif }], 415, 'unsupported_image_type');
    await expectRefused(project.id, [{ filename: 'scan.tiff', content: tiff }], 415, 'unsupported_image_type');
    await expectRefused(project.id, [{ filename: 'disguised.png', content: tiff }], 415, 'unsupported_image_type');
    await expectRefused(
      project.id,
      [{ filename: 'bomb.png', content: pngClaiming(30_000, 30_000) }],
      413,
      'image_too_many_pixels',
    );
    // The same refusals from inside a zip.
    await expectRefused(
      project.id,
      [
        {
          filename: 'mixed.zip',
          content: makeZip([
            { name: 'ok.png', data: await solidPng(5, 5, ++seed) },
            { name: 'x/anim.gif', data: gif },
          ]),
        },
      ],
      415,
      'unsupported_image_type',
    );
    expect(await count('items')).toBe(2);
  });

  it('refuses an image over maxImagePixels', async () => {
    const project = await start({ maxImagePixels: 10_000 });
    const ok = await upload(project.id, [{ filename: 'ok.png', content: await solidPng(100, 100, 1) }]);
    expect(ok.statusCode).toBe(201);
    await expectRefused(
      project.id,
      [{ filename: 'big.png', content: await solidPng(200, 200, 2) }],
      413,
      'image_too_many_pixels',
    );
  });

  it('refuses hostile and broken zip archives, writing nothing', async () => {
    const project = await start();
    const good = async (name: string) => ({ name, data: await solidPng(6, 6, ++seed) });
    const unsafe: Parameters<typeof makeZip>[0][] = [
      [await good('ok.png'), { name: '../evil.png', data: await solidPng(6, 6, 1) }],
      [await good('ok.png'), { name: '/abs.png', data: await solidPng(6, 6, 2) }],
      [await good('ok.png'), { name: 'a/../../x.png', data: await solidPng(6, 6, 3) }],
      [await good('ok.png'), { name: 'a/b/../../../y.png', data: await solidPng(6, 6, 4) }],
      [await good('ok.png'), { name: '..\\win.png', data: await solidPng(6, 6, 5) }],
      [await good('ok.png'), { name: 'C:/win.png', data: await solidPng(6, 6, 6) }],
      [await good('ok.png'), { name: 'link.png', data: '/etc/passwd', symlink: true }],
      [await good('ok.png'), { name: 'dir/', symlink: true, data: '../../' }],
    ];
    for (const entries of unsafe) {
      await expectRefused(project.id, [{ filename: 'archive.zip', content: makeZip(entries) }], 400, 'zip_unsafe_path');
    }
    const zip = makeZip([await good('a.png'), await good('b.png')]);
    await expectRefused(
      project.id,
      [{ filename: 'cut.zip', content: zip.subarray(0, zip.length - 30) }],
      400,
      'zip_corrupt',
    );
    await expectRefused(
      project.id,
      [{ filename: 'random.zip', content: Buffer.from('PK\u0003\u0004 not really a zip at all') }],
      400,
      'zip_corrupt',
    );
    // An entry whose real size is larger than its header says.
    await expectRefused(
      project.id,
      [{ filename: 'liar.zip', content: makeZip([{ name: 'big.png', data: Buffer.alloc(50_000), claimedSize: 100 }]) }],
      400,
      'zip_corrupt',
    );
    expect(await count('items')).toBe(0);
    // An archive of nothing but folders and junk, alone, is an upload without files.
    const before = await snapshot();
    const junk = makeZip([
      { name: 'folder/' },
      { name: '.hidden', data: 'x' },
      { name: '__MACOSX/._a.png', data: 'x' },
    ]);
    const res = await upload(project.id, [{ filename: 'junk.zip', content: junk }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe('no_files');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a zip bomb and a file over the upload limit, writing nothing', async () => {
    const project = await start({ maxZipBytes: 20_000, maxUploadBytes: 60_000 });
    const bomb = makeZip([
      { name: 'a.png', data: await solidPng(6, 6, 1) },
      { name: 'b.png', data: Buffer.alloc(100_000) },
    ]);
    expect(bomb.length).toBeLessThan(2_000);
    await expectRefused(project.id, [{ filename: 'bomb.zip', content: bomb }], 413, 'zip_too_large');
    const many = makeZip(Array.from({ length: 8 }, (_, i) => ({ name: `part${i}.png`, data: Buffer.alloc(3_000, i) })));
    await expectRefused(project.id, [{ filename: 'many.zip', content: many }], 413, 'zip_too_large');
    const huge = await noiseJpeg(400, 400, 9);
    expect(huge.length).toBeGreaterThan(60_000);
    await expectRefused(project.id, [{ filename: 'huge.jpg', content: huge }], 413, 'upload_too_large');
    expect(await count('items')).toBe(0);
  });

  it('refuses an upload without files', async () => {
    const project = await start();
    const before = await snapshot();
    const res = await upload(project.id, []);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe('no_files');
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/images`,
      headers: manager.headers,
      payload: { files: [] },
    });
    expect(json.statusCode).toBe(415);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a multipart body cut short, keeping none of the files it held', async () => {
    const project = await start();
    const before = await snapshot();
    const mp = multipart([...(await freshPngs(3)), { filename: 'last.png', content: await solidPng(300, 300, 5) }]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/images`,
      headers: { ...manager.headers, ...mp.headers },
      payload: mp.payload.subarray(0, mp.payload.length - 200),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe('multipart_invalid');
    expect(await snapshot()).toEqual(before);
  });
});
