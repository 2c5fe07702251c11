import fc from 'fast-check';
import { MoneyDecimal } from '@revgate/canonical';
import type { EventEnvelope, TaxTransactionResponse } from '@revgate/canonical';
import { taxApp } from '../tax.app';
import { TaxConfig } from '../tax.config';
import {
  expectProblem,
  http,
  JsonResponse,
  startTestApp,
  TestApp,
} from '../../../../test/support/test-app';
import {
  AUSTIN,
  BERLIN,
  expectStatus,
  line,
  NEW_YORK,
  Page,
  pointers,
  quoteBody,
  stateAddress,
  Tax,
  unique,
} from '../../test/tax-fixtures';

/*
 * Returns (credit memos): a ReturnInvoice against a committed sale, with positive amounts, taxed at
 * the sale's date or at each line's taxAmount, never crediting more than the sale charged.
 */

const NEW_MEXICO = stateAddress('NM', '87501');

describe('transactions: returns (e2e)', () => {
  let t: TestApp<TaxConfig>;
  let tax: Tax;
  let rw: string;

  beforeAll(async () => {
    t = await startTestApp(taxApp);
    tax = new Tax(t, http);
    rw = t.token(['tax:read', 'tax:write']);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown, token = rw): Promise<JsonResponse<TaxTransactionResponse>> =>
    http<TaxTransactionResponse>('POST', tax.url('transactions'), { token, body });

  const sale = (overrides: Record<string, unknown> = {}): Promise<TaxTransactionResponse> =>
    tax.commit(rw, overrides);

  /** A return of `of`: its legal entity, customer, currency and addresses, dated a month later. */
  const returnBody = (
    of: TaxTransactionResponse,
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    ...quoteBody({
      legalEntity: of.legalEntity,
      customerCode: of.customerCode,
      currency: of.currency,
      addresses: of.addresses,
      date: '2026-02-16',
    }),
    code: unique('CM'),
    type: 'return',
    referenceCode: of.code,
    ...overrides,
  });

  const voidIt = (legalEntity: string, code: string) =>
    http<TaxTransactionResponse>('POST', tax.url(`transactions/${legalEntity}/${code}/void`), {
      token: rw,
      body: {},
    });

  const eventsOf = (subject: string) =>
    t.sql<{ type: string; envelope: EventEnvelope<TaxTransactionResponse> }>(
      'select type, envelope from tax.outbox_events where subject = $1 order by occurred_at',
      [subject],
    );

  describe('POST /transactions with type=return', () => {
    it('records a return with the tax of each line exactly as taxAmount says, and emits the committed event', async () => {
      const original = await sale({
        lines: [line({ number: '10', amount: '12000.00' }), line({ number: '20', amount: '0.13' })],
      });
      expect(original).toMatchObject({ type: 'sale', totalAmount: '12000.13', totalTax: '480.01' });
      const before = await tax.counts();
      const body = returnBody(original, {
        lines: [
          // computed, this would be 40.00: the override wins, to the cent
          line({ number: '10', quantity: '1', amount: '1000.00', taxAmount: '39.99' }),
          line({ number: '20', quantity: '1', amount: '0.13', taxAmount: '0.01' }),
        ],
      });
      const res = await post(body);
      expectStatus(res, 201);
      expect(res.body).toMatchObject({
        code: body.code,
        type: 'return',
        referenceCode: original.code,
        status: 'committed',
        date: '2026-02-16',
        customerCode: original.customerCode,
        currency: 'USD',
        totalAmount: '1000.13',
        totalTax: '40.00',
        totalWithTax: '1040.13',
      });
      expect(res.body.lines.map((l) => [l.number, l.amount, l.rate, l.taxability, l.tax])).toEqual([
        ['10', '1000.00', '0.04', 'taxable', '39.99'],
        ['20', '0.13', '0.04', 'taxable', '0.01'],
      ]);
      expect(
        await t.sql(
          'select type, reference_code, total_amount, total_tax from tax.tax_transactions where id = $1',
          [res.body.id],
        ),
      ).toEqual([
        {
          type: 'ReturnInvoice',
          reference_code: original.code,
          total_amount: '1000.1300',
          total_tax: '40.0000',
        },
      ]);
      expect(await tax.counts()).toEqual({
        ...before,
        tax_transactions: before.tax_transactions + 1,
        tax_transaction_lines: before.tax_transaction_lines + 2,
        outbox_events: before.outbox_events + 1,
      });
      const events = await eventsOf(res.body.id);
      expect(events.map((e) => e.type)).toEqual(['tax.transaction.committed.v1']);
      expect(events[0]?.envelope.data).toEqual(res.body);
      const read = await http<TaxTransactionResponse>(
        'GET',
        tax.url(`transactions/US01/${String(body.code)}`),
        { token: rw },
      );
      expect(read.body).toEqual(res.body);
    });

    it('computes the tax of a line without taxAmount at the sale’s tax date, not the return’s', async () => {
      // New Mexico taxes SaaS at 5% until 2023-06-30, at 4.875% from 2023-07-01.
      const nm = { addresses: { shipFrom: AUSTIN, shipTo: NEW_MEXICO } };
      const june = await sale({ ...nm, date: '2023-06-15', lines: [line({ amount: '1000.00' })] });
      expect(june.lines[0]).toMatchObject({ rate: '0.05', tax: '50.00' });
      const august = await sale({ ...nm, date: '2023-08-01', lines: [line({ amount: '400.00' })] });
      expect(august.lines[0]).toMatchObject({ rate: '0.04875', tax: '19.50' });

      const res = await post(
        returnBody(june, { date: '2023-08-01', lines: [line({ amount: '400.00' })] }),
      );
      expectStatus(res, 201);
      expect(res.body.date).toBe('2023-08-01');
      expect(res.body.lines[0]).toMatchObject({
        rate: '0.05',
        taxability: 'taxable',
        jurisdiction: {
          country: 'US',
          region: 'NM',
          name: 'New Mexico',
          taxName: 'Gross receipts tax',
        },
        tax: '20.00',
      });
      expect(res.body.totalTax).toBe('20.00');
    });

    it('answers the same return again with the recorded one (200), even once it credits the whole sale, writing nothing', async () => {
      const original = await sale({ lines: [line({ amount: '500.00' })] });
      const body = returnBody(original, {
        lines: [line({ quantity: '10', amount: '500.00', taxAmount: '20.00' })],
      });
      const first = await post(body);
      expectStatus(first, 201);
      const before = await tax.counts();
      for (const again of [
        body,
        {
          ...body,
          lines: [line({ number: '1', quantity: '10.00', amount: '500', taxAmount: '20' })],
        },
      ]) {
        const res = await post(again);
        expectStatus(res, 200);
        expect(res.body).toEqual(first.body);
      }
      expect(await tax.counts()).toEqual(before);
      expect(await eventsOf(first.body.id)).toHaveLength(1);
    });

    it('refuses the same code with other content (409 TAX_TRANSACTION_CODE_CONFLICT), writing nothing', async () => {
      const original = await sale({ lines: [line({ amount: '500.00' })] });
      const other = await sale({ lines: [line({ amount: '500.00' })] });
      const body = returnBody(original, { lines: [line({ amount: '100.00', taxAmount: '4.00' })] });
      expectStatus(await post(body), 201);
      const before = await tax.counts();
      for (const changed of [
        { ...body, lines: [line({ amount: '100.00', taxAmount: '3.99' })] },
        { ...body, lines: [line({ amount: '100.00' })] },
        { ...body, referenceCode: other.code },
        { ...body, type: 'sale', referenceCode: undefined, lines: [line({ amount: '100.00' })] },
      ])
        expectProblem(await post(changed), 409, 'TAX_TRANSACTION_CODE_CONFLICT');
      // a sale's code reused for a return
      expectProblem(
        await post(returnBody(original, { code: other.code })),
        409,
        'TAX_TRANSACTION_CODE_CONFLICT',
      );
      expect(await tax.counts()).toEqual(before);
    });

    it('refuses a reference unknown in the legal entity (422 TAX_REFERENCE_NOT_FOUND), writing nothing', async () => {
      const german = await sale({
        legalEntity: 'DE01',
        currency: 'EUR',
        addresses: { shipFrom: BERLIN, shipTo: BERLIN },
      });
      const american = await sale();
      const before = await tax.counts();
      const unknown = await post(returnBody(american, { referenceCode: 'NO-SUCH-INVOICE' }));
      expect(expectProblem(unknown, 422, 'TAX_REFERENCE_NOT_FOUND').detail).toContain(
        'NO-SUCH-INVOICE',
      );
      expect(pointers(unknown)).toEqual(['/referenceCode']);
      // DE01's sale, returned under US01
      expectProblem(
        await post(
          returnBody(german, {
            legalEntity: 'US01',
            addresses: { shipFrom: AUSTIN, shipTo: NEW_YORK },
          }),
        ),
        422,
        'TAX_REFERENCE_NOT_FOUND',
      );
      expect(await tax.counts()).toEqual(before);
    });

    it('refuses a voided reference (409 TAX_REFERENCE_VOIDED), writing nothing', async () => {
      const original = await sale();
      expectStatus(await voidIt('US01', original.code), 200);
      const before = await tax.counts();
      const res = await post(returnBody(original));
      expect(expectProblem(res, 409, 'TAX_REFERENCE_VOIDED').detail).toContain(original.code);
      expect(await tax.counts()).toEqual(before);
    });

    it('refuses a reference that is itself a return (422 TAX_REFERENCE_NOT_SALE), writing nothing', async () => {
      const original = await sale();
      const first = await post(returnBody(original, { lines: [line({ amount: '10.00' })] }));
      expectStatus(first, 201);
      const before = await tax.counts();
      const res = await post(returnBody(first.body, { lines: [line({ amount: '1.00' })] }));
      expectProblem(res, 422, 'TAX_REFERENCE_NOT_SALE');
      expect(pointers(res)).toEqual(['/referenceCode']);
      expect(await tax.counts()).toEqual(before);
    });

    it('refuses another customer or currency than the sale’s (422 TAX_REFERENCE_MISMATCH), writing nothing', async () => {
      const original = await sale({ customerCode: 'ACME-001' });
      const before = await tax.counts();
      const customer = await post(returnBody(original, { customerCode: 'GLOBEX' }));
      expect(expectProblem(customer, 422, 'TAX_REFERENCE_MISMATCH').detail).toContain('GLOBEX');
      expect(pointers(customer)).toEqual(['/customerCode']);
      const both = await post(returnBody(original, { customerCode: 'GLOBEX', currency: 'EUR' }));
      expectProblem(both, 422, 'TAX_REFERENCE_MISMATCH');
      expect(pointers(both)).toEqual(['/customerCode', '/currency']);
      expect(await tax.counts()).toEqual(before);
    });

    it('refuses returns that together would credit more than the sale’s totalAmount or totalTax (422 TAX_RETURN_EXCEEDS_ORIGINAL), writing nothing', async () => {
      // 1000.00 at 4% in New York: 40.00 of tax
      const original = await sale({ lines: [line({ amount: '1000.00' })] });
      const before = await tax.counts();
      const tooMuch = await post(returnBody(original, { lines: [line({ amount: '1000.01' })] }));
      expect(expectProblem(tooMuch, 422, 'TAX_RETURN_EXCEEDS_ORIGINAL').detail).toContain(
        '1000.01 USD',
      );
      expect(pointers(tooMuch)).toEqual(['/lines']);
      // the amount fits, the tax does not
      expectProblem(
        await post(
          returnBody(original, { lines: [line({ amount: '500.00', taxAmount: '40.01' })] }),
        ),
        422,
        'TAX_RETURN_EXCEEDS_ORIGINAL',
      );
      expect(await tax.counts()).toEqual(before);

      // Two returns fit; a third that would go one cent beyond does not.
      const a = await post(returnBody(original, { lines: [line({ amount: '600.00' })] }));
      const b = await post(returnBody(original, { lines: [line({ amount: '399.99' })] }));
      expectStatus(a, 201);
      expectStatus(b, 201);
      expect([a.body.totalTax, b.body.totalTax]).toEqual(['24.00', '16.00']);
      const afterTwo = await tax.counts();
      const third = await post(returnBody(original, { lines: [line({ amount: '0.02' })] }));
      expect(expectProblem(third, 422, 'TAX_RETURN_EXCEEDS_ORIGINAL').detail).toContain(
        '2 earlier returns',
      );
      // tax left: 0.00, so even the last cent of amount with a computed 0.00 tax is fine
      expectStatus(await post(returnBody(original, { lines: [line({ amount: '0.01' })] })), 201);
      expect((await tax.counts()).tax_transactions).toBe(afterTwo.tax_transactions + 1);
    });

    it('credits again what a voided return had credited', async () => {
      const original = await sale({ lines: [line({ amount: '100.00' })] });
      const full = await post(returnBody(original, { lines: [line({ amount: '100.00' })] }));
      expectStatus(full, 201);
      expectProblem(
        await post(returnBody(original, { lines: [line({ amount: '100.00' })] })),
        422,
        'TAX_RETURN_EXCEEDS_ORIGINAL',
      );
      expectStatus(await voidIt('US01', full.body.code), 200);
      expectStatus(await post(returnBody(original, { lines: [line({ amount: '100.00' })] })), 201);
    });

    it('lets only one of two concurrent returns through when both together would exceed the sale', async () => {
      const original = await sale({ lines: [line({ amount: '100.00' })] });
      const before = await tax.counts();
      const results = await Promise.all(
        [0, 1].map(() => post(returnBody(original, { lines: [line({ amount: '60.00' })] }))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(await tax.counts()).toEqual({
        ...before,
        tax_transactions: before.tax_transactions + 1,
        tax_transaction_lines: before.tax_transaction_lines + 1,
        outbox_events: before.outbox_events + 1,
      });
    });

    const badBodies: [string, (r: Record<string, unknown>) => unknown, string][] = [
      [
        'taxAmount on a sale line',
        ({ type: _t, referenceCode: _r, ...sale }) => ({
          ...sale,
          lines: [line({ taxAmount: '1.00' })],
        }),
        '/lines/0/taxAmount',
      ],
      [
        'referenceCode on a sale',
        (r) => ({ ...r, type: 'sale', lines: [line()] }),
        '/referenceCode',
      ],
      [
        'referenceCode without a type',
        ({ type: _t, ...r }) => ({ ...r, lines: [line()] }),
        '/referenceCode',
      ],
      ['a return without referenceCode', ({ referenceCode: _r, ...r }) => r, '/referenceCode'],
      ['a return of itself', (r) => ({ ...r, referenceCode: r.code }), '/referenceCode'],
      ['an unknown type', (r) => ({ ...r, type: 'refund' }), '/type'],
      [
        'a negative taxAmount',
        (r) => ({ ...r, lines: [line({ taxAmount: '-1.00' })] }),
        '/lines/0/taxAmount',
      ],
      [
        'a taxAmount with more decimals than USD has',
        (r) => ({ ...r, lines: [line({ taxAmount: '1.001' })] }),
        '/lines/0/taxAmount',
      ],
      [
        'a tax-included line whose taxAmount is more than its amount',
        (r) => ({ ...r, lines: [line({ amount: '1.00', taxIncluded: true, taxAmount: '1.01' })] }),
        '/lines/0/taxAmount',
      ],
      [
        'a negative amount (returns are sent positive)',
        (r) => ({ ...r, lines: [line({ amount: '-100.00' })] }),
        '/lines/0/amount',
      ],
    ];
    it.each(badBodies)(
      'refuses %s with 400 VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const original = await sale();
        const before = await tax.counts();
        const res = await post(mutate(returnBody(original)));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await tax.counts()).toEqual(before);
      },
    );
  });

  describe('voiding sales and returns', () => {
    it('refuses to void a sale with returns not voided (409 TAX_HAS_RETURNS); once they are voided, the sale can be', async () => {
      const original = await sale();
      const r1 = await post(returnBody(original, { lines: [line({ amount: '10.00' })] }));
      const r2 = await post(returnBody(original, { lines: [line({ amount: '20.00' })] }));
      expectStatus(r1, 201);
      expectStatus(r2, 201);
      const before = await tax.counts();
      const refused = await voidIt('US01', original.code);
      const detail = String(expectProblem(refused, 409, 'TAX_HAS_RETURNS').detail);
      expect(detail).toContain(r1.body.code);
      expect(detail).toContain(r2.body.code);
      expect(await tax.counts()).toEqual(before);
      expect(
        await t.sql('select status, version from tax.tax_transactions where id = $1', [
          original.id,
        ]),
      ).toEqual([{ status: 'Committed', version: 1 }]);

      // Voiding a return is voiding a document: the voided event, once.
      const voided = await voidIt('US01', r1.body.code);
      expectStatus(voided, 200);
      expect(voided.body).toMatchObject({ type: 'return', status: 'voided', version: 2 });
      expect((await eventsOf(r1.body.id)).map((e) => e.type)).toEqual([
        'tax.transaction.committed.v1',
        'tax.transaction.voided.v1',
      ]);
      expectProblem(await voidIt('US01', original.code), 409, 'TAX_HAS_RETURNS');
      expectStatus(await voidIt('US01', r2.body.code), 200);
      const sold = await voidIt('US01', original.code);
      expectStatus(sold, 200);
      expect(sold.body.status).toBe('voided');
    });
  });

  describe('GET /transactions?type=&referenceCode=', () => {
    it('lists the returns of a sale, and sales or returns only', async () => {
      const customer = unique('RET-LIST');
      const original = await sale({ customerCode: customer });
      const r1 = await post(returnBody(original, { lines: [line({ amount: '1.00' })] }));
      const r2 = await post(returnBody(original, { lines: [line({ amount: '2.00' })] }));
      const list = async (query: string) =>
        (
          await http<Page<TaxTransactionResponse>>(
            'GET',
            `${tax.url('transactions')}?customerCode=${customer}&${query}`,
            { token: rw },
          )
        ).body.data.map((x) => x.code);
      expect(await list('type=return')).toEqual([r1.body.code, r2.body.code]);
      expect(await list('type=sale')).toEqual([original.code]);
      expect(await list(`referenceCode=${original.code}`)).toEqual([r1.body.code, r2.body.code]);
      expect(await list(`type=sale&referenceCode=${original.code}`)).toEqual([]);
      for (const [query, param] of [
        ['type=credit', 'type'],
        ['referenceCode=A%20B', 'referenceCode'],
      ]) {
        const res = await http('GET', `${tax.url('transactions')}?${query}`, { token: rw });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res).map((p) => p.replace(/^\//, ''))).toContain(param);
      }
    });
  });

  describe('properties', () => {
    const cents = (amount: string): bigint =>
      BigInt(new MoneyDecimal(amount).times(100).toFixed(0));
    const usd = (value: bigint): string => {
      const digits = value.toString().padStart(3, '0');
      return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
    };

    it('whatever the partial returns, they never credit more tax (or amount) than the sale, and each return’s totalTax is the sum of its lines’ tax', async () => {
      const saleLine = fc.record({
        amount: fc.bigInt({ min: 1n, max: 10_000_000n }),
        taxIncluded: fc.boolean(),
        taxCode: fc.constantFrom('SW054000', 'P0000000', 'NT'),
      });
      const returnLine = fc.record({
        of: fc.nat(),
        /** per mille of the sale line returned */
        share: fc.integer({ min: 1, max: 1000 }),
        /** null: computed; else the proportional tax moved by a few cents */
        taxShift: fc.option(fc.integer({ min: -3, max: 3 })),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(saleLine, { minLength: 1, maxLength: 3 }),
          fc.array(fc.array(returnLine, { minLength: 1, maxLength: 3 }), {
            minLength: 1,
            maxLength: 4,
          }),
          async (saleLines, returns) => {
            const original = await sale({
              addresses: { shipFrom: AUSTIN, shipTo: stateAddress('TX', '78701') },
              lines: saleLines.map((l) =>
                line({ amount: usd(l.amount), taxIncluded: l.taxIncluded, taxCode: l.taxCode }),
              ),
            });
            const accepted: TaxTransactionResponse[] = [];
            for (const parts of returns) {
              const lines = parts.map((p) => {
                const of = original.lines[p.of % original.lines.length];
                const amount = (cents(of.amount) * BigInt(p.share)) / 1000n;
                const tax = (cents(of.tax) * BigInt(p.share)) / 1000n;
                const shifted = p.taxShift === null ? null : tax + BigInt(p.taxShift);
                return line({
                  taxCode: of.taxCode,
                  amount: usd(amount),
                  taxIncluded: of.taxIncluded,
                  ...(shifted === null || shifted < 0n || (of.taxIncluded && shifted > amount)
                    ? {}
                    : { taxAmount: usd(shifted) }),
                });
              });
              const body = returnBody(original, {
                addresses: original.addresses,
                date: '2026-03-01',
                lines,
              });
              const before = await tax.counts();
              const res = await post(body);
              if (res.status === 422) {
                expectProblem(res, 422, 'TAX_RETURN_EXCEEDS_ORIGINAL');
                expect(await tax.counts()).toEqual(before);
                continue;
              }
              expectStatus(res, 201);
              const r = res.body;
              expect(cents(r.totalTax)).toBe(r.lines.reduce((acc, l) => acc + cents(l.tax), 0n));
              lines.forEach((sent, i) => {
                if (typeof sent.taxAmount === 'string')
                  expect(r.lines[i]?.tax).toBe(sent.taxAmount);
              });
              accepted.push(r);
            }
            const sum = (field: 'totalTax' | 'totalAmount') =>
              accepted.reduce((acc, r) => acc + cents(r[field]), 0n);
            expect(sum('totalTax') <= cents(original.totalTax)).toBe(true);
            expect(sum('totalAmount') <= cents(original.totalAmount)).toBe(true);
            const [stored] = await t.sql<{ tax: string | null }>(
              "select sum(total_tax)::text as tax from tax.tax_transactions where company_code = 'US01' and reference_code = $1 and status = 'Committed'",
              [original.code],
            );
            expect(cents(stored.tax ?? '0')).toBe(sum('totalTax'));
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
