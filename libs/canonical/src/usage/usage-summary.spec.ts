import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  ratedUsageMatchesEvents,
  summarizeUsageEvents,
  usageChecksum,
  UsageEventAmount,
} from './usage-summary';

/** Quantities as integers scaled by 10^scale, written as decimal strings ("0.05", "12"). */
const quantities = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    return {
      units: units * 10n ** BigInt(6 - scale),
      text: scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`,
    };
  });
const events = fc.uniqueArray(
  fc.record({ id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/), quantity: quantities }),
  { minLength: 1, maxLength: 40, selector: (e) => e.id },
);
const asLedger = (list: { id: string; quantity: { text: string } }[]): UsageEventAmount[] =>
  list.map((e) => ({ id: e.id, quantity: e.quantity.text }));

describe('usageChecksum', () => {
  it('is the SHA-256 of "<id>\\t<quantity>\\n" lines sorted by id', () => {
    const expected = createHash('sha256').update('a\t1.5\nb\t7\n').digest('hex');
    expect(
      usageChecksum([
        { id: 'b', quantity: '007' },
        { id: 'a', quantity: '1.50' },
      ]),
    ).toBe(expected);
  });

  it('sorts ids in code-unit order (capitals before lower case), as SQL COLLATE "C" does', () => {
    const summary = summarizeUsageEvents([
      { id: 'b', quantity: '1' },
      { id: 'B', quantity: '1' },
      { id: 'a', quantity: '1' },
    ]);
    expect([summary.firstEventId, summary.lastEventId]).toEqual(['B', 'b']);
  });

  it('depends on the set of events, not on their order or how quantities are written', () => {
    fc.assert(
      fc.property(events, (list) => {
        const ledger = asLedger(list);
        const shuffled = [...ledger].reverse().map((e) => ({
          ...e,
          quantity: `${e.quantity}${e.quantity.includes('.') ? '0' : '.0'}`,
        }));
        return usageChecksum(ledger) === usageChecksum(shuffled);
      }),
    );
  });

  it('changes when an event is dropped, added or its quantity changed', () => {
    fc.assert(
      fc.property(events, fc.nat(), (list, pick) => {
        const ledger = asLedger(list);
        const i = pick % ledger.length;
        const target = ledger[i] ?? { id: 'x', quantity: '0' };
        const checksum = usageChecksum(ledger);
        const dropped = ledger.filter((_, j) => j !== i);
        const added = [...ledger, { id: `${target.id}~`, quantity: '0' }];
        const changed = ledger.map((e, j) => (j === i ? { ...e, quantity: `${e.quantity}1` } : e));
        return (
          usageChecksum(dropped) !== checksum &&
          usageChecksum(added) !== checksum &&
          usageChecksum(changed) !== checksum
        );
      }),
    );
  });
});

describe('summarizeUsageEvents', () => {
  it('counts, ranges and sums exactly', () => {
    fc.assert(
      fc.property(events, (list) => {
        const summary = summarizeUsageEvents(asLedger(list));
        const ids = list.map((e) => e.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const micro = list.reduce((a, e) => a + e.quantity.units, 0n);
        const [whole, frac] = [
          micro / 1_000_000n,
          (micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, ''),
        ];
        return (
          summary.eventCount === list.length &&
          summary.firstEventId === ids[0] &&
          summary.lastEventId === ids[ids.length - 1] &&
          summary.quantity === (frac === '' ? whole.toString() : `${whole}.${frac}`)
        );
      }),
    );
  });

  it('refuses no events, an id twice and a quantity that is not a decimal', () => {
    expect(() => summarizeUsageEvents([])).toThrow('a usage summary needs at least one event');
    expect(() =>
      summarizeUsageEvents([
        { id: 'e1', quantity: '1' },
        { id: 'e1', quantity: '2' },
      ]),
    ).toThrow('usage event e1 occurs twice');
    expect(() => summarizeUsageEvents([{ id: 'e1', quantity: '-1' }])).toThrow(RangeError);
  });
});

describe('ratedUsageMatchesEvents', () => {
  const ledger = [
    { id: 'evt_1', quantity: '10' },
    { id: 'evt_2', quantity: '2.5' },
  ];
  const { quantity, ...source } = summarizeUsageEvents(ledger);

  it('proves rated = the sum of the events it names', () => {
    expect(ratedUsageMatchesEvents({ quantity, source }, ledger)).toBe(true);
    expect(ratedUsageMatchesEvents({ quantity: '12.50', source }, [...ledger].reverse())).toBe(
      true,
    );
  });

  it('catches a wrong total, a missing or an extra event, and a changed quantity', () => {
    expect(ratedUsageMatchesEvents({ quantity: '12.4', source }, ledger)).toBe(false);
    expect(ratedUsageMatchesEvents({ quantity, source }, ledger.slice(0, 1))).toBe(false);
    expect(
      ratedUsageMatchesEvents({ quantity, source }, [...ledger, { id: 'evt_3', quantity: '0' }]),
    ).toBe(false);
    expect(
      ratedUsageMatchesEvents({ quantity, source }, [
        { id: 'evt_1', quantity: '10' },
        { id: 'evt_2', quantity: '2.4' },
      ]),
    ).toBe(false);
    expect(ratedUsageMatchesEvents({ quantity, source }, [])).toBe(false);
  });
});
