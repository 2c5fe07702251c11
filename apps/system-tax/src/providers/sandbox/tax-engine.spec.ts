import fc from 'fast-check';
import {
  EU_COUNTRIES,
  isEuVatIdFormat,
  minorUnits,
  MoneyDecimal,
  US_STATES,
} from '@revgate/canonical';
import { ApiError } from '@revgate/platform';
import type { CreateTransactionModel, LineItemModel } from '../tax-provider.port';
import { RateTable } from './rate-table';
import { SANDBOX_RATES } from './sandbox-rates';
import { lineTax, taxDocument } from './tax-engine';

const table = RateTable.parse(SANDBOX_RATES);

const TEXAS = {
  line1: '100 Congress Avenue',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
};
const BERLIN = { city: 'Berlin', postalCode: '10117', country: 'DE' };
const PARIS = { city: 'Paris', postalCode: '75002', country: 'FR' };

function doc(
  overrides: Partial<CreateTransactionModel> = {},
  lines?: Partial<LineItemModel>[],
): CreateTransactionModel {
  return {
    type: 'SalesOrder',
    companyCode: 'US01',
    date: '2026-01-15',
    customerCode: 'ACME-001',
    commit: false,
    currencyCode: 'USD',
    addresses: { shipFrom: TEXAS, shipTo: TEXAS },
    lines: (lines ?? [{}]).map((l, i) => ({
      number: String(i + 1),
      quantity: '1',
      amount: '100.00',
      taxCode: 'SW054000',
      taxIncluded: false,
      ...l,
    })),
    ...overrides,
  };
}

