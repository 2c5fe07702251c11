import { randomUUID } from 'node:crypto';
import type { TaxQuoteResponse } from '@revgate/canonical';
import { taxApp } from '../tax.app';
import { TaxConfig } from '../tax.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  AUSTIN,
  BERLIN,
  expectStatus,
  line,
  NEW_YORK,
  PARIS,
  pointers,
  quoteBody,
  SAN_FRANCISCO,
  stateAddress,
  Tax,
} from '../../test/tax-fixtures';

describe('quotes (e2e)', () => {
  let t: TestApp<TaxConfig>;
  let tax: Tax;
  let reader: string;
  let writer: string;
  let de01: string;

  beforeAll(async () => {
    t = await startTestApp(taxApp);
    tax = new Tax(t, http);
    reader = t.token(['tax:read']);
    writer = t.token(['tax:write']);
    de01 = t.token(['tax:read'], { legalEntities: ['DE01'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown, token = reader, headers: Record<string, string> = {}) =>
    http<TaxQuoteResponse>('POST', tax.url('quotes'), { token, body, headers });

  /** Quotes one SaaS line of `amount` USD sold from Austin to `shipTo`. */
  const saasTo = async (shipTo: Record<string, string>, amount = '1000.00') =>
    (
      await tax.quote(reader, {
        addresses: { shipFrom: AUSTIN, shipTo },
        lines: [line({ amount })],
      })
    ).totalTax;

  describe('POST /quotes', () => {
    it('quotes SaaS sold from Texas to New York at 4%, line by line, and records nothing', async () => {
      const before = await tax.counts();
      const res = await post(
        quoteBody({
          customerCode: 'ACME-001',
          lines: [
            line({ number: 'L1', itemCode: 'PLATFORM-ANNUAL', description: 'Platform, 12 months' }),
            line({ number: 'L2', quantity: '1', amount: '0.13' }),
            line({ number: 'L3', taxCode: 'NT', quantity: '2.50', amount: '500' }),
          ],
        }),
      );
      expectStatus(res, 200);
      const newYork = { country: 'US', region: 'NY', name: 'New York', taxName: 'Sales tax' };
      expect(res.body).toEqual({
        legalEntity: 'US01',
        customerCode: 'ACME-001',
        date: '2026-01-15',
        currency: 'USD',
        addresses: { shipFrom: AUSTIN, shipTo: NEW_YORK },
        reverseCharge: false,
        lines: [
          {
            number: 'L1',
            itemCode: 'PLATFORM-ANNUAL',
            taxCode: 'SW054000',
            description: 'Platform, 12 months',
            quantity: '10',
            amount: '12000.00',
            taxIncluded: false,
            taxability: 'taxable',
            rate: '0.04',
            jurisdiction: newYork,
            netAmount: '12000.00',
            taxableAmount: '12000.00',
            exemptAmount: '0.00',
            tax: '480.00',
          },
          {
            number: 'L2',
            taxCode: 'SW054000',
            quantity: '1',
            amount: '0.13',
            taxIncluded: false,
            taxability: 'taxable',
            rate: '0.04',
            jurisdiction: newYork,
            netAmount: '0.13',
            taxableAmount: '0.13',
            exemptAmount: '0.00',
            tax: '0.01', // 0.0052, half-up
          },
          {
            number: 'L3',
            taxCode: 'NT',
            quantity: '2.5',
            amount: '500.00',
            taxIncluded: false,
            taxability: 'non_taxable',
            rate: '0',
            jurisdiction: newYork,
            netAmount: '500.00',
            taxableAmount: '0.00',
            exemptAmount: '500.00',
            tax: '0.00',
          },
        ],
        totalAmount: '12500.13',
        totalTaxable: '12000.13',
        totalExempt: '500.00',
        totalTax: '480.01',
        totalWithTax: '12980.14',
        notes: [],
      });
      expect(res.headers.get('etag')).toBeNull();
      expect(await tax.counts()).toEqual(before);
    });

    it('rounds each line half-up once and adds the rounded taxes (never rounding the document again)', async () => {
      // Three lines of 0.13 at 4%: 0.0052 each → 0.01 each → 0.03. Rounding the document once
      // would give round(0.0156) = 0.02.
      const three = await tax.quote(reader, {
        lines: [line({ amount: '0.13' }), line({ amount: '0.13' }), line({ amount: '0.13' })],
      });
      expect(three.lines.map((l) => l.tax)).toEqual(['0.01', '0.01', '0.01']);
      expect(three.totalTax).toBe('0.03');
      // Line numbers default to the position.
      expect(three.lines.map((l) => l.number)).toEqual(['1', '2', '3']);
      // A tie rounds half-up: 1.00 at Washington's 6.5% is 0.065 → 0.07 (half-even would give 0.06).
      expect(await saasTo(stateAddress('WA', '98101'), '1.00')).toBe('0.07');
      // Just under the tie rounds down: 0.92 × 6.5% = 0.0598 → 0.06; 0.07 × 6.5% = 0.00455 → 0.00.
      expect(await saasTo(stateAddress('WA', '98101'), '0.92')).toBe('0.06');
      expect(await saasTo(stateAddress('WA', '98101'), '0.07')).toBe('0.00');
    });

    it('taxes SaaS in the declared states and not in the others', async () => {
      const cases: [string, string, string][] = [
        ['TX', '78701', '50.00'], // 6.25% on 80% of the charge
        ['NY', '10001', '40.00'],
        ['WA', '98101', '65.00'],
        ['PA', '19103', '60.00'],
        ['OH', '43215', '57.50'],
        ['CT', '06103', '10.00'],
        ['CA', '94105', '0.00'],
        ['FL', '33131', '0.00'],
        ['VA', '23219', '0.00'],
        ['IL', '60601', '0.00'],
        ['OR', '97201', '0.00'],
      ];
      for (const [state, zip, expected] of cases)
        expect([state, await saasTo(stateAddress(state, zip))]).toEqual([state, expected]);
      const ca = await tax.quote(reader, {
        addresses: { shipFrom: AUSTIN, shipTo: SAN_FRANCISCO },
      });
      expect(ca.lines[0]).toMatchObject({ taxability: 'non_taxable', rate: '0', tax: '0.00' });
      // Tangible goods are taxed in California.
      const goods = await tax.quote(reader, {
        addresses: { shipFrom: AUSTIN, shipTo: SAN_FRANCISCO },
        lines: [line({ taxCode: 'P0000000', amount: '100.00' })],
      });
      expect(goods.totalTax).toBe('7.25');
    });

    it('rounds to whole yen and to three decimals for the Kuwaiti dinar', async () => {
      const yen = await tax.quote(reader, {
        currency: 'JPY',
        addresses: { shipFrom: BERLIN, shipTo: BERLIN },
        lines: [line({ amount: '1250' }), line({ amount: '999' })],
      });
      // 1250 × 19% = 237.5 → 238; 999 × 19% = 189.81 → 190
      expect(yen.lines.map((l) => [l.amount, l.tax])).toEqual([
        ['1250', '238'],
        ['999', '190'],
      ]);
      expect(yen).toMatchObject({ totalAmount: '2249', totalTax: '428', totalWithTax: '2677' });
      const dinar = await tax.quote(reader, {
        currency: 'KWD',
        addresses: { shipFrom: AUSTIN, shipTo: AUSTIN },
        lines: [line({ amount: '1.010' }), line({ amount: '2' })],
      });
      // 1.010 × 5% = 0.0505 → 0.051; 2 × 5% = 0.1
      expect(dinar.lines.map((l) => [l.amount, l.tax])).toEqual([
        ['1.010', '0.051'],
        ['2.000', '0.100'],
      ]);
      expect(dinar).toMatchObject({ totalTax: '0.151', totalWithTax: '3.161' });
    });

    it('takes the tax out of tax-included amounts', async () => {
      const q = await tax.quote(reader, {
        currency: 'EUR',
        addresses: { shipFrom: BERLIN, shipTo: BERLIN },
        lines: [
          line({ amount: '119.00', taxIncluded: true }),
          line({ amount: '10.00', taxIncluded: true }),
          line({ amount: '10.00', taxIncluded: false }),
        ],
      });
      // 119 × 0.19 / 1.19 = 19; 10 × 0.19 / 1.19 = 1.5966… → 1.60; 10 × 0.19 = 1.90
      expect(q.lines.map((l) => [l.netAmount, l.tax])).toEqual([
        ['100.00', '19.00'],
        ['8.40', '1.60'],
        ['10.00', '1.90'],
      ]);
      expect(q).toMatchObject({
        totalAmount: '118.40',
        totalTax: '22.50',
        totalWithTax: '140.90',
      });
    });

    it('exempts every line under a customer exemption certificate and echoes it', async () => {
      const q = await tax.quote(reader, {
        addresses: { shipFrom: AUSTIN, shipTo: AUSTIN },
        exemptionNo: 'TX-EXEMPT-2026-001',
        lines: [line({ amount: '1000.00' }), line({ taxCode: 'P0000000', amount: '50.00' })],
      });
      expect(q.exemptionNo).toBe('TX-EXEMPT-2026-001');
      expect(q.lines.map((l) => [l.taxability, l.rate, l.exemptAmount, l.tax])).toEqual([
        ['exempt', '0', '1000.00', '0.00'],
        ['exempt', '0', '50.00', '0.00'],
      ]);
      expect(q).toMatchObject({ totalTax: '0.00', totalExempt: '1050.00', totalTaxable: '0.00' });
      expect(q.notes).toEqual([
        'Exempt from tax: customer exemption certificate TX-EXEMPT-2026-001.',
      ]);
    });

    it('reverse-charges EU B2B supplies across borders and charges VAT otherwise', async () => {
      const eu = (overrides: Record<string, unknown>) =>
        tax.quote(reader, {
          legalEntity: 'FR01',
          currency: 'EUR',
          addresses: { shipFrom: PARIS, shipTo: BERLIN },
          lines: [line({ amount: '1000.00' })],
          ...overrides,
        });
      const b2b = await eu({ customerVatId: 'DE123456789' });
      expect(b2b).toMatchObject({
        reverseCharge: true,
        customerVatId: 'DE123456789',
        totalTax: '0.00',
        totalExempt: '1000.00',
        totalWithTax: '1000.00',
      });
      expect(b2b.lines[0]).toMatchObject({ taxability: 'reverse_charge', rate: '0', tax: '0.00' });
      expect(b2b.notes).toEqual([
        'Reverse charge: VAT to be accounted for by the customer (Article 196, Council Directive 2006/112/EC). Customer VAT ID: DE123456789.',
      ]);
      // A consumer in Germany pays German VAT (19%).
      const b2c = await eu({});
      expect(b2c).toMatchObject({ reverseCharge: false, totalTax: '190.00', notes: [] });
      // A German business buying from a German seller pays German VAT.
      expect(
        await eu({ customerVatId: 'DE123456789', addresses: { shipFrom: BERLIN, shipTo: BERLIN } }),
      ).toMatchObject({ reverseCharge: false, totalTax: '190.00' });
      // A French business buying from Germany is reverse-charged too; Greece's numbers start with EL.
      expect(
        await eu({
          customerVatId: 'FRXX123456789',
          addresses: { shipFrom: BERLIN, shipTo: PARIS },
        }),
      ).toMatchObject({ reverseCharge: true, totalTax: '0.00' });
      expect(
        await eu({
          customerVatId: 'EL123456789',
          addresses: { shipFrom: BERLIN, shipTo: { country: 'GR' } },
        }),
      ).toMatchObject({ reverseCharge: true, totalTax: '0.00' });
    });

    it('applies the rate in effect on the tax date', async () => {
      const germany = (date: string) =>
        tax.quote(reader, {
          date,
          currency: 'EUR',
          addresses: { shipFrom: BERLIN, shipTo: BERLIN },
          lines: [line({ amount: '100.00' })],
        });
      expect((await germany('2020-06-30')).totalTax).toBe('19.00');
      expect((await germany('2020-07-01')).totalTax).toBe('16.00'); // the 2020 reduction
      expect((await germany('2021-01-01')).totalTax).toBe('19.00');
      const kentucky = (date: string) =>
        tax.quote(reader, {
          date,
          addresses: { shipFrom: AUSTIN, shipTo: stateAddress('KY', '40202') },
        });
      expect((await kentucky('2022-12-31')).totalTax).toBe('0.00');
      expect((await kentucky('2023-01-01')).totalTax).toBe('720.00'); // 6% of 12000
    });

    it('refuses what the tax engine cannot tax with 422 and a stable code, recording nothing', async () => {
      const before = await tax.counts();
      const unknown = await post(quoteBody({ lines: [line(), line({ taxCode: 'SW999999' })] }));
      expect(expectProblem(unknown, 422, 'TAX_CODE_UNKNOWN').detail).toContain('lines[1] SW999999');
      expect(pointers(unknown)).toEqual(['/lines/1/taxCode']);
      const early = await post(quoteBody({ date: '2019-12-31' }));
      expect(expectProblem(early, 422, 'TAX_RATE_NOT_EFFECTIVE').detail).toContain(
        'New York on 2019-12-31',
      );
      expectProblem(
        await post(quoteBody({ addresses: { shipFrom: AUSTIN, shipTo: { country: 'BR' } } })),
        422,
        'TAX_JURISDICTION_UNSUPPORTED',
      );
      const vat = await post(
        quoteBody({
          currency: 'EUR',
          customerVatId: 'DE12345',
          addresses: { shipFrom: PARIS, shipTo: BERLIN },
        }),
      );
      expect(expectProblem(vat, 422, 'TAX_VAT_ID_INVALID').detail).toContain('DE12345');
      expect(pointers(vat)).toEqual(['/customerVatId']);
      expect(await tax.counts()).toEqual(before);
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      [
        'a negative quantity',
        (b) => ({ ...b, lines: [line({ quantity: '-1' })] }),
        '/lines/0/quantity',
      ],
      [
        'a zero quantity',
        (b) => ({ ...b, lines: [line({ quantity: '0.0' })] }),
        '/lines/0/quantity',
      ],
      [
        'a non-numeric quantity',
        (b) => ({ ...b, lines: [line({ quantity: 'ten' })] }),
        '/lines/0/quantity',
      ],
      [
        'a quantity as a number',
        (b) => ({ ...b, lines: [line({ quantity: 10 })] }),
        '/lines/0/quantity',
      ],
      [
        'a negative amount',
        (b) => ({ ...b, lines: [line({ amount: '-100.00' })] }),
        '/lines/0/amount',
      ],
      [
        'a non-numeric amount',
        (b) => ({ ...b, lines: [line({ amount: '12,000.00' })] }),
        '/lines/0/amount',
      ],
      [
        'an amount as a number',
        (b) => ({ ...b, lines: [line({ amount: 12000 })] }),
        '/lines/0/amount',
      ],
      [
        'an amount in exponent form',
        (b) => ({ ...b, lines: [line({ amount: '1.2e4' })] }),
        '/lines/0/amount',
      ],
      [
        'more decimals than USD has',
        (b) => ({ ...b, lines: [line(), line({ amount: '10.005' })] }),
        '/lines/1/amount',
      ],
      [
        'decimals in yen',
        (b) => ({ ...b, currency: 'JPY', lines: [line({ amount: '1250.5' })] }),
        '/lines/0/amount',
      ],
      [
        'a line number used twice',
        (b) => ({ ...b, lines: [line(), line({ number: '1' })] }),
        '/lines/1/number',
      ],
      ['no lines', (b) => ({ ...b, lines: [] }), '/lines'],
      ['lines not an array', (b) => ({ ...b, lines: line() }), '/lines'],
      [
        '1001 lines',
        (b) => ({ ...b, lines: Array.from({ length: 1001 }, () => line()) }),
        '/lines',
      ],
      [
        'a lower-case tax code',
        (b) => ({ ...b, lines: [line({ taxCode: 'sw054000' })] }),
        '/lines/0/taxCode',
      ],
      [
        'taxIncluded as a string',
        (b) => ({ ...b, lines: [line({ taxIncluded: 'yes' })] }),
        '/lines/0/taxIncluded',
      ],
      [
        'an unknown field in a line',
        (b) => ({ ...b, lines: [line({ unitPrice: '1200' })] }),
        '/lines/0/unitPrice',
      ],
      ['an unknown currency', (b) => ({ ...b, currency: 'XYZ' }), '/currency'],
      ['a lower-case currency', (b) => ({ ...b, currency: 'usd' }), '/currency'],
      ['no currency', ({ currency: _omit, ...b }) => b, '/currency'],
      ['a date that does not exist', (b) => ({ ...b, date: '2026-02-30' }), '/date'],
      ['a date with a time', (b) => ({ ...b, date: '2026-01-15T10:00:00Z' }), '/date'],
      ['no customer', ({ customerCode: _omit, ...b }) => b, '/customerCode'],
      ['a lower-case legal entity', (b) => ({ ...b, legalEntity: 'us01' }), '/legalEntity'],
      ['an exemption number with a space', (b) => ({ ...b, exemptionNo: 'EX 1' }), '/exemptionNo'],
      [
        'a lower-case VAT number',
        (b) => ({ ...b, customerVatId: 'de123456789' }),
        '/customerVatId',
      ],
      ['no addresses', ({ addresses: _omit, ...b }) => b, '/addresses'],
      [
        'no ship-to address',
        (b) => ({ ...b, addresses: { shipFrom: AUSTIN } }),
        '/addresses/shipTo',
      ],
      [
        'a US ship-to without a state',
        (b) => ({
          ...b,
          addresses: { shipFrom: AUSTIN, shipTo: { postalCode: '10001', country: 'US' } },
        }),
        '/addresses/shipTo/region',
      ],
      [
        'a US ship-to with a state that does not exist',
        (b) => ({ ...b, addresses: { shipFrom: AUSTIN, shipTo: stateAddress('ZZ', '10001') } }),
        '/addresses/shipTo/region',
      ],
      [
        'a malformed ZIP code',
        (b) => ({ ...b, addresses: { shipFrom: AUSTIN, shipTo: stateAddress('NY', '1000') } }),
        '/addresses/shipTo/postalCode',
      ],
      [
        'a US ship-from without a ZIP code',
        (b) => ({
          ...b,
          addresses: { shipFrom: { region: 'TX', country: 'US' }, shipTo: NEW_YORK },
        }),
        '/addresses/shipFrom/postalCode',
      ],
      [
        'a lower-case country',
        (b) => ({ ...b, addresses: { shipFrom: AUSTIN, shipTo: { ...NEW_YORK, country: 'us' } } }),
        '/addresses/shipTo/country',
      ],
      [
        'a country that does not exist',
        (b) => ({ ...b, addresses: { shipFrom: AUSTIN, shipTo: { country: 'XX' } } }),
        '/addresses/shipTo/country',
      ],
      [
        'a German postal code of four digits',
        (b) => ({
          ...b,
          addresses: { shipFrom: AUSTIN, shipTo: { ...BERLIN, postalCode: '1011' } },
        }),
        '/addresses/shipTo/postalCode',
      ],
      [
        'an unknown field in an address',
        (b) => ({
          ...b,
          addresses: { shipFrom: AUSTIN, shipTo: { ...NEW_YORK, county: 'New York' } },
        }),
        '/addresses/shipTo/county',
      ],
      ['an unknown field', (b) => ({ ...b, companyCode: 'US01' }), '/companyCode'],
      ['a document code (quotes have none)', (b) => ({ ...b, code: 'INV-1' }), '/code'],
    ];
    it.each(badBodies)(
      'refuses %s with 400 VALIDATION_FAILED and records nothing',
      async (_name, mutate, pointer) => {
        const before = await tax.counts();
        const res = await post(mutate(quoteBody()));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await tax.counts()).toEqual(before);
      },
    );

    it('refuses a body that is not JSON or not an object', async () => {
      const malformed = await http('POST', tax.url('quotes'), {
        token: reader,
        rawBody: '{"lines": [',
      });
      expectProblem(malformed, 400, 'MALFORMED_REQUEST');
      expectProblem(await post([quoteBody()]), 400, 'VALIDATION_FAILED');
    });

    it('needs a token with tax:read covering the legal entity', async () => {
      const before = await tax.counts();
      expectProblem(await post(quoteBody(), ''), 401, 'AUTH_TOKEN_MISSING');
      expectProblem(await post(quoteBody(), writer), 403, 'AUTH_INSUFFICIENT_SCOPE');
      const forbidden = await post(quoteBody(), de01);
      expect(expectProblem(forbidden, 403, 'TAX_LEGAL_ENTITY_FORBIDDEN').detail).toContain('US01');
      expect(await tax.counts()).toEqual(before);
      const own = await tax.quote(de01, {
        legalEntity: 'DE01',
        currency: 'EUR',
        addresses: { shipFrom: BERLIN, shipTo: BERLIN },
      });
      expect(own.totalTax).toBe('2280.00');
    });

    it('replays a quote for the same Idempotency-Key and body, and refuses the key with another body', async () => {
      const key = randomUUID();
      const first = await post(quoteBody(), reader, { 'idempotency-key': key });
      expectStatus(first, 200);
      const replay = await post(quoteBody(), reader, { 'idempotency-key': key });
      expectStatus(replay, 200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expectProblem(
        await post(quoteBody({ customerCode: 'OTHER' }), reader, { 'idempotency-key': key }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      // The key is the only thing kept: a quote itself is never recorded.
      expect(await t.sql('select state from tax.idempotency_keys where key = $1', [key])).toEqual([
        { state: 'completed' },
      ]);
      expect(await t.sql('select 1 from tax.tax_transactions')).toEqual([]);
    });
  });
});
