import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases.js';
import { multipart, SAME_ORIGIN, startTestApp, type TestApp } from '../helpers/harness.js';

type Headers = Record<string, string>;

/** A cohort sheet as an .xlsx buffer: a header row, then the rows as given. */
async function xlsx(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = ['姓名', '手机号', '县', '乡镇', '村', '户籍类别', '入职日期', '同意具名', '班组', '用户名'];

describe.each(dialects)('people on %s', (dialect) => {
  let t: TestApp;
  let manager: { id: number; headers: Headers };

  beforeEach(async () => {
    t = await startTestApp(dialect);
    manager = await t.newUser('manager', 'manager');
  });
  afterEach(async () => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: unknown,
  ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const login = async (username: string, password: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return { res, headers: { cookie, origin: SAME_ORIGIN } };
  };
  const count = async (table: 'users' | 'teams' | 'profile_changes' | 'one_time_codes') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const upload = (url: string, content: Buffer, filename = 'cohort.xlsx') => {
    const mp = multipart([{ filename, content }]);
    return t.app.inject({ method: 'POST', url, headers: { ...manager.headers, ...mp.headers }, payload: mp.payload });
  };
  const addPerson = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/api/people', manager.headers, { displayName: '张丽', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { person: { id: number; username: string; household: string }; code: string };
  };
  /** Sessions are cached for two seconds per process; step past that. */
  const pastSessionCache = () => t.clock.advance(3000);

  it('adds a person whose one-time code opens a session that can only set a password', async () => {
    const added = await addPerson({
      phone: '+86 138-0013-8000',
      county: '示范县',
      household: 'registered_poor',
      consentNamed: true,
    });
    expect(added.person).toMatchObject({
      username: 'w0001',
      phone: '13800138000',
      household: 'registered_poor',
      consentNamed: true,
      mustChangePassword: true,
      startDate: '2026-11-28',
    });
    expect(added.code).toMatch(/^\d{8}$/);
    const stored = await t.ctx.db
      .selectFrom('one_time_codes')
      .selectAll()
      .where('user_id', '=', added.person.id)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(added.code);
    expect(stored.expires_at).toBe(t.clock.now() + 72 * 3_600_000);

    const first = await login('w0001', added.code);
    expect(first.res.statusCode).toBe(200);
    expect(first.res.json().user.must_change_password).toBe(1);
    for (const [method, url] of [
      ['GET', '/api/projects'],
      ['GET', '/api/work/today'],
      ['POST', '/api/auth/tokens'],
    ] as const) {
      const res = await call(method, url, first.headers, method === 'POST' ? { name: 'x' } : undefined);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.id).toBe('password_change_required');
    }
    expect((await call('GET', '/api/me', first.headers)).statusCode).toBe(200);
    const same = await call('POST', '/api/me/password', first.headers, { password: added.code });
    expect(same.json().error.id).toBe('password_unchanged');
    const weak = await call('POST', '/api/me/password', first.headers, { password: 'short' });
    expect(weak.statusCode).toBe(400);

    const set = await call('POST', '/api/me/password', first.headers, { password: 'my own secret' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().user.must_change_password).toBe(0);
    const fresh = { cookie: set.cookies.map((c) => `${c.name}=${c.value}`).join('; '), origin: SAME_ORIGIN };
    const setAt = t.clock.now();
    expect((await call('GET', '/api/projects', fresh)).statusCode).toBe(200);
    pastSessionCache();
    expect((await call('GET', '/api/me', first.headers)).statusCode).toBe(401);
    expect((await login('w0001', added.code)).res.statusCode).toBe(401);
    expect((await login('w0001', 'my own secret')).res.json().user.must_change_password).toBe(0);
    const used = await t.ctx.db
      .selectFrom('one_time_codes')
      .select('used_at')
      .where('user_id', '=', added.person.id)
      .executeTakeFirstOrThrow();
    expect(used.used_at).toBe(setAt);
  });

  it('refuses an expired code; a reset gives a new one and ends the old password and sessions', async () => {
    const added = await addPerson();
    t.clock.advance(72 * 3_600_000 + 1);
    const late = await login('w0001', added.code);
    expect(late.res.statusCode).toBe(401);
    expect(late.res.json().error.id).toBe('one_time_code_expired');

    const reset = await call('POST', `/api/people/${added.person.id}/reset-code`, manager.headers);
    expect(reset.statusCode).toBe(200);
    const { code } = reset.json() as { code: string };
    expect(code).toMatch(/^\d{8}$/);
    const s = await login('w0001', code);
    expect(s.res.statusCode).toBe(200);
    await call('POST', '/api/me/password', s.headers, { password: 'first password' });
    const worker = await login('w0001', 'first password');
    expect(worker.res.statusCode).toBe(200);

    const again = await call('POST', `/api/people/${added.person.id}/reset-code`, manager.headers);
    pastSessionCache();
    expect((await login('w0001', 'first password')).res.statusCode).toBe(401);
    expect((await call('GET', '/api/me', worker.headers)).statusCode).toBe(401);
    expect((await login('w0001', again.json().code)).res.statusCode).toBe(200);
    expect(await count('one_time_codes')).toBe(1);
  });

  it('previews a cohort sheet, naming every bad row, and creates nothing', async () => {
    await addPerson({ username: 'taken1' });
    const sheet = await xlsx([
      HEADER,
      ['王芳', '13800138001', '示范县', '城关镇', '新村', '脱贫户', '2026-12-01', '是', '一组', ''],
      ['', '13800138002', '', '', '', '', '', '', '', ''],
      ['李强', '12345', '', '', '', '', '', '', '', ''],
      ['赵敏', '', '', '', '', '贫困', '', '', '', ''],
      ['钱多', '', '', '', '', 'monitored', '2026-02-30', '', '', ''],
      ['孙悦', '', '', '', '', 'Lifted out of poverty (still registered)', '', '也许', '', 'sun'],
      ['周明', '', '', '', '', '', new Date(Date.UTC(2026, 11, 3)), '否', '', 'sun'],
      ['吴刚', '', '', '', '', '一般户', '', '', '', 'taken1'],
      ['郑洁', '13800138001', '', '', '', '', '', '', '', ''],
    ]);
    const usersBefore = await count('users');
    const res = await upload('/api/people/import/preview', sheet);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.ok).toBe(false);
    expect(preview.total).toBe(9);
    const errors = preview.problems
      .filter((p: { severity: string }) => p.severity === 'error')
      .map((p: { line: number; reason: string }) => [p.line, p.reason]);
    expect(errors).toEqual([
      [3, 'missing_name'],
      [4, 'bad_phone'],
      [5, 'unknown_household'],
      [6, 'bad_date'],
      [7, 'bad_consent'],
      [8, 'duplicate_username'],
      [9, 'duplicate_username'],
    ]);
    expect(preview.problems.find((p: { line: number }) => p.line === 8).firstLine).toBe(7);
    // The same phone twice may be one family's phone: a warning, not an error.
    expect(preview.problems).toContainEqual(
      expect.objectContaining({ line: 10, reason: 'duplicate_phone', severity: 'warning', firstLine: 2 }),
    );
    const good = preview.rows.find((r: { line: number }) => r.line === 2);
    expect(good).toMatchObject({ household: 'lifted', startDate: '2026-12-01', consentNamed: true, team: '一组' });
    expect(preview.newTeams).toEqual(['一组']);
    expect(await count('users')).toBe(usersBefore);

    const confirm = await upload('/api/people/import', sheet);
    expect(confirm.statusCode).toBe(400);
    expect(confirm.json().error.id).toBe('import_has_errors');
    expect(confirm.json().error.details).toHaveLength(7);
    expect(await count('users')).toBe(usersBefore);
    expect(await count('teams')).toBe(0);
  });

  it('confirms a good sheet: everyone in one go, each with a code that logs in', async () => {
    const sheet = await xlsx([
      HEADER,
      ['王芳', '13800138001', '示范县', '城关镇', '新村', '建档立卡贫困户', '2026-12-01', '是', '一组', ''],
      ['李强', '', '示范县', '城关镇', '老村', 'monitored', '2026/12/2', '', '一组', ''],
      ['赵敏', '', '示范县', '河口乡', '', '', '', '否', '', 'zhaomin'],
    ]);
    const res = await upload('/api/people/import', sheet);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json().created as { line: number; username: string; code: string; displayName: string }[];
    expect(created.map((c) => [c.line, c.username, c.displayName])).toEqual([
      [2, 'w0001', '王芳'],
      [3, 'w0002', '李强'],
      [4, 'zhaomin', '赵敏'],
    ]);
    const people = (await call('GET', '/api/people', manager.headers)).json().people as Record<string, unknown>[];
    const byName = new Map(people.map((p) => [p.displayName, p]));
    expect(byName.get('王芳')).toMatchObject({
      household: 'registered_poor',
      consentNamed: true,
      township: '城关镇',
      teamName: '一组',
      startDate: '2026-12-01',
    });
    expect(byName.get('李强')).toMatchObject({ household: 'monitored', consentNamed: false, startDate: '2026-12-02' });
    expect(byName.get('赵敏')).toMatchObject({ household: 'none', teamId: null, startDate: '2026-11-28' });
    expect(await count('teams')).toBe(1);
    for (const c of created) expect((await login(c.username, c.code)).res.statusCode).toBe(200);
    // The same sheet again: the phone is known now (warning) and zhaomin is taken (error).
    const twice = await upload('/api/people/import', sheet);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details).toEqual([expect.objectContaining({ line: 4, reason: 'duplicate_username' })]);
  });

  it('reads CSV in UTF-8 or GB18030, and offers a template that reads back with exceljs', async () => {
    const csv = '姓名,手机号,户籍类别,同意具名\r\n周明,13900139000,防止返贫监测对象,是\r\n,,,\r\n吴刚,,一般户,\r\n';
    // 姓名,同意具名 / 周明,是 as a Chinese Excel saves CSV: GB18030, no BOM.
    const gb = Buffer.from([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xcd, 0xac, 0xd2, 0xe2, 0xbe, 0xdf, 0xc3, 0xfb, 0x0d, 0x0a, 0xd6, 0xdc, 0xc3, 0xf7,
      0x2c, 0xca, 0xc7, 0x0d, 0x0a,
    ]);
    expect(new TextDecoder('gb18030').decode(gb)).toBe('姓名,同意具名\r\n周明,是\r\n');
    const fromGb = await upload('/api/people/import/preview', gb, 'gb.csv');
    expect(fromGb.json().rows).toEqual([expect.objectContaining({ line: 2, displayName: '周明', consentNamed: true })]);
    const utf8 = await upload('/api/people/import/preview', Buffer.from(csv, 'utf8'), 'c.csv');
    expect(utf8.json()).toMatchObject({ ok: true, total: 2 });
    expect(utf8.json().rows[0]).toMatchObject({ line: 2, household: 'monitored', consentNamed: true });
    expect(utf8.json().rows[1].line).toBe(4);

    const template = await call('GET', '/api/people/import/template', manager.headers);
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(HEADER);
    expect(wb.worksheets[1].getCell('B5').text).toContain('建档立卡贫困户');
    // The template itself is a valid, empty cohort.
    const empty = await upload('/api/people/import/preview', template.rawPayload);
    expect(empty.json()).toMatchObject({ ok: true, total: 0 });
    const csvTemplate = await call('GET', '/api/people/import/template?format=csv', manager.headers);
    expect(csvTemplate.body.replace('\ufeff', '').trim()).toBe(HEADER.join(','));
  });

  it('refuses sheets it cannot read, with a stable id', async () => {
    const cases: [Buffer, string, string][] = [
      [Buffer.from('名字有误,电话\r\n张三,1\r\n'), 'c.csv', 'missing_columns'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'old.xls', 'unsupported_sheet'],
      [Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]), 'bad.xlsx', 'invalid_xlsx'],
      [Buffer.from('姓名\r\n"unterminated\r\n'), 'q.csv', 'invalid_csv'],
    ];
    for (const [content, name, id] of cases) {
      const res = await upload('/api/people/import/preview', content, name);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.id, name).toBe(id);
    }
    const rows = [['姓名'], ...Array.from({ length: 2001 }, (_, i) => [`p${i}`])];
    const big = await upload('/api/people/import/preview', await xlsx(rows));
    expect(big.json().error.id).toBe('too_many_rows');
    expect(await count('users')).toBe(1);
  });

  it('disables a leaving worker (sessions end, login refused) and enables her again', async () => {
    const added = await addPerson();
    const s = await login('w0001', added.code);
    await call('POST', '/api/me/password', s.headers, { password: 'her own pass' });
    const worker = await login('w0001', 'her own pass');
    // A manager manages workers and reviewers, not managers (herself included).
    const self = await call('POST', `/api/people/${manager.id}/disable`, manager.headers, {});
    expect(self.json().error.id).toBe('role_not_allowed');
    t.clock.advance(86_400_000);
    const off = await call('POST', `/api/people/${added.person.id}/disable`, manager.headers, { leaving: true });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ disabled: true, endDate: '2026-11-29' });
    pastSessionCache();
    expect((await call('GET', '/api/me', worker.headers)).statusCode).toBe(401);
    expect((await login('w0001', 'her own pass')).res.statusCode).toBe(401);
    const on = await call('POST', `/api/people/${added.person.id}/enable`, manager.headers);
    expect(on.json()).toMatchObject({ disabled: false, endDate: null });
    expect((await login('w0001', 'her own pass')).res.statusCode).toBe(200);
    const fields = (await call('GET', `/api/people/${added.person.id}`, manager.headers))
      .json()
      .changes.map((c: { field: string; newValue: string | null }) => `${c.field}=${c.newValue}`);
    expect(fields).toEqual(
      expect.arrayContaining(['disabled=1', 'end_date=2026-11-29', 'disabled=0', 'end_date=null']),
    );
  });

  it('logs every profile change with who and when', async () => {
    const added = await addPerson({ household: 'none' });
    t.clock.advance(60_000);
    const res = await call('PATCH', `/api/people/${added.person.id}`, manager.headers, {
      household: 'lifted',
      consentNamed: true,
      village: '新村',
      displayName: '张丽',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ household: 'lifted', consentNamed: true, village: '新村' });
    const rows = await t.ctx.db
      .selectFrom('profile_changes')
      .selectAll()
      .where('user_id', '=', added.person.id)
      .where('at', '=', t.clock.now())
      .orderBy('field')
      .execute();
    // The unchanged display name is not logged.
    expect(rows.map((r) => [r.field, r.old_value, r.new_value, r.changed_by])).toEqual([
      ['consent_named', '0', '1', manager.id],
      ['household', 'none', 'lifted', manager.id],
      ['village', null, '新村', manager.id],
    ]);
    const bad = await call('PATCH', `/api/people/${added.person.id}`, manager.headers, { household: 'rich' });
    expect(bad.json().error.id).toBe('unknown_household_status');
    const phone = await call('PATCH', `/api/people/${added.person.id}`, manager.headers, { phone: '555' });
    expect(phone.json().error.id).toBe('bad_phone');
    expect(await count('profile_changes')).toBe(6);
  });

  it('keeps household status and consent from workers, reviewers, clients and other bases', async () => {
    const added = await addPerson({ household: 'registered_poor', consentNamed: true });
    const s = await login(added.person.username, added.code);
    await call('POST', '/api/me/password', s.headers, { password: 'worker pass 1' });
    const worker = await login(added.person.username, 'worker pass 1');
    const me = (await call('GET', '/api/me', worker.headers)).json().user;
    expect(me).not.toHaveProperty('household');
    expect(me).not.toHaveProperty('consent_named');
    const reviewer = await t.newUser('rev', 'reviewer');
    expect(JSON.stringify((await call('GET', '/api/me', reviewer.headers)).json())).not.toContain('household');
    for (const who of [worker.headers, reviewer.headers]) {
      for (const url of ['/api/people', `/api/people/${added.person.id}`, '/api/household-statuses', '/api/teams']) {
        const res = await call('GET', url, who);
        expect(res.statusCode, url).toBe(403);
        expect(res.body).not.toContain('registered_poor');
      }
    }
    const users = await call('GET', '/api/users', manager.headers);
    expect(users.body).not.toContain('registered_poor');
    const other = await t.ctx.repos.orgs.create('Other base', 'vendor', t.clock.now());
    const stranger = await t.newUser('m2', 'manager', other.id);
    expect((await call('GET', `/api/people/${added.person.id}`, stranger.headers)).statusCode).toBe(404);
    expect((await call('GET', '/api/people', stranger.headers)).json().people).toEqual([]);
    const patch = await call('PATCH', `/api/people/${added.person.id}`, stranger.headers, { consentNamed: false });
    expect(patch.statusCode).toBe(404);
  });

  it('manages teams with a lead and members', async () => {
    const a = await addPerson({ displayName: 'A' });
    const b = await addPerson({ displayName: 'B' });
    const lead = await addPerson({ displayName: 'Lead', role: 'reviewer' });
    const team = await call('POST', '/api/teams', manager.headers, { name: '一组', leadUserId: lead.person.id });
    expect(team.statusCode).toBe(201);
    expect(team.json()).toMatchObject({ name: '一组', leadUserId: lead.person.id, leadName: 'Lead' });
    const id = team.json().id as number;
    const dup = await call('POST', '/api/teams', manager.headers, { name: '一组' });
    expect(dup.json().error.id).toBe('team_name_taken');
    const set = await call('PUT', `/api/teams/${id}/members`, manager.headers, { userIds: [a.person.id, b.person.id] });
    expect(set.json().members.map((m: { id: number }) => m.id)).toEqual([a.person.id, b.person.id]);
    await call('PUT', `/api/teams/${id}/members`, manager.headers, { userIds: [b.person.id] });
    const list = (await call('GET', '/api/teams', manager.headers)).json().teams;
    expect(list).toEqual([expect.objectContaining({ id, members: 1 })]);
    const people = (await call('GET', `/api/people?teamId=${id}`, manager.headers)).json().people;
    expect(people.map((p: { id: number }) => p.id)).toEqual([b.person.id]);
    const outsider = await call('PUT', `/api/teams/${id}/members`, manager.headers, { userIds: [manager.id] });
    expect(outsider.json().error.id).toBe('unknown_person');
    const changes = (await call('GET', `/api/people/${a.person.id}`, manager.headers)).json().changes;
    expect(changes.filter((c: { field: string }) => c.field === 'team_id')).toHaveLength(2);
    expect((await call('DELETE', `/api/teams/${id}`, manager.headers)).statusCode).toBe(200);
    expect((await call('GET', `/api/people/${b.person.id}`, manager.headers)).json().teamId).toBeNull();
  });

  it('gives a project with members only to them, directly or through a team', async () => {
    const project = await t.newProject(manager.headers);
    await t.addImages(manager.headers, project.id, 3);
    const direct = await t.newUser('direct', 'worker');
    const viaTeam = await t.newUser('viateam', 'worker');
    const outsider = await t.newUser('outsider', 'worker');
    const team = (await call('POST', '/api/teams', manager.headers, { name: 'T' })).json();
    await call('PUT', `/api/teams/${team.id}/members`, manager.headers, { userIds: [viaTeam.id] });
    const lease = (h: Headers) => call('POST', `/api/projects/${project.id}/lease`, h);

    const set = await call('PUT', `/api/projects/${project.id}/members`, manager.headers, {
      userIds: [direct.id],
      teamIds: [team.id],
    });
    expect(set.json()).toMatchObject({ open: false, users: [{ id: direct.id }], teams: [{ id: team.id }] });
    expect((await lease(direct.headers)).json().lease).not.toBeNull();
    expect((await lease(viaTeam.headers)).json().lease).not.toBeNull();
    const refused = await lease(outsider.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.id).toBe('not_project_member');
    const visible = (await call('GET', '/api/projects', outsider.headers)).json().projects;
    expect(visible).toEqual([]);
    expect((await call('GET', '/api/projects', viaTeam.headers)).json().projects).toHaveLength(1);

    const add = await call('POST', `/api/projects/${project.id}/members`, manager.headers, { userIds: [outsider.id] });
    expect(add.json().users).toHaveLength(2);
    expect((await lease(outsider.headers)).json().lease).not.toBeNull();

    const other = await t.newUser('other', 'worker');
    expect((await lease(other.headers)).statusCode).toBe(403);
    const open = await call('PUT', `/api/projects/${project.id}/members`, manager.headers, {});
    expect(open.json().open).toBe(true);
    expect((await lease(other.headers)).statusCode).toBe(200);
    const reviewer = await t.newUser('rev', 'reviewer');
    expect((await call('PUT', `/api/projects/${project.id}/members`, reviewer.headers, {})).statusCode).toBe(403);
  });

  it('signs up with an invitation code and refuses expired, used-up, withdrawn and unknown codes', async () => {
    const team = (await call('POST', '/api/teams', manager.headers, { name: '二组' })).json();
    const inv = await call('POST', '/api/invitations', manager.headers, { maxUses: 1, teamId: team.id });
    expect(inv.statusCode).toBe(201);
    const { code, signupPath } = inv.json() as { code: string; signupPath: string };
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(signupPath).toBe(`/signup?code=${code}`);
    const stored = await t.ctx.db.selectFrom('invitations').select('code_hash').executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code.replace('-', ''));

    const check = await t.app.inject({ method: 'GET', url: `/api/signup?code=${code.toLowerCase()}` });
    expect(check.json()).toMatchObject({ orgName: 'Test base', teamName: '二组', role: 'worker' });
    const body = { code, displayName: '新人', password: 'my password 1', phone: '13700137000', consentNamed: true };
    const res = await t.app.inject({ method: 'POST', url: '/api/signup', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().username).toBe('w0001');
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await call('GET', '/api/me', { cookie })).json().user).toMatchObject({
      role: 'worker',
      display_name: '新人',
    });
    const person = (await call('GET', '/api/people', manager.headers)).json().people[0];
    expect(person).toMatchObject({ teamId: team.id, household: 'none', consentNamed: true, mustChangePassword: false });

    const again = await t.app.inject({ method: 'POST', url: '/api/signup', payload: { ...body, displayName: 'B' } });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.id).toBe('invitation_used_up');

    const short = (await call('POST', '/api/invitations', manager.headers, { expiresInHours: 1 })).json();
    t.clock.advance(3_600_001);
    const late = await t.app.inject({ method: 'POST', url: '/api/signup', payload: { ...body, code: short.code } });
    expect(late.json().error.id).toBe('invitation_expired');

    const withdrawn = (await call('POST', '/api/invitations', manager.headers, {})).json();
    expect((await call('DELETE', `/api/invitations/${withdrawn.id}`, manager.headers)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/api/signup',
      payload: { ...body, code: withdrawn.code },
    });
    expect(revoked.json().error.id).toBe('invitation_revoked');

    const unknown = await t.app.inject({ method: 'POST', url: '/api/signup', payload: { ...body, code: 'ZZZZ-ZZZZ' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.id).toBe('invitation_not_found');
    expect(await count('users')).toBe(2);
    const list = (await call('GET', '/api/invitations', manager.headers)).json().invitations;
    expect(list.map((i: { status: string }) => i.status)).toEqual(['revoked', 'expired', 'used_up']);
    expect(JSON.stringify(list)).not.toContain(code);
  });

  it('lets the admin edit the household status list, never deleting a code in use', async () => {
    const admin = await t.newUser('admin', 'admin');
    const add = { code: 'relocated', labelZh: '易地扶贫搬迁户', labelEn: 'Relocated household', sort: 40 };
    expect((await call('POST', '/api/household-statuses', manager.headers, add)).statusCode).toBe(403);
    expect((await call('POST', '/api/household-statuses', admin.headers, add)).statusCode).toBe(201);
    const list = (await call('GET', '/api/household-statuses', manager.headers)).json().statuses;
    expect(list.map((s: { code: string }) => s.code)).toEqual([
      'registered_poor',
      'lifted',
      'monitored',
      'relocated',
      'none',
    ]);
    await addPerson({ household: 'relocated' });
    const relabel = await call('PATCH', '/api/household-statuses/relocated', admin.headers, { labelZh: '搬迁户' });
    expect(relabel.json()).toMatchObject({ labelZh: '搬迁户', active: true });
    const del = await call('DELETE', '/api/household-statuses/relocated', admin.headers);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.id).toBe('household_status_in_use');
    await call('PATCH', '/api/household-statuses/relocated', admin.headers, { active: false });
    const use = await call('POST', '/api/people', manager.headers, { displayName: 'x', household: 'relocated' });
    expect(use.json().error.id).toBe('unknown_household_status');
    const none = await call('PATCH', '/api/household-statuses/none', admin.headers, { active: false });
    expect(none.json().error.id).toBe('household_status_required');
    await call('POST', '/api/household-statuses', admin.headers, { ...add, code: 'unused' });
    expect((await call('DELETE', '/api/household-statuses/unused', admin.headers)).statusCode).toBe(200);
  });
});
