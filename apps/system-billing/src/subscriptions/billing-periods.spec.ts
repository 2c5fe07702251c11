import fc from 'fast-check';
import { addDays, addMonths, periodContaining } from './billing-periods';

describe('billing periods', () => {
  it('moves by months on the anchor day, or the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2026-01-31', 3)).toBe('2026-04-30');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('moves by days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-01', 365)).toBe('2027-03-01');
  });

  it('finds the period of a day from the anchor, in both directions', () => {
    expect(periodContaining('2026-01-01', 'month', '2026-01-01')).toEqual({
      start: '2026-01-01',
      end: '2026-02-01',
    });
    expect(periodContaining('2026-01-01', 'month', '2026-01-31')).toEqual({
      start: '2026-01-01',
      end: '2026-02-01',
    });
    expect(periodContaining('2026-01-31', 'month', '2026-03-15')).toEqual({
      start: '2026-02-28',
      end: '2026-03-31',
    });
    expect(periodContaining('2026-01-15', 'month', '2025-12-20')).toEqual({
      start: '2025-12-15',
      end: '2026-01-15',
    });
    expect(periodContaining('2026-07-01', 'year', '2027-06-30')).toEqual({
      start: '2026-07-01',
      end: '2027-07-01',
    });
    expect(periodContaining('2024-02-29', 'year', '2025-03-01')).toEqual({
      start: '2025-02-28',
      end: '2026-02-28',
    });
  });

  it('gives every day exactly one period, and consecutive periods meet', () => {
    const day = fc
      .integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2100, 0, 1) / 86_400_000 })
      .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        day,
        day,
        fc.constantFrom('month' as const, 'year' as const),
        (anchor, d, interval) => {
          const p = periodContaining(anchor, interval, d);
          expect(p.start <= d && d < p.end).toBe(true);
          const next = periodContaining(anchor, interval, p.end);
          expect(next.start).toBe(p.end);
          const before = periodContaining(anchor, interval, addDays(p.start, -1));
          expect(before.end).toBe(p.start);
        },
      ),
    );
  });
});
