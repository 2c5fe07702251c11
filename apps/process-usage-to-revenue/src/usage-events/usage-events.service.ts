import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  decodeCursor,
  encodeCursor,
  type Page,
  validationProblem,
} from '@revgate/platform';
import { U2rErrorCode } from '../u2r-error-code';
import type { LatePolicy } from '../meters/meter.entity';
import type { Disposition } from './usage-event.entity';
import {
  checkEvent,
  type CheckedCancellation,
  type CheckedUsage,
  type EventProblem,
  MAX_USAGE_BATCH,
} from './usage-event.validator';
import {
  closedPeriodsFrom,
  lockPeriodsShared,
  lockPeriodsSharedQuery,
  nextOpenPeriod,
} from '../usage-periods/usage-period.locks';
import type {
  IngestUsageResponse,
  LedgerEventResponse,
  ListUsageEventsQuery,
  UsageEventFateResponse,
} from './dto/usage-event.dto';

/** A row of the ledger as the insert statement takes it. */
interface LedgerRow {
  id: string;
  kind: 'usage' | 'cancellation';
  cancels_event_id: string | null;
  subscription_ref: string | null;
  customer_ref: string | null;
  meter_code: string;
  quantity: string;
  occurred_at: string;
  period: string;
  own_period: string;
  disposition: Disposition;
  properties: Record<string, unknown> | null;
}

interface Original {
  id: string;
  kind: string;
  subscription_ref: string | null;
  customer_ref: string | null;
  meter_code: string;
  quantity: string;
  occurred_at: Date;
  period: string;
  own_period: string;
}

/**
 * A column that is usually the same for the whole batch (kind, meter, period, disposition…) goes in
 * as a one-element array when it is: unnest pads it with nulls, and the row takes its one value.
 * High-cardinality columns (id, quantity, timestamp, properties) always go in whole.
 */
const same = (n: number, column: string): string =>
  `case when cardinality($${n}::varchar[]) = 1 then ($${n}::varchar[])[1] else x.${column} end`;

/**
 * The batch's rows go in as one array a column (text literals built by `textArray`), the properties
 * as one JSON array: a few parameters whatever the batch's size, and an unnest that PostgreSQL reads
 * about three times faster than json_to_recordset. It answers how many rows it stored (fewer than
 * the batch's when an id was in the ledger or an event already cancelled: see STORED_BY_US) and
 * whether the periods of $13 were open; when one is closed it stores nothing.
 */
const INSERT = `
  with open as (
    select not exists (select 1 from u2r.usage_periods c
                        where c.status = 'closed' and c.period = any($13::varchar[])) as ok),
  stored as (
    insert into u2r.usage_events (id, kind, cancels_event_id, subscription_ref, customer_ref,
      meter_code, quantity, occurred_at, period, own_period, disposition, properties)
    select x.id, ${same(2, 'kind')}, ${same(3, 'cancels_event_id')},
      ${same(4, 'subscription_ref')}, ${same(5, 'customer_ref')}, ${same(6, 'meter_code')},
      x.quantity, x.occurred_at, ${same(9, 'period')}, ${same(10, 'own_period')},
      ${same(11, 'disposition')}, x.properties
    from unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[],
      $5::varchar[], $6::varchar[], $7::numeric[], $8::timestamptz[], $9::varchar[],
      $10::varchar[], $11::varchar[],
      (select array_agg(nullif(p.value, 'null') order by p.n)
         from jsonb_array_elements($12::jsonb) with ordinality as p(value, n)))
      as x(id, kind, cancels_event_id, subscription_ref, customer_ref, meter_code, quantity,
        occurred_at, period, own_period, disposition, properties)
    where (select ok from open)
    on conflict do nothing
    returning 1)
  select (select ok from open) as open, (select count(*) from stored)::int as stored`;

/**
 * After an insert that did not store every row: the batch's ids in the ledger, and whether this
 * transaction stored them (the others were there before: duplicates). Usually never asked.
 */
const STORED_BY_US = `
  select id, xmin = pg_current_xact_id()::xid as ours
    from u2r.usage_events where id = any($1::text[])`;

