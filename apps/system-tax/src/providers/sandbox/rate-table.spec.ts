import { EU_COUNTRIES, US_STATES } from '@revgate/canonical';
import { RateTable, RateTableError } from './rate-table';
import { SANDBOX_RATES } from './sandbox-rates';

const table = RateTable.parse(SANDBOX_RATES);

/** A small valid table to break in one place at a time. */
function small(): {
  taxCodes: Record<string, string>;
  jurisdictions: Record<string, { name: string; taxName: string }>;
  rates: Record<string, unknown>[];
} {
  return {
    taxCodes: { SW054000: 'SaaS', NT: 'Not taxable' },
    jurisdictions: {
      US: { name: 'United States', taxName: 'Sales tax' },
      'US-TX': { name: 'Texas', taxName: 'Sales tax' },
      DE: { name: 'Germany', taxName: 'VAT' },
    },
    rates: [
      { jurisdiction: 'US-TX', taxCode: 'SW054000', rate: '0.05', from: '2020-01-01' },
      { jurisdiction: 'US', taxCode: 'NT', rate: '0', from: '2020-01-01' },
      {
        jurisdiction: 'DE',
        taxCode: 'SW054000',
        rate: '0.19',
        from: '2020-01-01',
        to: '2020-06-30',
      },
      { jurisdiction: 'DE', taxCode: 'SW054000', rate: '0.16', from: '2020-07-01' },
      { jurisdiction: 'DE', taxCode: 'NT', rate: '0', from: '2020-01-01' },
    ],
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    RateTable.parse(raw);
  } catch (e) {
    if (e instanceof RateTableError) return e.problems;
    throw e;
  }
  return [];
}

const rateOf = (country: string, region: string | undefined, code: string, date: string) => {
  const found = table.lookup(country, region, code, date);
  return found.kind === 'found' ? found.rate : found.kind;
};

