import { startTestApp, type TestApp } from '../setup/test-app';

describe('users and departments (admin)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates a department and a user who can sign in with the roles given', async () => {
    const admin = await t.as('admin');
    await t.http.post('/api/admin/departments').set(admin).send({ name: '房屋管理科' }).expect(201);
    await t.http.post('/api/admin/departments').set(admin).send({ name: '房屋管理科' }).expect(409);
    const created = await t.http
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'wu.handler', displayName: '吴承办', password: 'a-long-password', roles: ['handler'], department: '房屋管理科', email: 'wu@agency.example' })
      .expect(201);
    expect(created.body).toMatchObject({ username: 'wu.handler', roles: ['handler'], department: '房屋管理科', active: true, isDemo: false });
    expect(JSON.stringify(created.body)).not.toMatch(/argon2|password/);
    const login = await t.http.post('/api/auth/login').send({ username: 'wu.handler', password: 'a-long-password' }).expect(200);
    const list = await t.http.get('/api/admin/users').set(admin).expect(200);
    expect(list.body.map((user: { username: string }) => user.username)).toContain('wu.handler');

    // Deactivating ends the user's sign-ins at once.
    await t.http.patch(`/api/admin/users/${created.body.id}`).set(admin).send({ active: false }).expect(200);
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(401);
    await t.http.post('/api/auth/login').send({ username: 'wu.handler', password: 'a-long-password' }).expect(401);
  });

  it.each([
    [{ username: 'X', displayName: '某', password: 'a-long-password', roles: ['handler'], department: '法制科' }, /用户名/],
    [{ username: 'zhou', displayName: '周', password: 'short', roles: ['handler'], department: '法制科' }, /密码至少 10 位/],
    [{ username: 'zhou', displayName: '周', password: 'a-long-password', roles: ['boss'], department: '法制科' }, /^角色 应为以下之一或几项：登记、承办、法制审核、负责人、系统管理员$/],
    [{ username: 'zhou', displayName: '周', password: 'a-long-password', roles: [], department: '法制科' }, /至少需要一个角色/],
    [{ username: 'zhou', displayName: '周', password: 'a-long-password', roles: ['legal'], department: '不存在' }, /没有名为“不存在”的部门/],
    [{ username: 'zhou', displayName: '周', password: 'a-long-password', roles: ['legal'] }, /^所属部门 不能为空$/],
  ])('refuses %j with 400', async (body, message) => {
    const response = await t.http.post('/api/admin/users').set(await t.as('admin')).send(body).expect(400);
    expect(response.body.message).toMatch(message);
  });

  it('refuses a taken username (409), self-deactivation (409) and non-admins (403)', async () => {
    const admin = await t.as('admin');
    await t.http.post('/api/admin/users').set(admin).send({ username: 'legal', displayName: '重名', password: 'a-long-password', roles: ['legal'], department: '法制科' }).expect(409);
    const me = await t.http.get('/api/auth/me').set(admin).expect(200);
    await t.http.patch(`/api/admin/users/${me.body.userId}`).set(admin).send({ active: false }).expect(409);
    await t.http.get('/api/admin/users').set(await t.as('head')).expect(403);
    await t.http.patch('/api/admin/users/not-a-uuid').set(admin).send({ displayName: 'x' }).expect(404);
  });

  it('keeps the agency an active administrator: the last one cannot lose the role or be deactivated (409)', async () => {
    const admin = await t.as('admin');
    const me = (await t.http.get('/api/auth/me').set(admin).expect(200)).body;
    const refused = await t.http.patch(`/api/admin/users/${me.userId}`).set(admin).send({ roles: ['intake', 'head'] }).expect(409);
    expect(refused.body.message).toContain('最后一名在用的管理员');
    // A second administrator: now either may give up the role, but not both.
    const second = await t.http
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'second.admin', displayName: '第二管理员', password: 'a-long-password', roles: ['admin'], department: '法制科' })
      .expect(201);
    const secondToken = { Authorization: `Bearer ${(await t.http.post('/api/auth/login').send({ username: 'second.admin', password: 'a-long-password' }).expect(200)).body.accessToken}` };
    // Each removes the other's role at the same moment: one of them must be refused.
    const [one, other] = await Promise.all([
      t.http.patch(`/api/admin/users/${second.body.id}`).set(admin).send({ roles: ['head'] }),
      t.http.patch(`/api/admin/users/${me.userId}`).set(secondToken).send({ roles: ['intake', 'handler', 'legal', 'head'] }),
    ]);
    // The loser is refused by the guard (409), or — when the winner committed before its sign-in was checked — is no
    // longer an administrator at all (403).
    expect([one.status, other.status].filter((status) => status === 200)).toHaveLength(1);
    expect([403, 409]).toContain([one.status, other.status].find((status) => status !== 200));
    const admins = await t.dataSource.query(`SELECT username FROM users WHERE active AND 'admin' = ANY(roles) AND agency_id = (SELECT agency_id FROM users WHERE id = $1)`, [me.userId]);
    expect(admins).toHaveLength(1);
    // Whoever is left restores the other, then deactivating the second is allowed (two were active) — and the last is not.
    const survivor = one.status === 200 ? admin : secondToken;
    const restored = one.status === 200 ? second.body.id : me.userId;
    const restoredRoles = one.status === 200 ? ['admin'] : ['intake', 'handler', 'legal', 'head', 'admin'];
    await t.http.patch(`/api/admin/users/${restored}`).set(survivor).send({ roles: restoredRoles }).expect(200);
    await t.http.patch(`/api/admin/users/${second.body.id}`).set(admin).send({ active: false }).expect(200);
    const last = await t.http.patch(`/api/admin/users/${me.userId}`).set(admin).send({ roles: ['head'] }).expect(409);
    expect(last.body.message).toContain('最后一名在用的管理员');
  });
});
