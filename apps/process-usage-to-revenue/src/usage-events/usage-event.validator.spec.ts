import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { isInstant, usagePropertiesProblem, UsageEventDto } from '@revgate/canonical';
import { checkEvent, instantMs, MAX_FUTURE_MS } from './usage-event.validator';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** What the canonical DTO (class-validator, whitelist) says of an event, without the clock rule. */
function dtoAccepts(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const errors = validateSync(plainToInstance(UsageEventDto, raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return errors.length === 0;
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

const eventArb = fc.record(
  {
    id: fc.oneof(
      fc.constantFrom('evt-1', 'a', 'x'.repeat(128), 'x'.repeat(129), '-bad', ''),
      fc.string(),
    ),
    subscriptionId: maybe(fc.constantFrom('sub_1', 'SUB-2', 'bad ref', '', 'x'.repeat(129))),
    customerId: maybe(fc.constantFrom('ACME-001', '', 'bad ref')),
    meterCode: fc.constantFrom('api_calls', 'storage.gb_hours', 'API', '1abc', ''),
    quantity: fc.oneof(
      fc.constantFrom('0', '1250', '0.5', '1.50', '-1', '01', '1e3', '', '1.12345678901'),
      fc.integer().map(String),
      fc.double().map(String),
    ),
    timestamp: fc.constantFrom(
      '2026-03-01T11:00:00Z',
      '2026-02-28T23:59:59.123456789-05:00',
      '2026-03-01T12:04:00Z',
      '2026-02-30T10:00:00Z',
      '2026-03-01 10:00:00',
      '2026-03-01T10:00:00',
    ),
    properties: maybe(
      fc.oneof(
        fc.dictionary(
          fc.constantFrom('region', 'user_id', '9bad'),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        ),
        fc.constant([] as unknown as Record<string, unknown>),
      ),
    ),
  },
  { requiredKeys: ['id', 'meterCode', 'quantity', 'timestamp'] },
);

describe('checkEvent (the hand-written validator of the ingestion hot path)', () => {
  it('accepts exactly what the canonical UsageEventDto accepts (timestamps within 5 minutes)', () => {
    fc.assert(
      fc.property(eventArb, (raw) => {
        const ours = checkEvent(raw, 0, NOW);
        expect(ours.ok).toBe(dtoAccepts(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an event more than 5 minutes ahead, and keeps the UTC period of its timestamp', () => {
    const base = { id: 'e1', subscriptionId: 's', meterCode: 'api_calls', quantity: '1' };
    const ahead = checkEvent(
      { ...base, timestamp: new Date(NOW + MAX_FUTURE_MS + 1000).toISOString() },
      3,
      NOW,
    );
    expect(ahead).toMatchObject({
      ok: false,
      problem: { code: 'U2R_EVENT_IN_FUTURE', pointer: '/events/3/timestamp' },
    });
    const edge = checkEvent(
      { ...base, timestamp: new Date(NOW + MAX_FUTURE_MS).toISOString() },
      0,
      NOW,
    );
    expect(edge.ok).toBe(true);
    const local = checkEvent({ ...base, timestamp: '2026-02-28T20:00:00-05:00' }, 0, NOW);
    expect(local).toMatchObject({
      ok: true,
      event: { ownPeriod: '2026-03', occurredAt: '2026-03-01T01:00:00.000Z' },
    });
  });

  it('takes a cancellation as {id, cancels} and nothing else', () => {
    expect(checkEvent({ id: 'c1', cancels: 'e1' }, 0, NOW)).toEqual({
      ok: true,
      event: { kind: 'cancellation', id: 'c1', cancels: 'e1' },
    });
    expect(checkEvent({ id: 'c1', cancels: 'c1' }, 0, NOW).ok).toBe(false);
    expect(checkEvent({ id: 'c1', cancels: 'e1', meterCode: 'api_calls' }, 0, NOW)).toMatchObject({
      ok: false,
      problem: { pointer: '/events/0/meterCode' },
    });
  });

  it('reads an instant as the canonical isInstant and Date.parse do, to the millisecond', () => {
    const two = (max: number): fc.Arbitrary<string> =>
      fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const instantLike = fc
      .tuple(
        fc.oneof(
          fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
          fc.constantFrom('2026', '2024', '1900', '2000', '0001', '0099', '202a', '20260'),
        ),
        two(13),
        two(32),
        fc.constantFrom('T', 't', ' '),
        two(25),
        two(61),
        two(61),
        fc.oneof(
          fc.constant(''),
          fc.stringMatching(/^\.\d{1,11}$/),
          fc.constantFrom('.', '.1a', ',5'),
        ),
        fc.oneof(
          fc.constantFrom('Z', 'z', '', '+00:00', '-00:00', '+0530', '+05', 'Z ', '+05:30:00'),
          fc.tuple(fc.constantFrom('+', '-'), two(25), two(61)).map(([s, h, m]) => `${s}${h}:${m}`),
        ),
      )
      .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(fc.oneof(instantLike, fc.string()), (value) => {
        const ms = instantMs(value);
        expect(!Number.isNaN(ms)).toBe(isInstant(value));
        if (!Number.isNaN(ms)) expect(ms).toBe(Date.parse(value.replace(/(\.\d{3})\d+/, '$1')));
      }),
      { numRuns: 20000 },
    );
  });

  it('keeps an event canonical properties refuse, whatever the quick check says', () => {
    const key = fc.oneof(
      fc.constantFrom('region', '_x', 'a.b-c', '__proto__', 'constructor', 'prototype', '9bad'),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,45}$/),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 260 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const base = { id: 'e1', subscriptionId: 's', meterCode: 'api_calls', quantity: '1' };
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 40 }), (properties) => {
        const raw = { ...base, timestamp: '2026-03-01T11:00:00Z', properties };
        expect(checkEvent(raw, 0, NOW).ok).toBe(usagePropertiesProblem(properties) === undefined);
      }),
      { numRuns: 3000 },
    );
  });
});