/** The meters of $2 (code, late_policy; one row of nulls when none), the periods of $1 locked. */
const METERS_LOCKING_PERIODS = `
  with locked as materialized (${lockPeriodsSharedQuery('$1')})
  select m.code, m.late_policy from locked left join u2r.meters m on m.code = any($2::text[])`;

const NEEDS_ESCAPE = /["\\]/;

function element(v: string | null): string {
  if (v === null) return 'NULL';
  return NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
}

/** A PostgreSQL array literal of texts: every element quoted (so "NULL" stays a text), null unquoted. */
export function textArray<T>(rows: readonly T[], value: (row: T) => string | null): string {
  const values = new Array<string | null>(rows.length);
  let plain = true;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]);
    values[i] = v;
    if (v === null || NEEDS_ESCAPE.test(v)) plain = false;
  }
  // Usually no null and nothing to escape: one join.
  if (plain) return rows.length === 0 ? '{}' : `{"${values.join('","')}"}`;
  return `{${values.map(element).join(',')}}`;
}

/** `textArray`, or the one-element array of the value every row has (see `same`). */
export function sameOrTextArray<T>(rows: readonly T[], value: (row: T) => string | null): string {
  const first = rows.length === 0 ? null : value(rows[0]);
  for (let i = 1; i < rows.length; i++) if (value(rows[i]) !== first) return textArray(rows, value);
  return `{${element(first)}}`;
}

/** The INSERT's parameters for `rows`. */
function insertParams(rows: readonly LedgerRow[]): string[] {
  return [
    textArray(rows, (r) => r.id),
    sameOrTextArray(rows, (r) => r.kind),
    sameOrTextArray(rows, (r) => r.cancels_event_id),
    sameOrTextArray(rows, (r) => r.subscription_ref),
    sameOrTextArray(rows, (r) => r.customer_ref),
    sameOrTextArray(rows, (r) => r.meter_code),
    textArray(rows, (r) => r.quantity),
    textArray(rows, (r) => r.occurred_at),
    sameOrTextArray(rows, (r) => r.period),
    sameOrTextArray(rows, (r) => r.own_period),
    sameOrTextArray(rows, (r) => r.disposition),
    JSON.stringify(rows.map((r) => r.properties)),
  ];
}

interface InsertAnswer {
  open: boolean;
  stored: number;
}

interface Indexed<T> {
  index: number;
  event: T;
}

interface ValidCancellation extends Indexed<CheckedCancellation> {
  original: Original;
}

/** The ledger rows of a batch's events, given the closed periods among theirs and later. */
function ledgerRows(
  known: readonly Indexed<CheckedUsage>[],
  valid: readonly ValidCancellation[],
  meters: ReadonlyMap<string, LatePolicy>,
  closed: ReadonlySet<string>,
): { index: number; row: LedgerRow }[] {
  const rows: { index: number; row: LedgerRow }[] = [];
  for (const { index, event } of known) {
    let period = event.ownPeriod;
    let disposition: Disposition = 'on_time';
    if (closed.has(period)) {
      if (meters.get(event.meterCode) === 'carry_forward') {
        period = nextOpenPeriod(period, closed);
        disposition = 'carried_forward';
      } else disposition = 'held';
    }
    rows.push({
      index,
      row: {
        id: event.id,
        kind: 'usage',
        cancels_event_id: null,
        subscription_ref: event.subscriptionRef,
        customer_ref: event.customerRef,
        meter_code: event.meterCode,
        quantity: event.quantity,
        occurred_at: event.occurredAt,
        period,
        own_period: event.ownPeriod,
        disposition,
        properties: event.properties,
      },
    });
  }
  for (const { index, event, original } of valid) {
    // A cancellation of usage already rated is a billing correction: held for review.
    const disposition: Disposition = closed.has(original.period) ? 'held' : 'on_time';
    rows.push({
      index,
      row: {
        id: event.id,
        kind: 'cancellation',
        cancels_event_id: original.id,
        subscription_ref: original.subscription_ref,
        customer_ref: original.customer_ref,
        meter_code: original.meter_code,
        quantity: original.quantity,
        occurred_at: original.occurred_at.toISOString(),
        period: original.period,
        own_period: original.own_period,
        disposition,
        properties: null,
      },
    });
  }
  return rows;
}

