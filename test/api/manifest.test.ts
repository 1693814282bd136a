import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { blobFiles, multipart, solidPng, startTestApp, type TestApp } from '../helpers/harness.js';

const UNKNOWN_SHA = 'f'.repeat(64);

describe.each(dialects)('manifest import on %s', (dialect) => {
  let t: TestApp;
  let manager: { headers: Record<string, string> };
  let root: string;
  let outside: string;
  let projectId: number;
  let sha: string;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-roots-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-outside-'));
    t = await startTestApp(dialect, { importRoots: [root] });
    manager = await t.newUser('manager', 'manager');
    projectId = (await t.newProject(manager.headers)).id;
    await t.addImages(manager.headers, projectId, 1);
    sha = (await t.ctx.db.selectFrom('items').select('blob_sha256').executeTakeFirstOrThrow()).blob_sha256!;
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const send = (filename: string, content: string | Buffer, id = projectId) => {
    const mp = multipart([{ filename, content: Buffer.isBuffer(content) ? content : Buffer.from(content) }]);
    return t.app.inject({
      method: 'POST',
      url: `/api/projects/${id}/manifest`,
      headers: { ...manager.headers, ...mp.headers },
      payload: mp.payload,
    });
  };
  const jsonl = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
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
  const listItems = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/items?limit=1000`,
      headers: manager.headers,
    });
    expect(res.statusCode).toBe(200);
    return res.json().items as { id: number; name: string; width: number; height: number; meta: unknown }[];
  };

  it('imports JSON Lines rows naming stored images, keeping their meta', async () => {
    const res = await send(
      'batch.jsonl',
      jsonl([
        { sha256: sha, width: 64, height: 48, name: 'cam1/0001.png', meta: { camera: 'cam1', lux: 120, tags: ['a'] } },
        '',
        { sha256: sha.toUpperCase(), width: 64, height: 48 },
        { sha256: sha, width: 64, height: 48, name: 'no-meta.png', meta: {} },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ added: 3 });
    const items = (await listItems()).slice(1);
    expect(items.map(({ name, width, height, meta }) => ({ name, width, height, meta }))).toEqual([
      { name: 'cam1/0001.png', width: 64, height: 48, meta: { camera: 'cam1', lux: 120, tags: ['a'] } },
      { name: sha, width: 64, height: 48, meta: null },
      { name: 'no-meta.png', width: 64, height: 48, meta: null },
    ]);
    const rows = await t.ctx.db.selectFrom('items').selectAll().where('id', '=', items[0].id).execute();
    expect(rows[0]).toMatchObject({ blob_sha256: sha, source_path: null, project_id: projectId, open: 1 });
    // The manifest adds items, not blobs.
    expect(await count('blobs')).toBe(1);
    const img = await t.app.inject({ method: 'GET', url: `/api/items/${items[0].id}/image`, headers: manager.headers });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
  });

  it('imports CSV, keeping extra columns as meta', async () => {
    const csv = [
      'sha256,name,width,height,camera,site',
      `${sha},a.png,64,48,cam2,north`,
      `${sha},"b, quoted.png",64,48,cam3,"south, far"`,
      '',
    ].join('\r\n');
    const res = await send('batch.csv', csv);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ added: 2 });
    const items = (await listItems()).slice(1);
    expect(items.map(({ name, meta }) => ({ name, meta }))).toEqual([
      { name: 'a.png', meta: { camera: 'cam2', site: 'north' } },
      { name: 'b, quoted.png', meta: { camera: 'cam3', site: 'south, far' } },
    ]);
  });

  it('imports rows naming files inside the import roots, and serves them', async () => {
    fs.mkdirSync(path.join(root, 'sub'));
    const png = await solidPng(33, 22, 5);
    fs.writeFileSync(path.join(root, 'sub', 'p.png'), png);
    const jpg = Buffer.from(await solidPng(10, 10, 6));
    fs.writeFileSync(path.join(root, 'q.png'), jpg);
    // A link inside the root to a file inside the root is fine.
    fs.symlinkSync(path.join(root, 'q.png'), path.join(root, 'link-inside.png'));
    const res = await send(
      'files.jsonl',
      jsonl([
        { path: 'sub/p.png', width: 33, height: 22, meta: { src: 'relative' } },
        { path: path.join(root, 'q.png'), width: 10, height: 10 },
        { path: 'sub/../sub/p.png', width: 33, height: 22, name: 'again' },
        { path: 'link-inside.png', width: 10, height: 10 },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ added: 4 });
    const rows = await t.ctx.db
      .selectFrom('items')
      .select(['id', 'name', 'source_path', 'blob_sha256', 'width', 'height'])
      .where('blob_sha256', 'is', null)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.name, r.source_path, r.width, r.height])).toEqual([
      ['p.png', path.join(root, 'sub', 'p.png'), 33, 22],
      ['q.png', path.join(root, 'q.png'), 10, 10],
      ['again', path.join(root, 'sub', 'p.png'), 33, 22],
      ['link-inside.png', path.join(root, 'link-inside.png'), 10, 10],
    ]);
    const img = await t.app.inject({ method: 'GET', url: `/api/items/${rows[0].id}/image`, headers: manager.headers });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.equals(png)).toBe(true);
    // No preview was made for a file in place: the preview route serves the original.
    const prev = await t.app.inject({
      method: 'GET',
      url: `/api/items/${rows[1].id}/preview`,
      headers: manager.headers,
    });
    expect(prev.statusCode).toBe(200);
    expect(prev.rawPayload.equals(jpg)).toBe(true);
    // Nothing was copied into the blob store.
    expect(await count('blobs')).toBe(1);
  });

  it('refuses a bad manifest and writes nothing', async () => {
    fs.writeFileSync(path.join(root, 'ok.png'), await solidPng(8, 8, 1));
    fs.writeFileSync(path.join(outside, 'secret.png'), await solidPng(8, 8, 2));
    // Links that lead out of the root: to a file, and through a linked folder.
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'link.png'));
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    const good = { sha256: sha, width: 64, height: 48 };
    const cases: [string, string, string][] = [
      ['m.jsonl', jsonl([good, '{"sha256": "abc", "width": 1,']), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, '[1, 2, 3]']), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: sha, height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: sha, width: -1, height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: sha, width: 1.5, height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: sha, width: '64', height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: sha, width: 100_000, height: 100_000 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: 'xyz', width: 64, height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { width: 64, height: 48 }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { ...good, meta: { blob: 'x'.repeat(20_000) } }]), 'manifest_invalid_row'],
      ['m.jsonl', jsonl([good, { sha256: UNKNOWN_SHA, width: 64, height: 48 }]), 'manifest_unknown_image'],
      [
        'm.jsonl',
        jsonl([good, { path: path.join(outside, 'secret.png'), width: 8, height: 8 }]),
        'manifest_path_outside_roots',
      ],
      [
        'm.jsonl',
        jsonl([good, { path: `../${path.basename(outside)}/secret.png`, width: 8, height: 8 }]),
        'manifest_path_outside_roots',
      ],
      ['m.jsonl', jsonl([good, { path: `${root}-evil/x.png`, width: 8, height: 8 }]), 'manifest_path_outside_roots'],
      ['m.jsonl', jsonl([good, { path: 'link.png', width: 8, height: 8 }]), 'manifest_path_outside_roots'],
      ['m.jsonl', jsonl([good, { path: 'linked-dir/secret.png', width: 8, height: 8 }]), 'manifest_path_outside_roots'],
      ['m.jsonl', jsonl([good, { path: 'nope.png', width: 8, height: 8 }]), 'manifest_file_missing'],
      [
        'm.jsonl',
        jsonl([
          { path: 'ok.png', width: 8, height: 8 },
          { path: '.', width: 8, height: 8 },
        ]),
        'manifest_file_missing',
      ],
      ['m.jsonl', '', 'manifest_empty'],
      ['m.jsonl', '\n\n   \n', 'manifest_empty'],
      ['m.csv', 'sha256,width,height\n', 'manifest_empty'],
      ['m.csv', `sha256,width,height\n${sha},64,48\n${sha},,48\n`, 'manifest_invalid_row'],
      ['m.csv', `sha256,width,height\n${sha},64,48\n${UNKNOWN_SHA},64,48\n`, 'manifest_unknown_image'],
      ['m.csv', `sha256,width,height\n${sha},64,48\n${sha},64,48,extra\n`, 'manifest_invalid_row'],
    ];
    for (const [filename, content, id] of cases) {
      const before = await snapshot();
      const res = await send(filename, content);
      const what = `${filename}: ${content.slice(-120)}`;
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.id, what).toBe(id);
      expect(await snapshot(), what).toEqual(before);
    }
    const empty = multipart([]);
    const none = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/manifest`,
      headers: { ...manager.headers, ...empty.headers },
      payload: empty.payload,
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.id).toBe('no_files');
    expect(await count('items')).toBe(1);
  });

  it('writes nothing when the bad row is the last of 25,000 good ones, and all of them when it is not there', async () => {
    const good = `${JSON.stringify({ sha256: sha, width: 64, height: 48, meta: { k: 1 } })}\n`;
    const body = good.repeat(25_000);
    const before = await snapshot();
    for (const last of [
      JSON.stringify({ sha256: UNKNOWN_SHA, width: 64, height: 48 }),
      '{"sha256": "broken',
      JSON.stringify({ sha256: sha, width: 64 }),
    ]) {
      const res = await send('big.jsonl', body + last + '\n');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('line 25001');
      expect(await snapshot()).toEqual(before);
    }
    const ok = await send('big.jsonl', body);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ added: 25_000 });
    expect(await count('items')).toBe(25_001);
  });

  it('refuses path rows when no import root is configured', async () => {
    const t2 = await startTestApp(dialect);
    try {
      const m = await t2.newUser('m2', 'manager');
      const p = await t2.newProject(m.headers);
      fs.writeFileSync(path.join(root, 'ok.png'), await solidPng(8, 8, 1));
      const mp = multipart([
        {
          filename: 'm.jsonl',
          content: Buffer.from(jsonl([{ path: path.join(root, 'ok.png'), width: 8, height: 8 }])),
        },
      ]);
      const res = await t2.app.inject({
        method: 'POST',
        url: `/api/projects/${p.id}/manifest`,
        headers: { ...m.headers, ...mp.headers },
        payload: mp.payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.id).toBe('manifest_paths_disabled');
      expect(await t2.ctx.db.selectFrom('items').selectAll().execute()).toEqual([]);
    } finally {
      await t2.close();
    }
  });
});
