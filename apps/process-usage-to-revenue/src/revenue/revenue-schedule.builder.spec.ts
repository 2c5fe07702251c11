import type Decimal from 'decimal.js';
import fc from 'fast-check';
import { isBalanced, MoneyDecimal } from '@revgate/canonical';
import { buildSchedules, revenueJournal, type RevenueLine } from './revenue-schedule.builder';

const cents = fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2));
const day = fc
  .integer({ min: 0, max: 3 * 365 })
  .map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const span = fc.tuple(day, fc.integer({ min: 1, max: 800 })).map(([start, days]) => ({
  start,
  end: new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10),
}));
const lineArb: fc.Arbitrary<RevenueLine> = fc.record({
  id: fc.uuid(),
  type: fc.constantFrom('subscription', 'usage', 'one_time'),
  amount: cents,
  currency: fc.constant('USD'),
  servicePeriod: fc.option(span, { nil: undefined }),
  issueDate: day,
  standaloneSellingPrice: fc.option(
    cents.filter((c) => c !== '0.00'),
    { nil: undefined },
  ),
});
const sum = (values: string[]): Decimal =>
  values.reduce((acc, v) => acc.plus(v), new MoneyDecimal(0));

describe('revenue schedules and journals (property tests)', () => {
  it('a line without a bundle recognizes exactly its amount, in ascending periods', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const [schedule] = buildSchedules([{ ...line, standaloneSellingPrice: undefined }]);
        expect(sum(schedule.entries.map((e) => e.amount)).equals(line.amount)).toBe(true);
        expect(schedule.total).toBe(new MoneyDecimal(line.amount).toFixed());
        const periods = schedule.entries.map((e) => e.period);
        expect([...periods].sort()).toEqual(periods);
      }),
      { numRuns: 500 },
    );
  });

  it("a bundle allocates exactly its lines' total by SSP, and each schedule sums to its allocation", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), (lines) => {
        const schedules = buildSchedules(lines);
        for (const s of schedules)
          expect(sum(s.entries.map((e) => e.amount)).equals(s.total)).toBe(true);
        expect(sum(schedules.map((s) => s.total)).equals(sum(lines.map((l) => l.amount)))).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a revenue journal balances, whatever the recognized amounts and their signs', () => {
    const source = fc.record({
      legalEntity: fc.constant('US01'),
      currency: fc.constant('USD'),
      deferredAccount: fc.constantFrom('2400', '2410'),
      revenueAccount: fc.constantFrom('4000', '4100'),
      productFamily: fc.constantFrom('subscription', 'usage'),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((c) => (c / 100).toFixed(2)),
    });
    fc.assert(
      fc.property(fc.array(source, { maxLength: 40 }), (sources) => {
        const lines = revenueJournal(sources);
        if (lines.length > 0) expect(isBalanced(lines, 'USD')).toBe(true);
        const released = sum(
          lines
            .filter((l) => l.credit && ['4000', '4100'].includes(l.accountCode))
            .map((l) => l.credit ?? '0'),
        ).minus(
          sum(
            lines
              .filter((l) => l.debit && ['4000', '4100'].includes(l.accountCode))
              .map((l) => l.debit ?? '0'),
          ),
        );
        expect(released.equals(sum(sources.map((s) => s.amount)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