/** Stores `rows` when every period of `open` is (see INSERT). */
async function insert(
  m: EntityManager,
  rows: readonly { row: LedgerRow }[],
  open: readonly string[],
): Promise<InsertAnswer> {
  const [answer] = await m.query<InsertAnswer[]>(INSERT, [
    ...insertParams(rows.map((r) => r.row)),
    open,
  ]);
  return answer;
}

function batchOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validationProblem([
      { pointer: '/events', detail: 'the body must be an object with events' },
    ]);
  const extra = Object.keys(body).find((k) => k !== 'events');
  if (extra !== undefined)
    throw validationProblem([
      { pointer: `/${extra}`, detail: `property ${extra} should not exist` },
    ]);
  const { events } = body as { events?: unknown };
  if (!Array.isArray(events))
    throw validationProblem([
      { pointer: '/events', detail: 'events must be an array of usage events' },
    ]);
  if (events.length === 0)
    throw new ApiError(422, U2rErrorCode.BATCH_EMPTY, 'events must have at least one event.', {
      errors: [{ pointer: '/events', detail: 'events must have at least one event' }],
    });
  if (events.length > MAX_USAGE_BATCH)
    throw new ApiError(
      413,
      U2rErrorCode.BATCH_TOO_LARGE,
      `A batch holds at most ${MAX_USAGE_BATCH} events; this one has ${events.length}. Send it as several batches: nothing of it was stored.`,
      { errors: [{ pointer: '/events', detail: `at most ${MAX_USAGE_BATCH} events` }] },
    );
  return events;
}

/**
 * Ingestion: each event of a batch checked on its own, deduplicated by id in the transaction that
 * stores it (the ledger's primary key: INSERT … ON CONFLICT DO NOTHING, so two batches with the
 * same events sent at once store each event once), and routed by its period: open → counted there;
 * closed → the meter's late-usage policy (carry forward to the next open period, or hold).
 */
@Injectable()
export class UsageEventsService {
  constructor(private readonly tx: TransactionHost) {}

