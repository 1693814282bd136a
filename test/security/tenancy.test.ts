/**
 * Regression tests for the tenancy holes of issue 7, on every dialect:
 * 1. a vendor's manager entered another vendor's client organisation;
 * 6. a manifest row claimed another vendor's image by its SHA-256, and foreign and
 *    unknown hashes answered differently;
 * 9. a foreign id answered differently from a missing one.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { face5Answer, multipart, PASSWORD, startTestApp, type TestApp } from '../helpers/harness.js';

type Headers = Record<string, string>;
const MISSING = 999_999;

describe.each(dialects)('tenancy on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => t.close());

  const inject = (method: string, url: string, headers: Headers, payload?: unknown) =>
    t.app.inject({ method: method as 'GET', url, headers, payload: payload as never });
  const count = async (table: 'orgs' | 'users' | 'projects' | 'items' | 'org_blobs') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table as 'orgs')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** What a caller can tell apart: the status and the whole body. */
  const seen = (res: { statusCode: number; body: string }) => ({ status: res.statusCode, body: res.body });

  /** A second vendor with an admin and a manager; vendor A is the harness's own. */
  async function twoVendors() {
    const adminA = await t.newUser('admin-a', 'admin');
    const managerA = await t.newUser('manager-a', 'manager');
    const vendorB = await t.ctx.repos.orgs.create('Vendor B', 'vendor', t.clock.now());
    const adminB = await t.newUser('admin-b', 'admin', vendorB.id);
    const managerB = await t.newUser('manager-b', 'manager', vendorB.id);
    const clientOrg = async (admin: Headers, name: string) => {
      const res = await inject('POST', '/api/orgs', admin, { name, kind: 'client' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const clientOfA = await clientOrg(adminA.headers, 'Client of A');
    const clientOfB = await clientOrg(adminB.headers, 'Client of B');
    return { adminA, managerA, vendorB, adminB, managerB, clientOfA, clientOfB };
  }

  it('hole 1: a manager acts only inside their own vendor and its clients', async () => {
    const v = await twoVendors();

    // Each vendor's staff see their own organisation and its clients, nothing else.
    for (const [who, headers, own] of [
      ['manager B', v.managerB.headers, [v.vendorB.id, v.clientOfB]],
      ['admin B', v.adminB.headers, [v.vendorB.id, v.clientOfB]],
      ['manager A', v.managerA.headers, [t.vendor.id, v.clientOfA]],
    ] as const) {
      const res = await inject('GET', '/api/orgs', headers);
      expect(res.statusCode, who).toBe(200);
      expect(
        res
          .json()
          .orgs.map((o: { id: number }) => o.id)
          .sort(),
        who,
      ).toEqual([...own].sort());
    }
    const clientA = (await inject('GET', '/api/orgs', v.adminA.headers))
      .json()
      .orgs.find((o: { id: number }) => o.id === v.clientOfA);
    expect(clientA).toMatchObject({ kind: 'client', vendor_org_id: t.vendor.id });

    // A user in another vendor's organisation or client: exactly the answer for a missing org.
    const users = await count('users');
    const newUser = (headers: Headers, orgId: number, role: string, username: string) =>
      inject('POST', '/api/users', headers, { orgId, username, password: PASSWORD, role });
    for (const headers of [v.managerB.headers, v.adminB.headers]) {
      const missing = seen(await newUser(headers, MISSING, 'client', 'intruder'));
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body).error.id).toBe('org_not_found');
      expect(seen(await newUser(headers, v.clientOfA, 'client', 'intruder'))).toEqual(missing);
      expect(seen(await newUser(headers, t.vendor.id, 'worker', 'intruder'))).toEqual(missing);
    }
    expect(await count('users')).toBe(users);
    const login = await inject('POST', '/api/auth/login', {}, { username: 'intruder', password: PASSWORD });
    expect(login.statusCode).toBe(401);

    // Inside its own tenancy a manager still creates client users and workers.
    expect((await newUser(v.managerB.headers, v.clientOfB, 'client', 'client-b')).statusCode).toBe(201);
    expect((await newUser(v.managerB.headers, v.vendorB.id, 'worker', 'worker-b')).statusCode).toBe(201);

    // A project for another vendor's client is refused like one for a missing client.
    const projects = await count('projects');
    const project = (clientOrgId: number) =>
      inject('POST', '/api/projects', v.managerB.headers, { name: 'P', templateId: 'face-5', clientOrgId });
    const noClient = seen(await project(MISSING));
    expect(noClient.status).toBe(400);
    expect(JSON.parse(noClient.body).error.id).toBe('invalid_client_org');
    expect(seen(await project(v.clientOfA))).toEqual(noClient);
    expect(await count('projects')).toBe(projects);
    expect((await project(v.clientOfB)).statusCode).toBe(201);

    // Only admins create organisations, and a client org belongs to the admin's vendor.
    const orgs = await count('orgs');
    const byManager = await inject('POST', '/api/orgs', v.managerB.headers, { name: 'Sneaky', kind: 'client' });
    expect(byManager.statusCode).toBe(403);
    expect(byManager.json().error.id).toBe('role_not_allowed');
    const vendorByAdmin = await inject('POST', '/api/orgs', v.adminB.headers, { name: 'Another', kind: 'vendor' });
    expect(vendorByAdmin.statusCode).toBe(403);
    expect(await count('orgs')).toBe(orgs);
    const row = await t.ctx.db.selectFrom('orgs').selectAll().where('id', '=', v.clientOfB).executeTakeFirstOrThrow();
    expect(row.vendor_org_id).toBe(v.vendorB.id);

    // Users are listed within the tenancy only.
    const listed = (await inject('GET', '/api/users', v.adminB.headers)).json().users as { username: string }[];
    expect(listed.map((u) => u.username).sort()).toEqual(['admin-b', 'client-b', 'manager-b', 'worker-b']);
  });

  it('hole 6: an image is named by SHA-256 only by an organisation that has it', async () => {
    const v = await twoVendors();
    const projectA = await t.newProject(v.managerA.headers);
    await t.addImages(v.managerA.headers, projectA.id, 1);
    const shaA = (await t.ctx.db.selectFrom('items').select('blob_sha256').executeTakeFirstOrThrow()).blob_sha256!;
    const projectB = await t.newProject(v.managerB.headers);
    const unknown = 'e'.repeat(64);

    const manifest = (headers: Headers, sha: string) => {
      const mp = multipart([
        { filename: 'm.jsonl', content: Buffer.from(`${JSON.stringify({ sha256: sha, width: 64, height: 48 })}\n`) },
      ]);
      return inject('POST', `/api/projects/${projectB.id}/manifest`, { ...headers, ...mp.headers }, mp.payload);
    };
    const items = await count('items');
    const foreign = seen(await manifest(v.managerB.headers, shaA));
    const missing = seen(await manifest(v.managerB.headers, unknown));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.id).toBe('manifest_unknown_image');
    // The same status, id and message, the hash itself aside.
    expect({ ...foreign, body: foreign.body.replaceAll(shaA, '<sha>') }).toEqual({
      ...missing,
      body: missing.body.replaceAll(unknown, '<sha>'),
    });
    expect(await count('items')).toBe(items);

    // Vendor A names its own image; once B uploads the same bytes, B may name it too.
    const mpA = multipart([
      { filename: 'm.jsonl', content: Buffer.from(`${JSON.stringify({ sha256: shaA, width: 64, height: 48 })}\n`) },
    ]);
    const own = await inject(
      'POST',
      `/api/projects/${projectA.id}/manifest`,
      { ...v.managerA.headers, ...mpA.headers },
      mpA.payload,
    );
    expect(own.statusCode, own.body).toBe(201);
    await t.addImages(v.managerB.headers, projectB.id, 1);
    const afterUpload = await manifest(v.managerB.headers, shaA);
    expect(afterUpload.statusCode, afterUpload.body).toBe(201);
  });

  it('hole 9: a foreign id answers exactly like a missing one on every route', async () => {
    const v = await twoVendors();
    // Vendor A's data: a project with an answered item (so it has an annotation and a
    // consensus), a gold item and an item under a worker's open lease.
    const projectA = await t.newProject(v.managerA.headers, { overlap: 1 });
    const [itemA, goldA] = await t.addImages(v.managerA.headers, projectA.id, 3);
    await t.leaseInIdOrder();
    const workerA = await t.newUser('worker-a', 'worker');
    const leaseRes = await inject('POST', `/api/projects/${projectA.id}/lease`, workerA.headers);
    const leaseA = leaseRes.json().lease;
    expect(await t.leasedItemId(leaseA)).toBe(itemA.id);
    const sub = await inject('POST', `/api/assignments/${leaseA.assignmentId}/submit`, workerA.headers, {
      clientSubmissionId: randomUUID(),
      data: face5Answer(),
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const annotationA = await t.annotationRowId(sub.json().annotationId);
    const gold = await inject('PUT', `/api/items/${goldA.id}/gold`, v.managerA.headers, { data: face5Answer() });
    expect(gold.statusCode, gold.body).toBe(200);
    const token = await inject('POST', '/api/auth/tokens', v.managerA.headers, { name: 'pipeline' });
    expect(token.statusCode, token.body).toBe(201);
    const tokenA = token.json().id as number;
    const openLease = (await inject('POST', `/api/projects/${projectA.id}/lease`, workerA.headers)).json().lease;

    // Vendor B's people, and B's own project (for routes that take a second id).
    const reviewerB = await t.newUser('reviewer-b', 'reviewer', v.vendorB.id);
    const workerB = await t.newUser('worker-b', 'worker', v.vendorB.id);
    const clientB = await t.newUser('client-b', 'client', v.clientOfB);
    const projectB = await t.newProject(v.managerB.headers);
    // A client of vendor A without access to this project.
    const otherClientA = await t.newUser('client-a2', 'client', v.clientOfA);

    const goldBody = { data: face5Answer() };
    const mp = multipart([{ filename: 'm.jsonl', content: Buffer.from('{}\n') }]);
    const routes: { method: string; url: (id: number) => string; payload?: () => unknown; multipart?: boolean }[] = [
      { method: 'GET', url: (id) => `/api/projects/${id}` },
      { method: 'PATCH', url: (id) => `/api/projects/${id}`, payload: () => ({ overlap: 2 }) },
      { method: 'GET', url: (id) => `/api/projects/${id}/items` },
      { method: 'POST', url: (id) => `/api/projects/${id}/images`, multipart: true },
      { method: 'POST', url: (id) => `/api/projects/${id}/manifest`, multipart: true },
      { method: 'GET', url: (id) => `/api/projects/${id}/export/coco` },
      {
        method: 'POST',
        url: (id) => `/api/projects/${id}/gold/coco`,
        payload: () => ({ images: [], annotations: [] }),
      },
      { method: 'POST', url: (id) => `/api/projects/${id}/consensus/attributes` },
      { method: 'GET', url: (id) => `/api/projects/${id}/quality` },
      { method: 'GET', url: (id) => `/api/projects/${id}/my-quality` },
      { method: 'GET', url: (id) => `/api/projects/${id}/review/next` },
      { method: 'POST', url: (id) => `/api/projects/${id}/lease` },
      { method: 'GET', url: (id) => `/api/projects/${id}/leases` },
      { method: 'POST', url: (id) => `/api/projects/${id}/workers/${workerA.id}/reinstate` },
      { method: 'GET', url: (id) => `/api/projects/${id}/members` },
      { method: 'GET', url: (id) => `/api/projects/${id}/pay` },
    ];
    const peopleRoutes: typeof routes = [{ method: 'GET', url: (id) => `/api/people/${id}` }];
    const tokenRoutes: typeof routes = [{ method: 'DELETE', url: (id) => `/api/auth/tokens/${id}` }];
    const itemRoutes: typeof routes = [
      { method: 'GET', url: (id) => `/api/items/${id}` },
      { method: 'GET', url: (id) => `/api/items/${id}/image` },
      { method: 'GET', url: (id) => `/api/items/${id}/preview` },
      { method: 'GET', url: (id) => `/api/items/${id}/consensus` },
      { method: 'GET', url: (id) => `/api/items/${id}/gold` },
      { method: 'PUT', url: (id) => `/api/items/${id}/gold`, payload: () => goldBody },
      { method: 'DELETE', url: (id) => `/api/items/${id}/gold` },
      { method: 'POST', url: (id) => `/api/items/${id}/gold/promote` },
    ];
    const annotationRoutes: typeof routes = [
      { method: 'POST', url: (id) => `/api/annotations/${id}/review`, payload: () => ({ verdict: 'accept' }) },
    ];
    const assignmentRoutes: typeof routes = [
      {
        method: 'POST',
        url: (id) => `/api/assignments/${id}/submit`,
        payload: () => ({ clientSubmissionId: randomUUID(), data: face5Answer() }),
      },
      { method: 'POST', url: (id) => `/api/assignments/${id}/skip`, payload: () => ({ reason: 'too_hard' }) },
      { method: 'POST', url: (id) => `/api/assignments/${id}/release` },
      { method: 'GET', url: (id) => `/api/assignments/${id}/image` },
      { method: 'GET', url: (id) => `/api/assignments/${id}/preview` },
    ];
    const cases: [typeof routes, number][] = [
      [routes, projectA.id],
      [itemRoutes, itemA.id],
      [itemRoutes, goldA.id],
      [annotationRoutes, annotationA],
      [assignmentRoutes, leaseA.assignmentId],
      [assignmentRoutes, openLease.assignmentId],
      [peopleRoutes, workerA.id],
      [tokenRoutes, tokenA],
    ];
    const actors: [string, Headers][] = [
      ['admin B', v.adminB.headers],
      ['manager B', v.managerB.headers],
      ['reviewer B', reviewerB.headers],
      ['worker B', workerB.headers],
      ['client B', clientB.headers],
      ['another client of A', otherClientA.headers],
    ];
    const send = (r: (typeof routes)[number], id: number, headers: Headers) =>
      r.multipart
        ? inject(r.method, r.url(id), { ...headers, ...mp.headers }, mp.payload)
        : inject(r.method, r.url(id), headers, r.payload?.());
    const differences: string[] = [];
    for (const [name, headers] of actors) {
      for (const [list, foreignId] of cases) {
        for (const r of list) {
          const foreign = seen(await send(r, foreignId, headers));
          const missing = seen(await send(r, MISSING, headers));
          const id = foreign.status >= 400 ? (JSON.parse(foreign.body).error.id as string) : '';
          // Refused for what the id names, not for how the request was made (session, CSRF, body).
          if (![403, 404].includes(foreign.status) || !(id.endsWith('_not_found') || id === 'role_not_allowed'))
            differences.push(`${name} ${r.method} ${r.url(foreignId)} answered ${foreign.status}: ${foreign.body}`);
          else if (JSON.stringify(foreign) !== JSON.stringify(missing))
            differences.push(`${name} ${r.method} ${r.url(foreignId)}: ${foreign.body} vs missing ${missing.body}`);
        }
      }
    }
    expect(differences).toEqual([]);
    // The answers themselves: "no such …", named after what was asked for.
    const errorId = async (method: string, url: string, headers: Headers, payload?: unknown) =>
      JSON.parse((await inject(method, url, headers, payload)).body).error.id;
    expect(await errorId('GET', `/api/items/${itemA.id}`, v.managerB.headers)).toBe('item_not_found');
    expect(await errorId('PUT', `/api/items/${goldA.id}/gold`, v.managerB.headers, goldBody)).toBe('item_not_found');
    expect(
      await errorId('POST', `/api/annotations/${annotationA}/review`, reviewerB.headers, { verdict: 'accept' }),
    ).toBe('annotation_not_found');
    expect(await errorId('PATCH', `/api/projects/${projectA.id}`, v.managerB.headers, { overlap: 2 })).toBe(
      'project_not_found',
    );
    expect(await errorId('POST', `/api/assignments/${openLease.assignmentId}/release`, workerB.headers)).toBe(
      'assignment_not_found',
    );

    // A foreign worker on one's own project answers like a missing worker.
    const reinstate = (workerId: number) =>
      inject('POST', `/api/projects/${projectB.id}/workers/${workerId}/reinstate`, v.managerB.headers);
    expect(seen(await reinstate(workerA.id))).toEqual(seen(await reinstate(MISSING)));

    // Nothing of vendor A changed.
    const itemRow = await t.ctx.db.selectFrom('items').selectAll().where('id', '=', goldA.id).executeTakeFirstOrThrow();
    expect(itemRow.is_gold).toBe(1);
    const project = await t.ctx.db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', projectA.id)
      .executeTakeFirstOrThrow();
    expect(project.overlap).toBe(1);
  });
});