describe('the rate table in the repo (rates.json)', () => {
  it('is valid and knows exactly the sandbox tax codes', () => {
    expect(Object.keys(table.taxCodes).sort()).toEqual(['NT', 'P0000000', 'SW054000']);
    expect(table.knowsTaxCode('SW054000')).toBe(true);
    expect(table.knowsTaxCode('SW054001')).toBe(false);
  });

  it('has a SaaS rate today for every US state, DC and EU member state', () => {
    for (const state of Object.keys(US_STATES))
      expect([state, table.lookup('US', state, 'SW054000', '2026-01-15').kind]).toEqual([
        state,
        'found',
      ]);
    for (const country of EU_COUNTRIES)
      expect([country, table.lookup(country, undefined, 'SW054000', '2026-01-15').kind]).toEqual([
        country,
        'found',
      ]);
  });

  it('taxes SaaS in the declared states and not in the others', () => {
    const taxed = Object.keys(US_STATES).filter(
      (s) => rateOf('US', s, 'SW054000', '2026-01-15') !== '0',
    );
    expect(taxed.sort()).toEqual(
      [
        'AZ',
        'CT',
        'DC',
        'HI',
        'IA',
        'KY',
        'MA',
        'MS',
        'NE',
        'NM',
        'NY',
        'OH',
        'PA',
        'RI',
        'SC',
        'SD',
        'TN',
        'TX',
        'UT',
        'WA',
        'WV',
      ].sort(),
    );
    expect(rateOf('US', 'TX', 'SW054000', '2026-01-15')).toBe('0.05'); // 80% of 6.25%
    expect(rateOf('US', 'NY', 'SW054000', '2026-01-15')).toBe('0.04');
    expect(rateOf('US', 'WA', 'SW054000', '2026-01-15')).toBe('0.065');
    expect(rateOf('US', 'PA', 'SW054000', '2026-01-15')).toBe('0.06');
    expect(rateOf('US', 'OH', 'SW054000', '2026-01-15')).toBe('0.0575');
    for (const state of ['CA', 'FL', 'VA', 'GA', 'IL', 'OR', 'DE'])
      expect([state, rateOf('US', state, 'SW054000', '2026-01-15')]).toEqual([state, '0']);
    // Tangible goods are taxed where there is a sales tax, SaaS or not.
    expect(rateOf('US', 'CA', 'P0000000', '2026-01-15')).toBe('0.0725');
    expect(rateOf('US', 'OR', 'P0000000', '2026-01-15')).toBe('0');
  });

  it('follows the dates rates change on (from and to inclusive)', () => {
    expect(rateOf('US', 'KY', 'SW054000', '2022-12-31')).toBe('0');
    expect(rateOf('US', 'KY', 'SW054000', '2023-01-01')).toBe('0.06');
    expect(rateOf('US', 'SD', 'SW054000', '2023-06-30')).toBe('0.045');
    expect(rateOf('US', 'SD', 'SW054000', '2023-07-01')).toBe('0.042');
    expect(rateOf('DE', undefined, 'SW054000', '2020-06-30')).toBe('0.19');
    expect(rateOf('DE', undefined, 'SW054000', '2020-07-01')).toBe('0.16');
    expect(rateOf('DE', undefined, 'SW054000', '2020-12-31')).toBe('0.16');
    expect(rateOf('DE', undefined, 'SW054000', '2021-01-01')).toBe('0.19');
    expect(rateOf('FI', undefined, 'SW054000', '2024-08-31')).toBe('0.24');
    expect(rateOf('FI', undefined, 'SW054000', '2024-09-01')).toBe('0.255');
    expect(rateOf('EE', undefined, 'SW054000', '2025-07-01')).toBe('0.24');
  });

  it('gives a state its country-wide row when it has none of its own, under its own name', () => {
    const nt = table.lookup('US', 'TX', 'NT', '2026-01-15');
    expect(nt).toEqual({
      kind: 'found',
      rate: '0',
      jurisdiction: { country: 'US', region: 'TX', name: 'Texas', taxName: 'Sales tax' },
    });
    // A region the table does not list falls back to the country (German Länder have no rows).
    expect(table.lookup('DE', 'BY', 'SW054000', '2026-01-15')).toEqual({
      kind: 'found',
      rate: '0.19',
      jurisdiction: { country: 'DE', name: 'Germany', taxName: 'VAT' },
    });
  });

  it('tells an unknown code, an unsupported country and a date without a rate apart', () => {
    expect(table.lookup('US', 'TX', 'XX999', '2026-01-15')).toEqual({ kind: 'unknown_tax_code' });
    expect(table.lookup('BR', 'SP', 'SW054000', '2026-01-15')).toEqual({
      kind: 'unsupported_jurisdiction',
    });
    expect(table.lookup('DE', undefined, 'SW054000', '2019-12-31')).toMatchObject({
      kind: 'not_effective',
      jurisdiction: { name: 'Germany' },
      periods: [
        { from: '2020-01-01', to: '2020-06-30' },
        { from: '2020-07-01', to: '2020-12-31' },
        { from: '2021-01-01' },
      ],
    });
  });
});