  async ingest(body: unknown): Promise<IngestUsageResponse> {
    const raw = batchOf(body);
    const now = Date.now();
    const fates: UsageEventFateResponse[] = new Array<UsageEventFateResponse>(raw.length);
    const reject = (index: number, problem: EventProblem, id?: string): void => {
      fates[index] = { index, ...(id === undefined ? {} : { id }), fate: 'rejected', problem };
    };
    const seen = new Set<string>();
    const usage: { index: number; event: CheckedUsage }[] = [];
    const cancellations: { index: number; event: CheckedCancellation }[] = [];
    for (let index = 0; index < raw.length; index++) {
      const result = checkEvent(raw[index], index, now);
      if (!result.ok) {
        reject(index, result.problem, result.id);
        continue;
      }
      const { event } = result;
      if (seen.has(event.id)) {
        fates[index] = { index, id: event.id, fate: 'duplicate', duplicateOf: 'batch' };
        continue;
      }
      seen.add(event.id);
      if (event.kind === 'usage') usage.push({ index, event });
      else cancellations.push({ index, event });
    }

    await this.tx.run(async () => {
      const m = this.tx.manager;
      const originals = new Map<string, Original>(
        cancellations.length === 0
          ? []
          : (
              await m.query<Original[]>(
                `select id, kind, subscription_ref, customer_ref, meter_code, quantity::text as quantity,
                        occurred_at, period, own_period
                   from u2r.usage_events where id = any($1::text[])`,
                [cancellations.map((c) => c.event.cancels)],
              )
            ).map((o) => [o.id, o]),
      );
      const valid: ValidCancellation[] = [];
      for (const c of cancellations) {
        const original = originals.get(c.event.cancels);
        if (!original || original.kind !== 'usage')
          reject(
            c.index,
            {
              code: U2rErrorCode.CANCELLED_EVENT_UNKNOWN,
              detail: `no usage event ${c.event.cancels} is in the ledger to cancel`,
              pointer: `/events/${c.index}/cancels`,
            },
            c.event.id,
          );
        else valid.push({ ...c, original });
      }
      if (usage.length === 0 && valid.length === 0) return;
      // One round trip: the shared locks of the periods written into (an event of an unknown meter
      // locks its period for nothing), and the meters.
      const meters = new Map<string, LatePolicy>();
      for (const r of await m.query<{ code: string | null; late_policy: LatePolicy | null }[]>(
        METERS_LOCKING_PERIODS,
        [
          [
            ...new Set([
              ...usage.map((u) => u.event.ownPeriod),
              ...valid.map((c) => c.original.period),
            ]),
          ],
          [...new Set(usage.map((u) => u.event.meterCode))],
        ],
      ))
        if (r.code !== null && r.late_policy !== null) meters.set(r.code, r.late_policy);
      const known: Indexed<CheckedUsage>[] = [];
      for (const u of usage) {
        if (meters.has(u.event.meterCode)) known.push(u);
        else
          reject(
            u.index,
            {
              code: U2rErrorCode.METER_UNKNOWN,
              detail: `meter ${u.event.meterCode} is not defined: define it with POST /u2r/v1/meters first`,
              pointer: `/events/${u.index}/meterCode`,
            },
            u.event.id,
          );
      }
      const periods = [
        ...new Set([
          ...known.map((u) => u.event.ownPeriod),
          ...valid.map((c) => c.original.period),
        ]),
      ];
      if (periods.length === 0) return;
      // Usually every period is open and every event on time: the insert itself checks it, after
      // the locks (a later statement sees a close committed before them), and stores nothing
      // otherwise.
      let rows = ledgerRows(known, valid, meters, new Set());
      let answer = await insert(m, rows, periods);
      if (!answer.open) {
        const from = periods.reduce((x, y) => (x < y ? x : y));
        let closed = await closedPeriodsFrom(m, from);
        const late = known.filter(
          (u) => closed.has(u.event.ownPeriod) && meters.get(u.event.meterCode) === 'carry_forward',
        );
        // Carrying forward writes into another period: it is locked too, and may have closed since.
        for (let locked = new Set<string>(); ;) {
          const targets = new Set(late.map((u) => nextOpenPeriod(u.event.ownPeriod, closed)));
          const missing = [...targets].filter((t) => !locked.has(t));
          if (missing.length === 0) break;
          await lockPeriodsShared(m, missing);
          missing.forEach((t) => locked.add(t));
          closed = await closedPeriodsFrom(m, from);
        }
        rows = ledgerRows(known, valid, meters, closed);
        answer = await insert(m, rows, []);
      }
      // Stored: the row is this transaction's. In the ledger before: a duplicate. Neither: a second
      // cancellation of an event (the unique index on cancels_event_id).
      const ledger =
        answer.stored === rows.length
          ? undefined
          : new Map(
              (
                await m.query<{ id: string; ours: boolean }[]>(STORED_BY_US, [
                  rows.map((r) => r.row.id),
                ])
              ).map((r) => [r.id, r.ours]),
            );
      for (const { index, row } of rows) {
        const ours = ledger === undefined ? true : ledger.get(row.id);
        if (ours === true)
          fates[index] = {
            index,
            id: row.id,
            fate: 'accepted',
            period: row.period,
            disposition: row.disposition,
          };
        else if (ours === false)
          fates[index] = { index, id: row.id, fate: 'duplicate', duplicateOf: 'ledger' };
        else
          reject(
            index,
            {
              code: U2rErrorCode.EVENT_ALREADY_CANCELLED,
              detail: `event ${row.cancels_event_id ?? ''} is already cancelled`,
              pointer: `/events/${index}/cancels`,
            },
            row.id,
          );
      }
    });

    const summary = { accepted: 0, duplicates: 0, rejected: 0, carriedForward: 0, held: 0 };
    for (const f of fates) {
      if (f.fate === 'accepted') {
        summary.accepted++;
        if (f.disposition === 'carried_forward') summary.carriedForward++;
        if (f.disposition === 'held') summary.held++;
      } else if (f.fate === 'duplicate') summary.duplicates++;
      else summary.rejected++;
    }
    return { ...summary, events: fates };
  }

