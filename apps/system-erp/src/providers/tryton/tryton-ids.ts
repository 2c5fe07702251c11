import { createHash } from 'node:crypto';
import type { KeysetWindow, Slice } from '@revgate/platform';

/**
 * How the Tryton adapter names Tryton's records in the API's terms.
 *
 * Ids: Tryton's ids are integers per model; the API's are UUIDs (list cursors hold one). A record's
 * id is a UUID derived from its model and Tryton id, nothing stored: an RFC 9562 version 8 UUID
 * whose first 76 bits are a hash of the model name and whose last 48 bits are the Tryton id, so it
 * is the same on every call and in every process, and it names the model and record it came from
 * (`trytonIdOf`). E.g. party.party 42 → `4f0c5d9a-63b1-8e2c-b7d4-00000000002a`.
 *
 * Versions: Tryton keeps no revision counter. A record's version (its ETag) is the second of its
 * last write since 2020-01-01 UTC, so it changes when anyone writes the record, in Revgate or in
 * Tryton; two writes within one second share a version.
 *
 * Keys: Tryton's parties and products belong to no company, while the API's customers and items
 * belong to one legal entity: their Tryton code is `<legal entity>:<key>` (US01:ACME-001).
 */

const modelHash = new Map<string, string>();

function hashOf(model: string): string {
  let hash = modelHash.get(model);
  if (hash === undefined) {
    hash = createHash('sha256').update(`tryton:${model}`).digest('hex');
    modelHash.set(model, hash);
  }
  return hash;
}

const MAX_ID = 2 ** 48;

export function uuidOf(model: string, id: number): string {
  if (!Number.isSafeInteger(id) || id < 0 || id >= MAX_ID)
    throw new RangeError(`Tryton id ${String(id)} of ${model} does not fit a UUID`);
  const h = hashOf(model);
  const variant = (8 + (parseInt(h.charAt(15), 16) % 4)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(12, 15)}-${variant}${h.slice(16, 19)}-${id.toString(16).padStart(12, '0')}`;
}

/** The Tryton id of a UUID made by uuidOf for this model, or undefined. */
export function trytonIdOf(model: string, uuid: string): number | undefined {
  const id = Number.parseInt(uuid.slice(-12), 16);
  return Number.isSafeInteger(id) && uuidOf(model, id) === uuid.toLowerCase() ? id : undefined;
}

const VERSION_EPOCH = Date.UTC(2020, 0, 1);

export function versionOf(updatedAt: Date): number {
  return Math.max(1, Math.floor((updatedAt.getTime() - VERSION_EPOCH) / 1000));
}

/** The code of a customer or item of a legal entity in Tryton. */
export const scopedCode = (legalEntity: string, key: string): string => `${legalEntity}:${key}`;

/** The key of a Tryton code made by scopedCode for this legal entity, or undefined. */
export function keyOf(legalEntity: string, code: string | undefined): string | undefined {
  const prefix = `${legalEntity}:`;
  return code?.startsWith(prefix) && code.length > prefix.length
    ? code.slice(prefix.length)
    : undefined;
}

/**
 * One keyset page of records read whole from Tryton (which cannot order by the API's ids): ordered
 * by (updatedAt, id), after the cursor, updated since `updatedSince`, at most `limit` of them.
 */
export function keysetSlice<T extends { id: string; updatedAt: Date }>(
  records: readonly T[],
  window: KeysetWindow,
): Slice<T> {
  const after = window.after && {
    at: Date.parse(window.after.updatedAt),
    id: window.after.id.toLowerCase(),
  };
  const since = window.updatedSince?.getTime();
  const sorted = records
    .filter((r) => {
      const at = r.updatedAt.getTime();
      if (since !== undefined && at < since) return false;
      return !after || at > after.at || (at === after.at && r.id > after.id);
    })
    .sort(
      (a, b) =>
        a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  return { items: sorted.slice(0, window.limit), hasMore: sorted.length > window.limit };
}

/** The earliest instant a page can hold: records stamped before it need not be read. */
export function windowStart(window: KeysetWindow): Date | undefined {
  const after = window.after ? new Date(window.after.updatedAt) : undefined;
  const since = window.updatedSince;
  if (!after) return since;
  if (!since) return after;
  return after > since ? after : since;
}