describe('RateTable.parse (the check at start)', () => {
  it('accepts the small table and normalizes rates', () => {
    const raw = small();
    raw.rates[0] = { ...raw.rates[0], rate: '0.050' };
    const parsed = RateTable.parse(raw);
    expect(parsed.lookup('US', 'TX', 'SW054000', '2021-05-05')).toMatchObject({ rate: '0.05' });
  });

  it.each<[string, (t: ReturnType<typeof small>) => unknown, string]>([
    ['not an object', () => [], 'the table must be a JSON object'],
    ['no tax codes', (t) => ({ ...t, taxCodes: {} }), 'taxCodes must be an object'],
    [
      'a bad tax code',
      (t) => ({ ...t, taxCodes: { ...t.taxCodes, 'sw 1': 'x' } }),
      'sw 1 is not a tax code',
    ],
    [
      'a bad jurisdiction id',
      (t) => ({ ...t, jurisdictions: { ...t.jurisdictions, Texas: { name: 'x', taxName: 'y' } } }),
      'Texas is not a country',
    ],
    [
      'a US subdivision that is no state',
      (t) => ({
        ...t,
        jurisdictions: { ...t.jurisdictions, 'US-XX': { name: 'x', taxName: 'y' } },
      }),
      'US-XX is not a US state',
    ],
    [
      'a rate of 1',
      (t) => ({ ...t, rates: [{ ...t.rates[0], rate: '1' }, ...t.rates.slice(1)] }),
      'rates[0].rate',
    ],
    [
      'a negative rate',
      (t) => ({ ...t, rates: [{ ...t.rates[0], rate: '-0.05' }, ...t.rates.slice(1)] }),
      'rates[0].rate',
    ],
    [
      'a rate as a number',
      (t) => ({ ...t, rates: [{ ...t.rates[0], rate: 0.05 }, ...t.rates.slice(1)] }),
      'rates[0].rate',
    ],
    [
      'a rate with 7 decimals',
      (t) => ({ ...t, rates: [{ ...t.rates[0], rate: '0.0500001' }, ...t.rates.slice(1)] }),
      'rates[0].rate',
    ],
    [
      'an impossible date',
      (t) => ({ ...t, rates: [{ ...t.rates[0], from: '2023-02-29' }, ...t.rates.slice(1)] }),
      'rates[0].from',
    ],
    [
      'a bad end date',
      (t) => ({ ...t, rates: [{ ...t.rates[0], to: '31.12.2024' }, ...t.rates.slice(1)] }),
      'rates[0].to',
    ],
    [
      'an end before the start',
      (t) => ({ ...t, rates: [{ ...t.rates[0], to: '2019-12-31' }, ...t.rates.slice(1)] }),
      'rates[0] ends before it starts',
    ],
    [
      'an unknown tax code in a row',
      (t) => ({ ...t, rates: [{ ...t.rates[0], taxCode: 'P0000000' }, ...t.rates.slice(1)] }),
      'rates[0].taxCode P0000000 is not in taxCodes',
    ],
    [
      'an unknown jurisdiction in a row',
      (t) => ({ ...t, rates: [{ ...t.rates[0], jurisdiction: 'US-CA' }, ...t.rates.slice(1)] }),
      'rates[0].jurisdiction US-CA',
    ],
    [
      'an unknown field in a row',
      (t) => ({ ...t, rates: [{ ...t.rates[0], county: 'Travis' }, ...t.rates.slice(1)] }),
      'rates[0] has an unknown field county',
    ],
    [
      'two rates in effect on the same day',
      (t) => ({
        ...t,
        rates: [
          ...t.rates,
          {
            jurisdiction: 'DE',
            taxCode: 'SW054000',
            rate: '0.2',
            from: '2020-06-30',
            to: '2020-06-30',
          },
        ],
      }),
      'DE SW054000: the rate from 2020-01-01 overlaps the rate from 2020-06-30',
    ],
    [
      'an open-ended rate followed by another',
      (t) => ({
        ...t,
        rates: [
          ...t.rates,
          { jurisdiction: 'US-TX', taxCode: 'SW054000', rate: '0.06', from: '2025-01-01' },
        ],
      }),
      'US-TX SW054000: the rate from 2020-01-01 overlaps the rate from 2025-01-01',
    ],
    [
      'a jurisdiction without a rate for a code',
      (t) => ({
        ...t,
        rates: t.rates.filter((r) => !(r.jurisdiction === 'DE' && r.taxCode === 'NT')),
      }),
      'DE has no rate for NT, nor has DE',
    ],
  ])('refuses %s, naming the problem', (_name, breakIt, problem) => {
    const problems = problemsOf(breakIt(small()));
    expect(problems.join('\n')).toContain(problem);
  });

  it('reports every problem at once, in a message an operator can act on', () => {
    const t = small();
    let error: unknown;
    try {
      RateTable.parse({
        ...t,
        rates: [
          { ...t.rates[0], rate: '7%' },
          { ...t.rates[1], from: 'soon' },
          ...t.rates.slice(2),
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RateTableError);
    expect((error as RateTableError).problems).toHaveLength(2);
    expect((error as RateTableError).message).toMatch(
      /^The tax rate table is invalid:\n {2}- rates\[0\]\.rate/,
    );
  });
});
