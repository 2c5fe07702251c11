import type {
  AmendmentResponse,
  BillingCustomerResponse,
  BillingProductResponse,
  CreditMemoResponse,
  InvoiceResponse,
  TaxTransactionResponse,
} from '@revgate/canonical';
import { taxApp } from '../../../system-tax/src/tax.app';
import { TaxConfig } from '../../../system-tax/src/tax.config';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  AUSTIN,
  BERLIN,
  Billing,
  expectStatus,
  NEW_YORK,
  SAN_FRANCISCO,
} from '../../test/billing-fixtures';

const NEW_YORK_TAX = { country: 'US', region: 'NY', name: 'New York', taxName: 'Sales tax' };

/**
 * Billing with a real tax system API: the tax app is started here, on loopback, and billing reaches
 * it over HTTP with a token from the tax app's development issuer (TAX_API_URL and the default
 * client), as `npm start` wires them.
 */
describe('invoices with the tax system API (e2e)', () => {
  let tax: TestApp<TaxConfig>;
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let taxReader: string;
  let saas: BillingProductResponse;

  beforeAll(async () => {
    tax = await startTestApp(taxApp);
    t = await startTestApp(billingApp, { TAX_API_URL: tax.url });
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    taxReader = tax.token(['tax:read']);
    saas = await billing.createProduct(rw, { name: 'Platform Pro', sku: 'PLAT-PRO' });
  });
  afterAll(async () => {
    await t.close();
    await tax.close();
  });

  const customerIn = (
    billTo: Record<string, string>,
    overrides: Record<string, unknown> = {},
  ): Promise<BillingCustomerResponse> => billing.createCustomer(rw, { billTo, ...overrides });

  const draftFor = (
    customer: BillingCustomerResponse,
    lines: Record<string, unknown>[] = [{ productId: saas.id, quantity: '1', unitAmount: '1000' }],
  ): Promise<InvoiceResponse> =>
    billing.createInvoice(rw, { customerId: customer.id, oneTimeLines: lines });

  const taxTransaction = (legalEntity: string, code: string) =>
    http<TaxTransactionResponse>('GET', `${tax.url}/tax/v1/transactions/${legalEntity}/${code}`, {
      token: taxReader,
    });

  const taxTransactions = async (): Promise<number> =>
    (await tax.sql<{ n: number }>('select count(*)::int as n from tax.tax_transactions'))[0]?.n ??
    -1;

  it('quotes a draft (recording nothing in the tax system) and commits the tax when it is finalized', async () => {
    const buyer = await customerIn(NEW_YORK);
    const recorded = await taxTransactions();
    const draft = await draftFor(buyer);
    const [charge, taxLine] = draft.lines;
    expect(draft.lines).toHaveLength(2);
    expect(charge).toMatchObject({
      type: 'one_time',
      amount: '1000.00',
      taxStatus: 'calculated',
      taxRate: '0.04',
      taxability: 'taxable',
      jurisdiction: NEW_YORK_TAX,
    });
    expect(taxLine).toMatchObject({
      type: 'tax',
      amount: '40.00',
      appliesToLineId: charge.id,
      taxRate: '0.04',
      taxability: 'taxable',
      jurisdiction: NEW_YORK_TAX,
      source: { kind: 'tax' },
      description: 'Sales tax, New York, 4% on Platform Pro',
    });
    expect(draft).toMatchObject({
      subtotal: '1000.00',
      totalTax: '40.00',
      total: '1040.00',
      tax: { status: 'estimated', notes: [] },
    });
    expect(await taxTransactions()).toBe(recorded);

    const finalized = await http<InvoiceResponse>(
      'POST',
      billing.url(`invoices/${draft.id}/finalize`),
      {
        token: rw,
        headers: { 'x-correlation-id': 'close-ny-1' },
      },
    );
    expectStatus(finalized, 200);
    expect(finalized.body).toMatchObject({
      status: 'finalized',
      totalTax: '40.00',
      total: '1040.00',
      tax: { status: 'committed', transactionCode: draft.id, notes: [] },
    });
    expect(finalized.body.lines[1]).toMatchObject({ source: { kind: 'tax', reference: draft.id } });
    const committed = await taxTransaction('US01', draft.id);
    expectStatus(committed, 200);
    expect(committed.body).toMatchObject({
      code: draft.id,
      status: 'committed',
      legalEntity: 'US01',
      customerCode: buyer.id,
      date: finalized.body.issueDate,
      currency: 'USD',
      totalAmount: '1000.00',
      totalTax: '40.00',
      addresses: {
        shipFrom: SAN_FRANCISCO,
        shipTo: NEW_YORK,
      },
      lines: [
        expect.objectContaining({
          number: charge.id,
          itemCode: 'PLAT-PRO',
          taxCode: 'SW054000',
          amount: '1000.00',
          tax: '40.00',
        }),
      ],
    });
    // The billing request's correlation id reached the tax system's event.
    const events = await tax.sql<{ correlation_id: string }>(
      'select correlation_id from tax.outbox_events where subject = $1',
      [committed.body.id],
    );
    expect(events).toEqual([{ correlation_id: 'close-ny-1' }]);

    const voided = await billing.post<InvoiceResponse>(
      rw,
      `invoices/${draft.id}/void`,
      { reason: 'Duplicate' },
      200,
    );
    expect(voided).toMatchObject({
      status: 'void',
      tax: { status: 'voided', transactionCode: draft.id },
    });
    expect((await taxTransaction('US01', draft.id)).body).toMatchObject({
      status: 'voided',
      voidReason: 'Duplicate',
    });
  });

  it.each<[string, Record<string, string>, Record<string, unknown>, string, string]>([
    ['Texas (6.25% on 80% of a SaaS charge)', AUSTIN, {}, '50.00', 'taxable'],
    ['California (SaaS is not taxed)', SAN_FRANCISCO, {}, '0.00', 'non_taxable'],
    [
      'a customer with an exemption certificate',
      NEW_YORK,
      { taxExemptionNumber: 'NY-EXEMPT-7' },
      '0.00',
      'exempt',
    ],
    [
      'a German business, reverse-charged',
      BERLIN,
      { currency: 'EUR', vatId: 'DE123456789' },
      '0.00',
      'reverse_charge',
    ],
  ])('taxes a sale to %s', async (_name, billTo, overrides, totalTax, taxability) => {
    const buyer = await customerIn(billTo, overrides);
    const draft = await draftFor(buyer);
    expect(draft.totalTax).toBe(totalTax);
    expect(draft.lines[0]).toMatchObject({ taxStatus: 'calculated', taxability });
    expect(draft.lines.filter((l) => l.type === 'tax')).toHaveLength(
      totalTax.startsWith('0.') ? 0 : 1,
    );
    if (taxability === 'exempt')
      expect(draft.tax.notes).toEqual([
        'Exempt from tax: customer exemption certificate NY-EXEMPT-7.',
      ]);
    if (taxability === 'reverse_charge')
      expect(draft.tax.notes[0]).toMatch(/^Reverse charge: .*Customer VAT ID: DE123456789\.$/);
  });

  it('taxes a line net of its discount', async () => {
    const buyer = await customerIn(NEW_YORK);
    const draft = await draftFor(buyer, [
      { productId: saas.id, quantity: '1', unitAmount: '1000', discountPercent: '10' },
    ]);
    // 1000 − 100 = 900 taxed at 4% = 36.00
    expect(draft.lines.map((l) => [l.type, l.amount])).toEqual([
      ['one_time', '1000.00'],
      ['tax', '36.00'],
      ['discount', '-100.00'],
    ]);
    expect(draft).toMatchObject({ subtotal: '900.00', totalTax: '36.00', total: '936.00' });
  });

  it('credits tax with the lines it credits, in proportion, and exactly what is left with the rest', async () => {
    const buyer = await customerIn(NEW_YORK);
    const invoice = await billing.finalize(rw, (await draftFor(buyer)).id);
    const lineId = invoice.lines[0]?.id;
    const first = await billing.post<CreditMemoResponse>(
      rw,
      `invoices/${invoice.id}/credit-memos`,
      {
        reason: 'product_unsatisfactory',
        lines: [{ invoiceLineId: lineId, amount: '333.33' }],
      },
    );
    // 40 × 333.33 / 1000 = 13.3332 → 13.33
    expect(first).toMatchObject({ subtotal: '333.33', totalTax: '13.33', total: '346.66' });
    expect(first.lines.map((l) => [l.type, l.amount, l.taxRate])).toEqual([
      ['invoice_line', '333.33', undefined],
      ['tax', '13.33', '0.04'],
    ]);
    const rest = await billing.post<CreditMemoResponse>(rw, `invoices/${invoice.id}/credit-memos`, {
      reason: 'product_unsatisfactory',
      lines: [{ invoiceLineId: lineId, amount: '666.67' }],
    });
    // What is left of the line's tax: 40.00 − 13.33 = 26.67 (not round(40 × 0.66667) = 26.67 by chance)
    expect(rest).toMatchObject({ subtotal: '666.67', totalTax: '26.67', total: '693.34' });
    expect(await billing.get<InvoiceResponse>(rw, `invoices/${invoice.id}`)).toMatchObject({
      status: 'paid',
      amountCredited: '1040.00',
      amountRemaining: '0.00',
    });
    // Each memo is a return in the tax system against the invoice's sale, with the tax it credits:
    // together they net the sale's tax to zero.
    for (const memo of [first, rest]) {
      expect(memo.tax).toEqual({ status: 'committed', transactionCode: memo.id });
      const returned = await taxTransaction('US01', memo.id);
      expectStatus(returned, 200);
      expect(returned.body).toMatchObject({
        type: 'return',
        referenceCode: invoice.id,
        status: 'committed',
        totalAmount: memo.subtotal,
        totalTax: memo.totalTax,
      });
      expect(returned.body.lines.map((l) => [l.number, l.amount, l.tax])).toEqual([
        [lineId, memo.subtotal, memo.totalTax],
      ]);
    }
  });

  it('keeps a credit memo pending when the tax system is down, and reports it on POST …/report-tax', async () => {
    const buyer = await customerIn(NEW_YORK);
    const invoice = await billing.finalize(rw, (await draftFor(buyer)).id);
    const lineId = invoice.lines[0]?.id;
    const badToken = t.token(['billing:read']);
    // An outage of the tax system for returns only: its database refuses them until the trigger goes.
    await tax.sql(`create or replace function tax.block_returns() returns trigger language plpgsql as $$
      begin
        if new.type = 'ReturnInvoice' then raise exception 'injected tax outage'; end if;
        return new;
      end $$`);
    await tax.sql(
      `create trigger block_returns before insert on tax.tax_transactions for each row execute function tax.block_returns()`,
    );
    let memo: CreditMemoResponse;
    try {
      memo = await billing.post<CreditMemoResponse>(rw, `invoices/${invoice.id}/credit-memos`, {
        reason: 'duplicate',
        lines: [{ invoiceLineId: lineId, amount: '100.00' }],
      });
      expect(memo).toMatchObject({ totalTax: '4.00', tax: { status: 'pending' } });
      expect(await billing.get<CreditMemoResponse>(rw, `credit-memos/${memo.id}`)).toMatchObject({
        tax: { status: 'pending' },
      });
      expectStatus(await taxTransaction('US01', memo.id), 404);
      expectProblem(
        await http('POST', billing.url(`credit-memos/${memo.id}/report-tax`), { token: badToken }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    } finally {
      await tax.sql(`drop trigger if exists block_returns on tax.tax_transactions`);
      await tax.sql(`drop function if exists tax.block_returns()`);
    }
    const reported = await billing.post<CreditMemoResponse>(
      rw,
      `credit-memos/${memo.id}/report-tax`,
      undefined,
      200,
    );
    expect(reported.tax).toEqual({ status: 'committed', transactionCode: memo.id });
    expect(reported.version).toBe(memo.version + 1);
    expect((await taxTransaction('US01', memo.id)).body).toMatchObject({
      type: 'return',
      totalTax: '4.00',
    });
    // Again: nothing more happens.
    const again = await billing.post<CreditMemoResponse>(
      rw,
      `credit-memos/${memo.id}/report-tax`,
      undefined,
      200,
    );
    expect(again.version).toBe(reported.version);
    expectProblem(
      await http(
        'POST',
        billing.url(`credit-memos/00000000-0000-4000-8000-000000000000/report-tax`),
        {
          token: rw,
        },
      ),
      404,
      'BILLING_CREDIT_MEMO_NOT_FOUND',
    );
  });

  it("taxes an amendment's net credit at the rate of the customer's jurisdiction", async () => {
    const buyer = await customerIn(NEW_YORK);
    const seats = await billing.createPrice(rw, { productId: saas.id, unitAmount: '100' });
    const basic = await billing.createPrice(rw, { productId: saas.id, unitAmount: '60' });
    const sub = await billing.createSubscription(rw, {
      customerId: buyer.id,
      items: [{ priceId: seats.id, quantity: '10' }],
    });
    const january = await billing.finalize(
      rw,
      (await billing.createInvoice(rw, { customerId: buyer.id, subscriptionId: sub.id })).id,
    );
    expect(january).toMatchObject({ total: '1040.00', totalTax: '40.00' });
    const downgrade = await billing.post<AmendmentResponse>(
      rw,
      `subscriptions/${sub.id}/amendments`,
      {
        type: 'downgrade',
        effectiveDate: '2026-01-16',
        itemId: sub.items[0]?.id,
        priceId: basic.id,
      },
    );
    const memo = await billing.get<CreditMemoResponse>(
      rw,
      `credit-memos/${downgrade.creditMemoId ?? ''}`,
    );
    // net credit 206.45 × 4% = 8.258 → 8.26
    expect(memo).toMatchObject({
      subtotal: '206.45',
      totalTax: '8.26',
      total: '214.71',
      appliedAmount: '214.71',
    });
    expect(await billing.get<InvoiceResponse>(rw, `invoices/${january.id}`)).toMatchObject({
      amountRemaining: '825.29',
    });
  });

  it('refuses what the tax system refuses (422 BILLING_TAX_REFUSED with its code) and writes nothing', async () => {
    const tokyo = await customerIn({
      line1: '1-1 Marunouchi',
      city: 'Tokyo',
      postalCode: '100-0005',
      country: 'JP',
    });
    const before = await billing.counts();
    const recorded = await taxTransactions();
    const res = await http('POST', billing.url('invoices'), {
      token: rw,
      body: {
        customerId: tokyo.id,
        oneTimeLines: [{ productId: saas.id, quantity: '1', unitAmount: '10' }],
      },
    });
    const problem = expectProblem(res, 422, 'BILLING_TAX_REFUSED');
    expect(problem.taxCode).toBe('TAX_JURISDICTION_UNSUPPORTED');
    expect(await billing.counts()).toEqual(before);
    expect(await taxTransactions()).toBe(recorded);
  });

  it('resumes a finalization that failed after the tax commit: the same document, one tax transaction, no second number', async () => {
    const buyer = await customerIn(NEW_YORK);
    const draft = await draftFor(buyer);
    // Fail the billing side once, after the tax system has committed: numbering the invoice raises.
    await t.sql(`create sequence if not exists billing.fail_numbering_seq`);
    await t.sql(`create or replace function billing.fail_numbering() returns trigger language plpgsql as $$
      begin
        if nextval('billing.fail_numbering_seq') = 1 then
          raise exception 'injected failure after the tax commit';
        end if;
        return new;
      end $$`);
    await t.sql(
      `create trigger fail_numbering before insert or update on billing.document_sequences for each row execute function billing.fail_numbering()`,
    );
    try {
      const first = await http('POST', billing.url(`invoices/${draft.id}/finalize`), { token: rw });
      expectProblem(first, 500, 'INTERNAL_ERROR');
    } finally {
      await t.sql(`drop trigger if exists fail_numbering on billing.document_sequences`);
      await t.sql(`drop function if exists billing.fail_numbering()`);
      await t.sql(`drop sequence if exists billing.fail_numbering_seq`);
    }
    const committed = await taxTransaction(buyer.legalEntity, draft.id);
    expectStatus(committed, 200);
    expect(await billing.get<InvoiceResponse>(rw, `invoices/${draft.id}`)).toMatchObject({
      status: 'draft',
      version: 1,
    });
    // Between the attempts the customer moves: the retry must still commit what the first
    // attempt fixed (rebuilding the document would now conflict with the recorded transaction).
    await t.sql(`update billing.customers set bill_to = $1 where id = $2`, [
      JSON.stringify(SAN_FRANCISCO),
      buyer.id,
    ]);
    const retried = await billing.post<InvoiceResponse>(
      rw,
      `invoices/${draft.id}/finalize`,
      {},
      200,
    );
    expect(retried).toMatchObject({
      status: 'finalized',
      issueDate: committed.body.date,
      tax: { status: 'committed', transactionCode: draft.id },
    });
    expect(retried.number).toMatch(/-000\d{3}$/);
    expect(retried.totalTax).toBe(committed.body.totalTax);
    const after = await taxTransaction(buyer.legalEntity, draft.id);
    expect(after.body.id).toBe(committed.body.id);
    expect(
      await tax.sql<{ n: number }>(
        'select count(*)::int as n from tax.tax_transactions where code = $1',
        [draft.id],
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      await t.sql<{ pending: unknown }>(
        'select pending_finalization as pending from billing.invoices where id = $1',
        [draft.id],
      ),
    ).toEqual([{ pending: null }]);
  });

  it('answers 503 BILLING_TAX_UNAVAILABLE with Retry-After when the tax system is down, and finalizes nothing', async () => {
    const buyer = await customerIn(NEW_YORK);
    const draft = await draftFor(buyer);
    await tax.close();
    const before = await billing.counts();
    const sequences = await t.sql(
      'select * from billing.document_sequences order by legal_entity, series, year',
    );
    const res = await http('POST', billing.url(`invoices/${draft.id}/finalize`), { token: rw });
    expectProblem(res, 503, 'BILLING_TAX_UNAVAILABLE');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await billing.counts()).toEqual(before);
    expect(await billing.get<InvoiceResponse>(rw, `invoices/${draft.id}`)).toMatchObject({
      status: 'draft',
      version: 1,
    });
    // No invoice number was taken.
    expect(
      await t.sql('select * from billing.document_sequences order by legal_entity, series, year'),
    ).toEqual(sequences);
    expectProblem(
      await http('POST', billing.url('invoices'), {
        token: rw,
        body: {
          customerId: buyer.id,
          oneTimeLines: [{ productId: saas.id, quantity: '1', unitAmount: '1' }],
        },
      }),
      503,
      'BILLING_TAX_UNAVAILABLE',
    );
    expect(await billing.counts()).toEqual(before);
  });
});
