import fc from 'fast-check';
import { encodeCursor, keysetWindow } from '@revgate/platform';
import {
  keyOf,
  keysetSlice,
  scopedCode,
  trytonIdOf,
  uuidOf,
  versionOf,
  windowStart,
} from './tryton-ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids of Tryton records', () => {
  it('are version 8 UUIDs, the same on every call, and name their model and id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('party.party', 'account.invoice', 'account.move', 'product.product'),
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        (model, id) => {
          const uuid = uuidOf(model, id);
          expect(uuid).toMatch(UUID);
          expect(uuidOf(model, id)).toBe(uuid);
          expect(trytonIdOf(model, uuid)).toBe(id);
        },
      ),
    );
  });

  it('differ between models and between records', () => {
    expect(uuidOf('party.party', 1)).not.toBe(uuidOf('product.product', 1));
    expect(uuidOf('party.party', 1)).not.toBe(uuidOf('party.party', 2));
    expect(trytonIdOf('product.product', uuidOf('party.party', 7))).toBeUndefined();
    expect(uuidOf('account.move', 42).endsWith('-00000000002a')).toBe(true);
  });

  it('refuse an id that does not fit', () => {
    expect(() => uuidOf('party.party', -1)).toThrow(RangeError);
    expect(() => uuidOf('party.party', 2 ** 48)).toThrow(RangeError);
  });
});

describe('versions of Tryton records', () => {
  it('are the second of the last write since 2020, so any write moves them on', () => {
    expect(versionOf(new Date('2020-01-01T00:00:00Z'))).toBe(1);
    expect(versionOf(new Date('2026-11-30T10:00:00.999Z'))).toBe(
      versionOf(new Date('2026-11-30T10:00:00.000Z')),
    );
    expect(versionOf(new Date('2026-11-30T10:00:01Z'))).toBe(
      versionOf(new Date('2026-11-30T10:00:00Z')) + 1,
    );
    // The ETag's nine digits hold until 2051.
    expect(String(versionOf(new Date('2051-01-01T00:00:00Z')))).toMatch(/^\d{1,9}$/);
  });
});

describe('codes of customers and items', () => {
  it('carry the legal entity, and give the key back only to it', () => {
    expect(scopedCode('US01', 'ACME:01')).toBe('US01:ACME:01');
    expect(keyOf('US01', 'US01:ACME:01')).toBe('ACME:01');
    expect(keyOf('DE01', 'US01:ACME:01')).toBeUndefined();
    expect(keyOf('US01', 'US01:')).toBeUndefined();
    expect(keyOf('US01', undefined)).toBeUndefined();
  });
});

describe('keyset pages of records read whole', () => {
  const record = fc.record({
    id: fc.integer({ min: 1, max: 10_000 }).map((n) => uuidOf('party.party', n)),
    // Few distinct instants, so that many records share one.
    updatedAt: fc.integer({ min: 0, max: 5 }).map((s) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))),
  });

  it('walk every record once, in (updatedAt, id) order, whatever the page size (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(record, { selector: (r) => r.id, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (records, limit) => {
          const seen: typeof records = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 100; pages++) {
            const window = keysetWindow({ limit, cursor });
            const page = keysetSlice(records, window);
            seen.push(...page.items);
            const last = page.items.at(-1);
            if (!page.hasMore || !last) break;
            cursor = encodeCursor([last.updatedAt.toISOString(), last.id]);
          }
          const expected = [...records].sort(
            (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1),
          );
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('keep only what was updated since the instant asked for, and start reading there', () => {
    const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const records = [1, 2, 3].map((n) => ({ id: uuidOf('party.party', n), updatedAt: at(n) }));
    const window = { limit: 10, updatedSince: at(2) };
    expect(keysetSlice(records, window).items.map((r) => r.updatedAt)).toEqual([at(2), at(3)]);
    expect(windowStart(window)).toEqual(at(2));
    expect(
      windowStart({
        limit: 1,
        updatedSince: at(1),
        after: { updatedAt: at(3).toISOString(), id: '' },
      }),
    ).toEqual(at(3));
    expect(windowStart({ limit: 1 })).toBeUndefined();
  });
});
