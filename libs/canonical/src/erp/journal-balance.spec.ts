import fc from 'fast-check';
import { minorUnits } from '../money/money';
import {
  isBalanced,
  journalBalanceProblems,
  JournalLineAmounts,
  journalTotals,
} from './journal-balance';

const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');

/** Minor units as a decimal string with the currency's places: 12345n, 2 → "123.45". */
function decimal(units: bigint, places: number): string {
  const digits = units.toString().padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** A line as integer minor units: positive is a debit, negative a credit (never zero). */
const signedUnits = fc
  .bigInt({ min: -10_000_000_000n, max: 10_000_000_000n })
  .filter((u) => u !== 0n);

const toLine = (units: bigint, places: number): JournalLineAmounts =>
  units > 0n ? { debit: decimal(units, places) } : { credit: decimal(-units, places) };

describe('isBalanced', () => {
  it('accepts a simple balanced entry, with the other side absent or zero', () => {
    expect(isBalanced([{ debit: '100.00' }, { credit: '100.00' }], 'USD')).toBe(true);
    expect(
      isBalanced([{ debit: '100.00', credit: '0' }, { credit: '60.00' }, { credit: '40' }], 'USD'),
    ).toBe(true);
    expect(isBalanced([{ debit: '1.005' }, { credit: '1.005' }], 'KWD')).toBe(true);
  });

  it.each<[string, JournalLineAmounts[], string | undefined, string]>([
    ['one line', [{ debit: '0' }], 'USD', 'a journal entry needs at least 2 lines, got 1'],
    ['no line', [], 'USD', 'a journal entry needs at least 2 lines, got 0'],
    [
      'debits that differ from credits',
      [{ debit: '100.00' }, { credit: '99.99' }],
      'USD',
      'debits (100) must equal credits (99.99): the entry is off by 0.01',
    ],
    [
      'a line with both sides',
      [{ debit: '100.00', credit: '100.00' }, { debit: '0.01' }, { credit: '0.01' }],
      'USD',
      'lines[0] must have exactly one of debit or credit positive (the other absent or zero)',
    ],
    [
      'a line with neither side',
      [{}, { debit: '1' }, { credit: '1' }],
      'USD',
      'lines[0] must have exactly one of debit or credit positive (the other absent or zero)',
    ],
    [
      'a zero line',
      [{ debit: '0.00' }, { debit: '1' }, { credit: '1' }],
      'USD',
      'lines[0] must have exactly one of debit or credit positive (the other absent or zero)',
    ],
    [
      'a negative amount',
      [{ debit: '-1.00' }, { credit: '-1.00' }],
      'USD',
      'lines[0] debit and credit must be non-negative decimal strings',
    ],
    [
      'more decimals than the currency',
      [{ debit: '10.001' }, { credit: '10.001' }],
      'USD',
      'lines[0] has more decimals than USD allows (2)',
    ],
    [
      'decimals in a currency without minor units',
      [{ debit: '10.5' }, { credit: '10.5' }],
      'JPY',
      'lines[0] has more decimals than JPY allows (0)',
    ],
  ])('refuses %s', (_name, lines, currency, problem) => {
    expect(isBalanced(lines, currency)).toBe(false);
    expect(journalBalanceProblems(lines, currency)).toContain(problem);
  });

  it('checks decimals only when it knows the currency', () => {
    expect(isBalanced([{ debit: '10.001' }, { credit: '10.001' }])).toBe(true);
    expect(isBalanced([{ debit: '10.001' }, { credit: '10.001' }], 'XYZ')).toBe(true);
  });

  it('refuses what is not a list of lines', () => {
    expect(journalBalanceProblems('lines')).toEqual(['lines must be an array of journal lines']);
    expect(journalBalanceProblems([null, { debit: '1' }])).toContain(
      'lines[0] must be a journal line object',
    );
    expect(journalBalanceProblems([{ debit: 1 }, { credit: 1 }])).toContain(
      'lines[0] debit and credit must be non-negative decimal strings',
    );
  });

  it('is exact where floats are not', () => {
    expect(isBalanced([{ debit: '0.1' }, { debit: '0.2' }, { credit: '0.3' }], 'USD')).toBe(true);
    expect(journalTotals([{ debit: '0.1' }, { debit: '0.2' }, { credit: '0.3' }])).toEqual({
      debit: '0.3',
      credit: '0.3',
    });
  });

  it('agrees with a direct sum in integer minor units', () => {
    fc.assert(
      fc.property(
        currencies,
        fc.array(signedUnits, { minLength: 0, maxLength: 12 }),
        fc.boolean(),
        (currency, units, close) => {
          const places = minorUnits(currency);
          // Half the time, add the line that closes the entry, so both outcomes are common.
          const net = units.reduce((a, u) => a + u, 0n);
          const all = close && net !== 0n ? [...units, -net] : units;
          const lines = all.map((u) => toLine(u, places));
          const debits = all.filter((u) => u > 0n).reduce((a, u) => a + u, 0n);
          const credits = all.filter((u) => u < 0n).reduce((a, u) => a - u, 0n);
          const expected = all.length >= 2 && debits === credits;
          return isBalanced(lines, currency) === expected;
        },
      ),
    );
  });

  it('sees a single minor unit of difference, whatever the size of the entry', () => {
    fc.assert(
      fc.property(
        currencies,
        fc.array(signedUnits, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(1n, -1n),
        (currency, units, off) => {
          const places = minorUnits(currency);
          const net = units.reduce((a, u) => a + u, 0n);
          const closing = -net + off;
          const all = closing === 0n ? units : [...units, closing];
          const lines = all.map((u) => toLine(u, places));
          return !isBalanced(lines, currency);
        },
      ),
    );
  });
});
