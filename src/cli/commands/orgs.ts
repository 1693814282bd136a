import { createContext } from '../../server/context.js';
import type { OrgKind } from '../../server/db/types.js';
import { configFrom, type GlobalFlags } from '../main.js';

/**
 * `shugu orgs add`: the server operator's way to create a vendor (a tenancy of its
 * own, which no admin of another vendor can create or reach) or a client organisation
 * of a named vendor. Admins create client organisations of their own vendor in the app.
 */
export async function orgsAddCommand(flags: GlobalFlags, name: string, opts: { kind: string; vendor?: string }) {
  if (opts.kind !== 'vendor' && opts.kind !== 'client') throw new Error('--kind must be vendor or client');
  const kind = opts.kind as OrgKind;
  if (kind === 'client' && !opts.vendor) throw new Error('a client organisation needs --vendor <id>');
  if (kind === 'vendor' && opts.vendor) throw new Error('--vendor is for client organisations only');
  if (!name.trim()) throw new Error('the organisation needs a name');
  const ctx = await createContext(configFrom(flags));
  try {
    let vendorId: number | null = null;
    if (kind === 'client') {
      const vendor = await ctx.repos.orgs.get(Number(opts.vendor));
      if (!vendor || vendor.kind !== 'vendor') throw new Error(`there is no vendor organisation ${opts.vendor}`);
      vendorId = vendor.id;
    }
    const org = await ctx.repos.orgs.create(name.trim(), kind, ctx.clock.now(), vendorId);
    console.log(
      `created ${org.kind} organisation ${org.name} (id ${org.id})${vendorId ? ` of vendor ${vendorId}` : ''}`,
    );
  } finally {
    await ctx.close();
  }
}
