import { sql, type Kysely } from 'kysely';

/**
 * Pay: the append-only ledger, monthly pay periods, project pay settings, the local
 * minimum wage, and the moment an answer was accepted. Frozen.
 *
 * What the database itself guarantees, whatever the code above it does:
 * - one earning per annotation (partial unique index), one reversal per entry
 *   (unique `reverses_id`), one entry per idempotency key (payouts, bonuses);
 * - entries are never updated or deleted (triggers), and none is written into a
 *   closed period (trigger);
 * - amounts have the sign their kind implies (check).
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const idCol = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const real = dialect === 'postgres' ? 'double precision' : 'real';

  // Pay settings of a project; the piece rate (`piece_rate_fen`) is older.
  await db.schema
    .alterTable('projects')
    .addColumn('bonus_tiers', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('projects')
    .addColumn('hourly_floor_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // An answer agreeing with its item's final consensus at this OKS or better is accepted.
  await db.schema
    .alterTable('projects')
    .addColumn('accept_oks', real, (c) => c.notNull().defaultTo(0.75))
    .execute();
  // The local minimum hourly wage for the fair-pay check. 2,000 fen (¥20/h) is a
  // placeholder in the range of Chinese part-time minimums; each base sets its own.
  await db.schema
    .alterTable('orgs')
    .addColumn('min_hourly_wage_fen', 'integer', (c) => c.notNull().defaultTo(2000))
    .execute();
  await db.schema.alterTable('annotations').addColumn('accepted_at', 'bigint').execute();
  // Agreement with what decided the answer: its gold score, or its OKS against the consensus.
  await db.schema.alterTable('annotations').addColumn('accuracy', real).execute();
  await db.schema.createIndex('annotations_worker').on('annotations').columns(['worker_id', 'id']).execute();

  await db.schema
    .createTable('pay_periods')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'integer', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('pay_periods_pk', ['org_id', 'period'])
    .addCheckConstraint('pay_periods_status', sql`status in ('open', 'closed')`)
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', id, idCol)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('project_id', 'integer', (c) => c.references('projects.id'))
    .addColumn('annotation_id', 'integer', (c) => c.references('annotations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('reverses_id', 'integer', (c) => c.references('ledger_entries.id'))
    .addColumn('reason', 'text')
    // Retried payouts and period settlements carry a key; a second insert is refused.
    .addColumn('idem_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('ledger_one_reversal', ['reverses_id'])
    .addUniqueConstraint('ledger_idem', ['org_id', 'idem_key'])
    .addCheckConstraint(
      'ledger_kind_sign',
      sql`(kind in ('earning', 'bonus', 'floor_topup') and amount_fen >= 0)
        or (kind = 'payout' and amount_fen < 0)
        or kind in ('reversal', 'adjustment')`,
    )
    .addCheckConstraint('ledger_reversal_link', sql`(kind = 'reversal') = (reverses_id is not null)`)
    .addCheckConstraint('ledger_earning_item', sql`kind <> 'earning' or annotation_id is not null`)
    .execute();
  // One earning per annotation: the fact "every accepted answer is paid exactly once" rests on.
  await db.schema
    .createIndex('ledger_one_earning')
    .on('ledger_entries')
    .column('annotation_id')
    .unique()
    .where(sql.ref('kind'), '=', 'earning')
    .execute();
  await db.schema.createIndex('ledger_worker').on('ledger_entries').columns(['worker_id', 'period', 'id']).execute();
  await db.schema.createIndex('ledger_org_period').on('ledger_entries').columns(['org_id', 'period']).execute();
  await db.schema.createIndex('ledger_annotation').on('ledger_entries').column('annotation_id').execute();

  if (dialect === 'postgres') {
    await sql`create function ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger_entries is append-only: add a reversing entry instead';
      end $$`.execute(db);
    await sql`create trigger ledger_no_change before update or delete on ledger_entries
      for each row execute function ledger_append_only()`.execute(db);
    await sql`create function ledger_open_period() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from pay_periods p
                   where p.org_id = new.org_id and p.period = new.period and p.status = 'closed') then
          raise exception 'pay period % is closed', new.period;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger ledger_period_open before insert on ledger_entries
      for each row execute function ledger_open_period()`.execute(db);
  } else {
    await sql`create trigger ledger_no_update before update on ledger_entries
      begin select raise(abort, 'ledger_entries is append-only: add a reversing entry instead'); end`.execute(db);
    await sql`create trigger ledger_no_delete before delete on ledger_entries
      begin select raise(abort, 'ledger_entries is append-only: add a reversing entry instead'); end`.execute(db);
    await sql`create trigger ledger_period_open before insert on ledger_entries
      when exists (select 1 from pay_periods p
                   where p.org_id = new.org_id and p.period = new.period and p.status = 'closed')
      begin select raise(abort, 'pay period is closed'); end`.execute(db);
  }
}