function refusal(model: CreateTransactionModel): ApiError {
  try {
    taxDocument(model, table);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const decimalsOf = (amount: string): number => amount.split('.')[1]?.length ?? 0;
const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new MoneyDecimal(0));

describe('lineTax (the declared rule: per line, half-up to the currency)', () => {
  it.each([
    // amount, rate, taxIncluded, currency, tax, net
    ['12000.00', '0.05', false, 'USD', '600.00', '12000.00'],
    ['1.00', '0.065', false, 'USD', '0.07', '1.00'], // 0.065 is a tie: half-up, not banker's 0.06
    ['0.13', '0.04', false, 'USD', '0.01', '0.13'], // 0.0052
    ['0.12', '0.04', false, 'USD', '0.00', '0.12'], // 0.0048
    ['1250', '0.19', false, 'JPY', '238', '1250'], // 237.5
    ['1.010', '0.05', false, 'KWD', '0.051', '1.010'], // 0.0505
    ['119.00', '0.19', true, 'EUR', '19.00', '100.00'], // 119 × 0.19 / 1.19 = 19
    ['10.00', '0.19', true, 'EUR', '1.60', '8.40'], // 1.5966…
    ['100.00', '0', false, 'USD', '0.00', '100.00'],
    ['100.00', '0', true, 'USD', '0.00', '100.00'],
    ['0', '0.0625', false, 'USD', '0.00', '0.00'],
    ['-1.00', '0.065', false, 'USD', '-0.07', '-1.00'], // returns: ties away from zero
    // the largest amount: 254999999999999.9999745 rounds up to the whole unit, no digit lost
    ['999999999999999.9999', '0.255', false, 'CLF', '255000000000000.0000', '999999999999999.9999'],
  ])(
    '%s at %s (tax included: %s) in %s → tax %s, net %s',
    (amount, rate, included, currency, tax, net) => {
      expect(lineTax(amount, rate, included, currency)).toEqual({ tax, net });
    },
  );

  it('is exact where binary floating point is not', () => {
    // 1.005 × 1 in floating point is 1.00499…; 0.1 × 3 lines would be 0.30000000000000004.
    expect(lineTax('20.10', '0.05', false, 'USD').tax).toBe('1.01'); // 1.005
  });
});

describe('taxDocument', () => {
  it('taxes SaaS in Texas at 5% and not in California, recording the jurisdiction', () => {
    const texas = taxDocument(doc({}, [{ amount: '12000.00' }]), table);
    expect(texas.lines[0]).toMatchObject({
      taxability: 'taxable',
      rate: '0.05',
      jurisdiction: { country: 'US', region: 'TX', name: 'Texas', taxName: 'Sales tax' },
      netAmount: '12000.00',
      taxableAmount: '12000.00',
      exemptAmount: '0.00',
      tax: '600.00',
    });
    expect(texas.totalTax).toBe('600.00');
    const california = taxDocument(
      doc(
        {
          addresses: {
            shipFrom: TEXAS,
            shipTo: { region: 'CA', postalCode: '94105', country: 'US' },
          },
        },
        [{ amount: '12000.00' }],
      ),
      table,
    );
    expect(california.lines[0]).toMatchObject({
      taxability: 'non_taxable',
      rate: '0',
      taxableAmount: '0.00',
      exemptAmount: '12000.00',
      tax: '0.00',
    });
  });

  it('rounds each line once and adds the rounded taxes: two 0.13 lines in NY are 0.02, not 0.01', () => {
    const ny = { region: 'NY', postalCode: '10001', country: 'US' };
    const d = taxDocument(
      doc({ addresses: { shipFrom: TEXAS, shipTo: ny } }, [{ amount: '0.13' }, { amount: '0.13' }]),
      table,
    );
    expect(d.lines.map((l) => l.tax)).toEqual(['0.01', '0.01']);
    expect(d.totalTax).toBe('0.02'); // rounding the document once would give round(0.0104) = 0.01
  });

  it('exempts every line under an exemption certificate and says so', () => {
    const d = taxDocument(
      doc({ exemptionNo: 'EX-TX-1' }, [
        { amount: '50.00' },
        { amount: '25.00', taxCode: 'P0000000' },
      ]),
      table,
    );
    expect(d.lines.map((l) => [l.taxability, l.rate, l.tax, l.exemptAmount])).toEqual([
      ['exempt', '0', '0.00', '50.00'],
      ['exempt', '0', '0.00', '25.00'],
    ]);
    expect(d).toMatchObject({
      totalTax: '0.00',
      totalExempt: '75.00',
      totalTaxable: '0.00',
      reverseCharge: false,
    });
    expect(d.messages).toEqual(['Exempt from tax: customer exemption certificate EX-TX-1.']);
  });

  it('reverse-charges a B2B supply from France to a German VAT number, and charges VAT without one', () => {
    const b2b = taxDocument(
      doc(
        {
          currencyCode: 'EUR',
          businessIdentificationNo: 'DE123456789',
          addresses: { shipFrom: PARIS, shipTo: BERLIN },
        },
        [{ amount: '1000.00' }],
      ),
      table,
    );
    expect(b2b.reverseCharge).toBe(true);
    expect(b2b.lines[0]).toMatchObject({
      taxability: 'reverse_charge',
      rate: '0',
      tax: '0.00',
      exemptAmount: '1000.00',
    });
    expect(b2b.messages[0]).toContain('Reverse charge');
    expect(b2b.messages[0]).toContain('DE123456789');
    const b2c = taxDocument(
      doc({ currencyCode: 'EUR', addresses: { shipFrom: PARIS, shipTo: BERLIN } }, [
        { amount: '1000.00' },
      ]),
      table,
    );
    expect(b2c.reverseCharge).toBe(false);
    expect(b2c.lines[0]).toMatchObject({ taxability: 'taxable', rate: '0.19', tax: '190.00' });
    // Seller and buyer in the same member state: domestic VAT, VAT number or not.
    const domestic = taxDocument(
      doc(
        {
          currencyCode: 'EUR',
          businessIdentificationNo: 'DE123456789',
          addresses: { shipFrom: BERLIN, shipTo: BERLIN },
        },
        [{ amount: '1000.00' }],
      ),
      table,
    );
    expect(domestic.reverseCharge).toBe(false);
    expect(domestic.totalTax).toBe('190.00');
  });

  it('refuses a VAT number that is not of the buyer’s member state (422 TAX_VAT_ID_INVALID)', () => {
    for (const vat of ['DE12345678', 'FR123456789', 'de123456789', 'GR123456789'])
      expect(
        refusal(
          doc({
            currencyCode: 'EUR',
            businessIdentificationNo: vat,
            addresses: { shipFrom: PARIS, shipTo: BERLIN },
          }),
        ),
      ).toMatchObject({ status: 422, code: 'TAX_VAT_ID_INVALID' });
    // Greece's VAT numbers start with EL.
    const greek = taxDocument(
      doc({
        currencyCode: 'EUR',
        businessIdentificationNo: 'EL123456789',
        addresses: { shipFrom: PARIS, shipTo: { country: 'GR' } },
      }),
      table,
    );
    expect(greek.reverseCharge).toBe(true);
  });

  it('refuses unknown tax codes (naming every line), unsupported countries and dates without a rate', () => {
    const unknown = refusal(doc({}, [{}, { taxCode: 'XX000' }, { taxCode: 'SW054001' }]));
    expect(unknown).toMatchObject({ status: 422, code: 'TAX_CODE_UNKNOWN' });
    expect(unknown.detail).toContain('lines[1] XX000, lines[2] SW054001');
    expect(unknown.extensions.errors).toEqual([
      expect.objectContaining({ pointer: '/lines/1/taxCode' }),
      expect.objectContaining({ pointer: '/lines/2/taxCode' }),
    ]);
    expect(
      refusal(doc({ addresses: { shipFrom: TEXAS, shipTo: { country: 'BR' } } })),
    ).toMatchObject({
      status: 422,
      code: 'TAX_JURISDICTION_UNSUPPORTED',
    });
    const early = refusal(doc({ date: '2019-12-31' }));
    expect(early).toMatchObject({ status: 422, code: 'TAX_RATE_NOT_EFFECTIVE' });
    expect(early.detail).toContain('Texas on 2019-12-31');
  });

  it('applies the rate in effect on the tax date', () => {
    const de = (date: string) =>
      taxDocument(
        doc({ date, currencyCode: 'EUR', addresses: { shipFrom: BERLIN, shipTo: BERLIN } }, [
          { amount: '100.00' },
        ]),
        table,
      ).totalTax;
    expect([de('2020-06-30'), de('2020-07-01'), de('2020-12-31'), de('2021-01-01')]).toEqual([
      '19.00',
      '16.00',
      '16.00',
      '19.00',
    ]);
  });
});

describe('taxDocument: tax overrides (how returns are taxed)', () => {
  const NEW_MEXICO = { region: 'NM', postalCode: '87501', country: 'US' };
  const nm = (
    overrides: Partial<CreateTransactionModel>,
    lines?: Partial<LineItemModel>[],
  ): CreateTransactionModel =>
    doc({ addresses: { shipFrom: TEXAS, shipTo: NEW_MEXICO }, ...overrides }, lines);

  it('applies the rates of the TaxDate override, not those of the document date, and keeps the document date', () => {
    // New Mexico taxes SaaS at 5% until 2023-06-30 and at 4.875% from 2023-07-01.
    const atItsOwnDate = taxDocument(nm({ date: '2023-08-01' }), table);
    expect(atItsOwnDate.lines[0]).toMatchObject({ rate: '0.04875', tax: '4.88' });
    const atTheSaleDate = taxDocument(
      nm({
        type: 'ReturnOrder',
        date: '2023-08-01',
        referenceCode: 'INV-1',
        taxOverride: { type: 'TaxDate', taxDate: '2023-06-15', reason: 'Return' },
      }),
      table,
    );
    expect(atTheSaleDate).toMatchObject({ date: '2023-08-01', referenceCode: 'INV-1' });
    expect(atTheSaleDate.lines[0]).toMatchObject({ rate: '0.05', tax: '5.00' });
  });

  it('records exactly the TaxAmount of a line, keeping its jurisdiction, taxability and rate', () => {
    const out = taxDocument(
      nm({ date: '2023-08-01' }, [
        { amount: '33.33', taxOverride: { type: 'TaxAmount', taxAmount: '1.7', reason: 'Return' } },
        { amount: '100.00' },
        {
          amount: '10.50',
          taxIncluded: true,
          taxOverride: { type: 'TaxAmount', taxAmount: '0.50', reason: 'Return' },
        },
      ]),
      table,
    );
    expect(out.lines.map((l) => [l.taxability, l.rate, l.netAmount, l.tax])).toEqual([
      ['taxable', '0.04875', '33.33', '1.70'],
      ['taxable', '0.04875', '100.00', '4.88'],
      ['taxable', '0.04875', '10.00', '0.50'],
    ]);
    expect(out.lines[0]?.jurisdiction.name).toBe('New Mexico');
    expect(out).toMatchObject({ totalAmount: '143.33', totalTax: '7.08' });
  });

  it('names the sale’s date and referenceCode when no rate is in effect on it', () => {
    const e = refusal(
      doc({
        date: '2026-01-15',
        referenceCode: 'INV-OLD',
        taxOverride: { type: 'TaxDate', taxDate: '2019-12-31', reason: 'Return' },
      }),
    );
    expect(e).toMatchObject({ status: 422, code: 'TAX_RATE_NOT_EFFECTIVE' });
    expect(e.detail).toContain('Texas on 2019-12-31, the tax date of INV-OLD');
    expect(e.extensions.errors).toEqual([expect.objectContaining({ pointer: '/referenceCode' })]);
  });
});

// ---- invariants ---------------------------------------------------------------------------------

const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');
const usStates = Object.keys(US_STATES);
const destinations = fc.oneof(
  fc.constantFrom(...usStates).map((region) => ({ region, postalCode: '12345', country: 'US' })),
  fc.constantFrom(...EU_COUNTRIES).map((country) => ({ country })),
);
const vatIdFor = (country: string): string => {
  const samples: Record<string, string> = {
    AT: 'ATU12345678',
    BE: 'BE0123456789',
    BG: 'BG123456789',
    CY: 'CY12345678X',
    CZ: 'CZ12345678',
    DE: 'DE123456789',
    DK: 'DK12345678',
    EE: 'EE123456789',
    ES: 'ESX1234567X',
    FI: 'FI12345678',
    FR: 'FRXX123456789',
    GR: 'EL123456789',
    HR: 'HR12345678901',
    HU: 'HU12345678',
    IE: 'IE1234567T',
    IT: 'IT12345678901',
    LT: 'LT123456789',
    LU: 'LU12345678',
    LV: 'LV12345678901',
    MT: 'MT12345678',
    NL: 'NL123456789B01',
    PL: 'PL1234567890',
    PT: 'PT123456789',
    RO: 'RO1234567',
    SE: 'SE123456789001',
    SI: 'SI12345678',
    SK: 'SK1234567890',
  };
  return samples[country] ?? 'US123456789';
};
const dates = fc
  .date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
/** An amount with at most the currency's decimals, as the API accepts it. */
const amountIn = (currency: string) =>
  fc.bigInt({ min: 0n, max: 10n ** 14n }).map((units) => {
    const places = minorUnits(currency);
    return new MoneyDecimal(units.toString()).dividedBy(10 ** places).toFixed(places);
  });
const documents = currencies.chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    date: dates,
    shipTo: destinations,
    sellerCountry: fc.constantFrom('US', 'DE', 'FR', 'IE'),
    exempt: fc.boolean(),
    b2b: fc.boolean(),
    lines: fc.array(
      fc.record({
        amount: amountIn(currency),
        taxIncluded: fc.boolean(),
        taxCode: fc.constantFrom('SW054000', 'P0000000', 'NT'),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  }),
);

type GeneratedDocument = typeof documents extends fc.Arbitrary<infer T> ? T : never;

function modelOf(d: GeneratedDocument): CreateTransactionModel {
  return doc(
    {
      currencyCode: d.currency,
      date: d.date,
      addresses: { shipFrom: { country: d.sellerCountry }, shipTo: d.shipTo },
      ...(d.exempt ? { exemptionNo: 'EX-1' } : {}),
      ...(d.b2b ? { businessIdentificationNo: vatIdFor(d.shipTo.country) } : {}),
    },
    d.lines,
  );
}

describe('invariants (property tests)', () => {
  it('the document tax is the exact sum of the line taxes, and totals add up', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const out = taxDocument(modelOf(d), table);
        expect(new MoneyDecimal(out.totalTax).equals(sum(out.lines.map((l) => l.tax)))).toBe(true);
        expect(
          new MoneyDecimal(out.totalAmount).equals(sum(out.lines.map((l) => l.netAmount))),
        ).toBe(true);
        expect(
          new MoneyDecimal(out.totalTaxable).plus(out.totalExempt).equals(out.totalAmount),
        ).toBe(true);
        for (const l of out.lines) {
          expect(new MoneyDecimal(l.taxableAmount).plus(l.exemptAmount).equals(l.netAmount)).toBe(
            true,
          );
          // tax-included lines split the amount; tax-excluded ones keep it as the net
          const gross = l.taxIncluded
            ? new MoneyDecimal(l.netAmount).plus(l.tax)
            : new MoneyDecimal(l.netAmount);
          expect(gross.equals(l.amount)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('each line tax is within half a minor unit of the exact tax (rounded once, half-up)', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const out = taxDocument(modelOf(d), table);
        const half = new MoneyDecimal(10).pow(-minorUnits(d.currency)).dividedBy(2);
        for (const l of out.lines) {
          const r = new MoneyDecimal(l.rate);
          const exact = l.taxIncluded
            ? new MoneyDecimal(l.amount).times(r).dividedBy(r.plus(1))
            : new MoneyDecimal(l.amount).times(r);
          expect(exact.minus(l.tax).abs().lte(half)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('no amount has more decimals than the currency allows (and each has exactly its minor units)', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const out = taxDocument(modelOf(d), table);
        const places = minorUnits(d.currency);
        const amounts = [
          out.totalAmount,
          out.totalTaxable,
          out.totalExempt,
          out.totalTax,
          ...out.lines.flatMap((l) => [
            l.amount,
            l.netAmount,
            l.taxableAmount,
            l.exemptAmount,
            l.tax,
          ]),
        ];
        for (const a of amounts) expect([a, decimalsOf(a)]).toEqual([a, places]);
      }),
      { numRuns: 300 },
    );
  });

  it('exempt or reverse-charged documents carry exactly zero tax; the reverse charge follows its rule', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const out = taxDocument(modelOf(d), table);
        const eu = EU_COUNTRIES.includes(d.shipTo.country);
        const expectReverse =
          !d.exempt &&
          d.b2b &&
          eu &&
          isEuVatIdFormat(d.shipTo.country, vatIdFor(d.shipTo.country)) &&
          d.sellerCountry !== d.shipTo.country;
        expect(out.reverseCharge).toBe(expectReverse);
        if (d.exempt || out.reverseCharge) {
          expect(new MoneyDecimal(out.totalTax).isZero()).toBe(true);
          for (const l of out.lines) {
            expect(new MoneyDecimal(l.tax).isZero()).toBe(true);
            expect(l.taxability).toBe(d.exempt ? 'exempt' : 'reverse_charge');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tax is monotone in the amount for a fixed rate (tax included or not)', () => {
    const rates = [...new Set(table.rows.map((r) => r.rate))];
    fc.assert(
      fc.property(
        currencies.chain((c) => fc.tuple(fc.constant(c), amountIn(c), amountIn(c))),
        fc.constantFrom(...rates),
        fc.boolean(),
        ([currency, a, b], rate, included) => {
          const [lo, hi] = new MoneyDecimal(a).lte(b) ? [a, b] : [b, a];
          const taxLo = lineTax(lo, rate, included, currency).tax;
          const taxHi = lineTax(hi, rate, included, currency).tax;
          expect(new MoneyDecimal(taxLo).lte(taxHi)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
