import { randomBytes } from 'node:crypto';
import { createContext } from '../../server/context.js';
import type { Role } from '../../server/db/types.js';
import { assertRoleFitsOrg } from '../../server/services/access.js';
import { UserService } from '../../server/services/user.service.js';
import { configFrom, type GlobalFlags } from '../main.js';

const ROLES: Role[] = ['admin', 'manager', 'reviewer', 'worker', 'client'];

export async function usersAddCommand(
  flags: GlobalFlags,
  username: string,
  opts: { role: string; org: string; password?: string; name?: string },
) {
  if (!ROLES.includes(opts.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const ctx = await createContext(configFrom(flags));
  try {
    const org = await ctx.repos.orgs.get(Number(opts.org));
    if (!org) throw new Error(`there is no organisation ${opts.org}`);
    assertRoleFitsOrg(org, opts.role as Role);
    const password = opts.password ?? randomBytes(9).toString('base64url');
    const user = await UserService.insert(
      ctx.repos.users,
      { orgId: Number(opts.org), username, password, role: opts.role as Role, displayName: opts.name },
      ctx.clock.now(),
    );
    console.log(
      `created ${user.role} ${user.username} (id ${user.id})${opts.password ? '' : `, password ${password}`}`,
    );
  } finally {
    await ctx.close();
  }
}
