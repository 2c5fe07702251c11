/**
 * What every app's e2e fixtures share: the shapes of HTTP answers, paging, row counts for "nothing
 * was written" checks, and a few assertions. App fixtures (apps/<app>/test) build on these.
 */

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}
export type HttpFn = <T = Record<string, unknown>>(
  method: string,
  url: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
) => Promise<HttpResponse<T>>;
export interface Harness {
  url: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ProblemBody {
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
  currentETag?: string;
}

let sequence = 0;
/** A value unique within the test run, for external ids, codes, skus and references. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

/** Row counts of some tables of a schema, in one query. */
export async function countRows<T extends string>(
  t: Harness,
  schema: string,
  tables: readonly T[],
): Promise<Record<T, number>> {
  const rows = await t.sql<{ table: T; n: number }>(
    tables
      .map((table) => `select '${table}' as table, count(*)::int as n from ${schema}.${table}`)
      .join(' union all '),
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.n])) as Record<T, number>;
}

/** Walks a list from the first page to the last, following nextCursor. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type of the JSON, as http<T>() does
export async function walkPages<T>(
  http: HttpFn,
  token: string,
  url: string,
  query: Record<string, string>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const res: HttpResponse<Page<T>> = await http<Page<T>>('GET', `${url}?${params.toString()}`, {
      token,
    });
    expectStatus(res, 200);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
    pages += 1;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { items, pages };
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(res: HttpResponse<unknown>, status: number): void {
  if (res.status !== status)
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** The pointers of a VALIDATION_FAILED problem. */
export function pointers(res: HttpResponse<unknown>): string[] {
  return ((res.body as ProblemBody).errors ?? []).map((e) => e.pointer);
}

/** True when the items are in (updatedAt, id) order. */
export function inKeysetOrder(items: readonly { id: string; updatedAt: string }[]): boolean {
  return items.slice(1).every((item, i) => {
    const prev = items[i];
    return (
      prev.updatedAt < item.updatedAt || (prev.updatedAt === item.updatedAt && prev.id < item.id)
    );
  });
}

export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