  async get(id: string): Promise<LedgerEventResponse> {
    const rows = await this.tx.manager.query<EventRow[]>(`${SELECT_EVENT} where e.id = $1`, [id]);
    const row = rows.at(0);
    if (!row)
      throw new ApiError(
        404,
        U2rErrorCode.EVENT_NOT_FOUND,
        `Usage event ${id} is not in the ledger.`,
      );
    return toLedgerEvent(row);
  }

  /** The events that count in a period, by id. */
  async list(query: ListUsageEventsQuery): Promise<Page<LedgerEventResponse>> {
    const params: unknown[] = [query.period, query.limit + 1];
    const where = ['e.period = $1'];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.disposition) add('e.disposition = ?', query.disposition);
    if (query.subscriptionId) add('e.subscription_ref = ?', query.subscriptionId);
    if (query.meterCode) add('e.meter_code = ?', query.meterCode);
    if (query.cursor) add('e.id collate "C" > ?', decodeCursor(query.cursor, 1)[0]);
    const rows = await this.tx.manager.query<EventRow[]>(
      `${SELECT_EVENT} where ${where.join(' and ')} order by e.id collate "C" limit $2`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(toLedgerEvent),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
    };
  }

  /**
   * Releases a held event into the first open period after its own: it is rated there. The ledger
   * row stays as it was; the release is a row of its own. Releasing it again answers the release.
   */
  async release(id: string, by: string): Promise<LedgerEventResponse> {
    await this.tx.run(async () => {
      const m = this.tx.manager;
      const event = (
        await m.query<{ kind: string; disposition: string; own_period: string }[]>(
          `select kind, disposition, own_period from u2r.usage_events where id = $1`,
          [id],
        )
      ).at(0);
      if (!event)
        throw new ApiError(
          404,
          U2rErrorCode.EVENT_NOT_FOUND,
          `Usage event ${id} is not in the ledger.`,
        );
      if (event.disposition !== 'held')
        throw new ApiError(
          409,
          U2rErrorCode.EVENT_NOT_HELD,
          `Usage event ${id} is ${event.disposition}, not held: there is nothing to release.`,
        );
      for (let locked = new Set<string>(); ;) {
        const target = nextOpenPeriod(
          event.own_period,
          await closedPeriodsFrom(m, event.own_period),
        );
        if (locked.has(target)) {
          await m.query(
            `insert into u2r.usage_releases (event_id, period, released_by, released_at)
             values ($1, $2, $3, now()) on conflict do nothing`,
            [id, target, by],
          );
          return;
        }
        await lockPeriodsShared(m, [target]);
        locked.add(target);
      }
    });
    return this.get(id);
  }
}

const SELECT_EVENT = `
  select e.id, e.kind, e.cancels_event_id, e.subscription_ref, e.customer_ref, e.meter_code,
         e.quantity::text as quantity, e.occurred_at, e.period, e.own_period, e.disposition,
         e.properties, e.received_at, r.period as released_into
    from u2r.usage_events e left join u2r.usage_releases r on r.event_id = e.id`;

interface EventRow {
  id: string;
  kind: 'usage' | 'cancellation';
  cancels_event_id: string | null;
  subscription_ref: string | null;
  customer_ref: string | null;
  meter_code: string;
  quantity: string;
  occurred_at: Date;
  period: string;
  own_period: string;
  disposition: Disposition;
  properties: Record<string, string | number | boolean> | null;
  received_at: Date;
  released_into: string | null;
}

/** Numeric as stored (scale 10) → its shortest decimal form. */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

function toLedgerEvent(row: EventRow): LedgerEventResponse {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.cancels_event_id ? { cancels: row.cancels_event_id } : {}),
    ...(row.subscription_ref ? { subscriptionId: row.subscription_ref } : {}),
    ...(row.customer_ref ? { customerId: row.customer_ref } : {}),
    meterCode: row.meter_code,
    quantity: trimDecimal(row.quantity),
    timestamp: row.occurred_at.toISOString(),
    period: row.period,
    ownPeriod: row.own_period,
    disposition: row.disposition,
    ...(row.released_into ? { releasedInto: row.released_into } : {}),
    ...(row.properties ? { properties: row.properties } : {}),
    receivedAt: row.received_at.toISOString(),
  };
}
