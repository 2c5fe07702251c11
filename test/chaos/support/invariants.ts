import { Client } from 'pg';
import { OutboxRelay } from '@revgate/events';
import type { BaseConfig } from '@revgate/platform';
import type { TestApp } from '../../support/test-app';
import { sleep, tally } from './chaos';

/**
 * What an invariant check found: records made more than once, records missing, and any other
 * broken rule (each in words, so a failure says what and where).
 */
export class Findings {
  duplicates = 0;
  lost = 0;
  readonly problems: string[] = [];

  duplicate(n: number, what: string): void {
    if (n <= 1) return;
    this.duplicates += n - 1;
    this.problems.push(`${n - 1} duplicate(s): ${what}`);
  }

  /** `n` copies of something that must exist exactly once. */
  once(n: number, what: string): void {
    if (n === 0) this.missing(what);
    else this.duplicate(n, what);
  }

  missing(what: string): void {
    this.lost += 1;
    this.problems.push(`lost: ${what}`);
  }

  broken(what: string): void {
    this.problems.push(what);
  }

  /** Takes in what another check found. */
  add(other: Findings): void {
    this.duplicates += other.duplicates;
    this.lost += other.lost;
    this.problems.push(...other.problems);
  }

  /** Adds the counts to the suite's tally, then asserts that nothing was found. */
  settle(scenario: string, extra: Record<string, number | string> = {}): void {
    tally.duplicates += this.duplicates;
    tally.lost += this.lost;
    tally.scenarios[scenario] = {
      ...tally.scenarios[scenario],
      ...extra,
      duplicates: this.duplicates,
      lost: this.lost,
    };
    expect(this.problems).toEqual([]);
    expect({ duplicates: this.duplicates, lost: this.lost }).toEqual({ duplicates: 0, lost: 0 });
  }
}

/** Runs SQL on a database the test does not hold a client of (a process app's own). */
export async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The ERP's books: every move balances (its lines and its totals), no document is in the ledger
 * twice, and the trial balance of each period posted in balances per currency.
 */
export async function checkErpLedger(
  erp: TestApp<BaseConfig>,
  f: Findings,
  legalEntity = 'US01',
): Promise<void> {
  const unbalanced = await erp.sql<{ external_id: string; d: string; c: string }>(
    `select m.external_id, sum(l.debit)::text as d, sum(l.credit)::text as c
       from erp.moves m join erp.move_lines l on l.move_id = m.id
      group by m.id, m.external_id, m.total_debit, m.total_credit
     having sum(l.debit) <> sum(l.credit) or sum(l.debit) <> m.total_debit
         or m.total_debit <> m.total_credit`,
  );
  for (const m of unbalanced) f.broken(`ERP move ${m.external_id} unbalanced: Dr ${m.d} Cr ${m.c}`);
  const twice = await erp.sql<{ source: string; external_id: string; n: number }>(
    `select source, external_id, count(*)::int as n from erp.moves
      group by legal_entity, source, external_id having count(*) > 1`,
  );
  for (const m of twice) f.duplicate(m.n, `ERP ${m.source} move ${m.external_id}`);
  const periods = await erp.sql<{ period: string }>(
    'select distinct period from erp.moves where legal_entity = $1',
    [legalEntity],
  );
  const token = erp.token(['erp:read']);
  for (const { period } of periods) {
    const res = await fetch(`${erp.url}/erp/v1/trial-balance/${legalEntity}/${period}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const tb = (await res.json()) as {
      sections: { currency: string; totalDebit: string; totalCredit: string }[];
    };
    if (res.status !== 200) {
      f.broken(`trial balance ${period}: HTTP ${res.status}`);
      continue;
    }
    for (const s of tb.sections)
      if (s.totalDebit !== s.totalCredit)
        f.broken(`trial balance ${period} ${s.currency}: Dr ${s.totalDebit} ≠ Cr ${s.totalCredit}`);
  }
}

/**
 * An in-process system app's outbox, drained by its relay (the suites run it by hand): nothing
 * left unpublished, no delivery dead or still pending.
 */
export async function checkSystemOutbox(
  app: TestApp<BaseConfig>,
  schema: string,
  f: Findings,
): Promise<void> {
  const relay = app.app.get(OutboxRelay);
  await checkOutboxRows(
    (text) => app.sql(text),
    schema,
    f,
    async () => {
      await relay.runOnce();
    },
  );
}

/** The same rules on a process app's database (its relay runs on its own timer). */
export async function checkProcessOutbox(url: string, schema: string, f: Findings): Promise<void> {
  await checkOutboxRows(
    (text) => query(url, text),
    schema,
    f,
    () => sleep(250),
  );
}

/**
 * Waits (up to 15 s, `step` between looks) until the outbox is drained: every event relayed and
 * every delivery delivered; what is left then is a finding. A dead delivery is one at once.
 */
async function checkOutboxRows(
  sql: (text: string) => Promise<Record<string, unknown>[]>,
  schema: string,
  f: Findings,
  step: () => Promise<void>,
): Promise<void> {
  const look = async () => {
    const [outbox] = (await sql(
      `select count(*)::int as n from ${schema}.outbox_events where published_at is null`,
    )) as { n: number }[];
    const deliveries = (await sql(
      `select status, count(*)::int as n from ${schema}.webhook_deliveries
        where status <> 'delivered'
          -- a deleted subscription's deliveries end dead by design (nothing more is sent to it)
          and subscription_id not in
            (select id from ${schema}.webhook_subscriptions where deleted_at is not null)
        group by status`,
    )) as { status: string; n: number }[];
    return { unpublished: outbox.n, deliveries };
  };
  const until = Date.now() + 15_000;
  let left = await look();
  while (
    (left.unpublished > 0 || left.deliveries.length > 0) &&
    !left.deliveries.some((d) => d.status === 'dead') &&
    Date.now() < until
  ) {
    await step();
    left = await look();
  }
  if (left.unpublished > 0)
    f.broken(`${schema}: ${left.unpublished} outbox event(s) never relayed`);
  for (const d of left.deliveries) f.broken(`${schema}: ${d.n} webhook deliver(ies) ${d.status}`);
}
