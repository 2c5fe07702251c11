import type {
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
  BERLIN,
  Billing,
  expectStatus,
  NEW_YORK,
  pointers,
  SAN_FRANCISCO,
} from '../../test/billing-fixtures';

interface FinalizationResult {
  invoiceId: string;
  outcome: 'finalized' | 'failed';
  invoice?: InvoiceResponse;
  problem?: { status: number; code: string; detail: string; taxCode?: string };
}
interface BatchResponse {
  results: FinalizationResult[];
  finalized: number;
  failed: number;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Batch finalization with a real tax system API, reached over HTTP as `npm start` wires it. */
describe('invoices: batch finalization (e2e)', () => {
  let tax: TestApp<TaxConfig>;
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let saas: BillingProductResponse;

  beforeAll(async () => {
    tax = await startTestApp(taxApp);
    t = await startTestApp(billingApp, { TAX_API_URL: tax.url });
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    saas = await billing.createProduct(rw, { name: 'Platform Pro', sku: 'PLAT-PRO-B' });
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
    unitAmount = '1000',
  ): Promise<InvoiceResponse> =>
    billing.createInvoice(rw, {
      customerId: customer.id,
      oneTimeLines: [{ productId: saas.id, quantity: '1', unitAmount }],
    });
  const finalizeBatch = (invoiceIds: unknown[], token = rw) =>
    http<BatchResponse>('POST', billing.url('invoices/finalize-batch'), {
      token,
      body: { invoiceIds },
    });
  const lastNumber = async (legalEntity: string): Promise<number> =>
    (
      await t.sql<{ n: number | null }>(
        "select max(last_number) as n from billing.document_sequences where legal_entity = $1 and series = 'INV'",
        [legalEntity],
      )
    )[0]?.n ?? 0;
  const sequenceOf = (invoice: InvoiceResponse | undefined): number =>
    Number(invoice?.number?.split('-').at(-1));
  const taxCount = async (code: string): Promise<number> =>
    (
      await tax.sql<{ n: number }>(
        'select count(*)::int as n from tax.tax_transactions where code = $1',
        [code],
      )
    )[0].n;
  const events = async (type: string, subjects: string[]): Promise<string[]> =>
    (
      await t.sql<{ subject: string }>(
        'select subject from billing.outbox_events where type = $1 and subject = any($2) order by subject',
        [type, subjects],
      )
    ).map((r) => r.subject);

  it('finalizes every draft as POST /invoices/{id}/finalize would: numbered in order, tax committed, events written', async () => {
    const newYork = await customerIn(NEW_YORK);
    const sanFrancisco = await customerIn(SAN_FRANCISCO);
    const berlin = await customerIn(BERLIN, { currency: 'EUR', legalEntity: 'DE01' });
    const drafts = [
      await draftFor(newYork),
      await draftFor(sanFrancisco, '250'),
      await draftFor(berlin, '100'),
      await draftFor(newYork, '0'),
      await draftFor(newYork, '99.99'),
    ];
    const ids = drafts.map((d) => d.id);
    const us01Before = await lastNumber('US01');
    const res = await finalizeBatch(ids);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ finalized: 5, failed: 0 });
    expect(res.body.results.map((r) => [r.invoiceId, r.outcome])).toEqual(
      ids.map((id) => [id, 'finalized']),
    );
    const invoices = res.body.results.map((r) => r.invoice);
    expect(invoices.map((i) => [i?.status, i?.total, i?.totalTax, i?.tax.status])).toEqual([
      ['finalized', '1040.00', '40.00', 'committed'],
      ['finalized', '250.00', '0.00', 'committed'],
      ['finalized', '119.00', '19.00', 'committed'],
      ['paid', '0.00', '0.00', 'committed'],
      ['finalized', '103.99', '4.00', 'committed'],
    ]);
    // US01's four are numbered consecutively in the order sent; DE01 has its own series.
    const us01 = [0, 1, 3, 4].map((i) => sequenceOf(invoices[i]));
    expect(us01).toEqual([1, 2, 3, 4].map((k) => us01Before + k));
    expect(await lastNumber('US01')).toBe(us01Before + 4);
    expect(invoices[2]?.number).toMatch(/^DE01-\d{4}-\d{6}$/);
    for (const invoice of invoices) {
      if (!invoice) throw new Error('no invoice');
      expect(await billing.get<InvoiceResponse>(rw, `invoices/${invoice.id}`)).toEqual(invoice);
      expect(invoice.dueDate).toBeDefined();
    }
    // One tax transaction each, under the invoice id (the zero invoice's records a zero sale).
    expect(await Promise.all(ids.map(taxCount))).toEqual([1, 1, 1, 1, 1]);
    const taxed = await http<TaxTransactionResponse>(
      'GET',
      `${tax.url}/tax/v1/transactions/US01/${ids[0]}`,
      { token: tax.token(['tax:read']) },
    );
    expect(taxed.body).toMatchObject({ totalTax: '40.00', date: invoices[0]?.issueDate });
    expect(await events('billing.invoice.finalized.v1', ids)).toEqual([...ids].sort());
    expect(await events('billing.invoice.paid.v1', ids)).toEqual([ids[3]]);
  });

  it('fails a draft alone (unknown, not a draft, another legal entity, tax refused) and finalizes the rest', async () => {
    const buyer = await customerIn(NEW_YORK);
    const good = await draftFor(buyer);
    const already = await draftFor(buyer);
    await billing.finalize(rw, already.id);
    const refused = await draftFor(buyer);
    // The tax system holds other content under the draft's code: it refuses the commit.
    const taxRw = tax.token(['tax:write']);
    expectStatus(
      await http('POST', `${tax.url}/tax/v1/transactions`, {
        token: taxRw,
        body: {
          code: refused.id,
          legalEntity: 'US01',
          customerCode: 'SOMEONE-ELSE',
          date: '2026-01-15',
          currency: 'USD',
          addresses: { shipFrom: SAN_FRANCISCO, shipTo: NEW_YORK },
          lines: [{ taxCode: 'SW054000', quantity: '1', amount: '1.00' }],
        },
      }),
      201,
    );
    const german = await draftFor(
      await customerIn(BERLIN, { currency: 'EUR', legalEntity: 'DE01' }),
    );
    const us01Only = t.token(['billing:write'], { legalEntities: ['US01'] });
    const numberBefore = await lastNumber('US01');
    const res = await finalizeBatch(
      [MISSING, good.id, already.id, refused.id, german.id],
      us01Only,
    );
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ finalized: 1, failed: 4 });
    expect(res.body.results.map((r) => [r.outcome, r.problem?.status, r.problem?.code])).toEqual([
      ['failed', 404, 'BILLING_INVOICE_NOT_FOUND'],
      ['finalized', undefined, undefined],
      ['failed', 409, 'BILLING_INVOICE_NOT_DRAFT'],
      ['failed', 422, 'BILLING_TAX_REFUSED'],
      ['failed', 404, 'BILLING_INVOICE_NOT_FOUND'],
    ]);
    expect(res.body.results[3].problem?.detail).toMatch(/TAX_TRANSACTION_CODE_CONFLICT/);
    // Only the one finalized took a number; the failed drafts are still drafts.
    expect(await lastNumber('US01')).toBe(numberBefore + 1);
    for (const id of [refused.id, german.id])
      expect((await billing.get<InvoiceResponse>(rw, `invoices/${id}`)).status).toBe('draft');
    expect(await events('billing.invoice.finalized.v1', [refused.id, german.id])).toEqual([]);
  });

  it("applies the customer's unapplied credit to its invoice, as a single finalization does", async () => {
    const seats = await billing.createPrice(rw, { productId: saas.id, unitAmount: '100' });
    // California does not tax SaaS: the credit is the proration alone, as in the amendments spec.
    const own = await customerIn(SAN_FRANCISCO);
    const sub = await billing.createSubscription(rw, {
      customerId: own.id,
      items: [{ priceId: seats.id, quantity: '10' }],
    });
    const draft = await billing.createInvoice(rw, { customerId: own.id, subscriptionId: sub.id });
    const amended = await http<{ creditMemoId?: string; total: string }>(
      'POST',
      billing.url(`subscriptions/${sub.id}/amendments`),
      {
        token: rw,
        body: {
          type: 'quantity_change',
          effectiveDate: '2026-01-21',
          itemId: sub.items[0]?.id,
          quantity: '4',
        },
      },
    );
    expectStatus(amended, 201);
    const other = await draftFor(await customerIn(SAN_FRANCISCO));
    const res = await finalizeBatch([other.id, draft.id]);
    expectStatus(res, 200);
    const credited = res.body.results[1].invoice;
    expect(credited).toMatchObject({ amountCredited: '212.90' });
    expect(res.body.results[0].invoice).toMatchObject({ amountCredited: '0.00' });
    const memo = await billing.get<CreditMemoResponse>(
      rw,
      `credit-memos/${amended.body.creditMemoId ?? ''}`,
    );
    expect(memo.applications).toEqual([
      expect.objectContaining({ invoiceId: draft.id, amount: '212.90' }),
    ]);
  });

  it('finalizes each draft once and numbers gap-free when overlapping batches run at once', async () => {
    const buyer = await customerIn(SAN_FRANCISCO);
    const drafts = await Promise.all(Array.from({ length: 12 }, () => draftFor(buyer, '10')));
    const ids = drafts.map((d) => d.id);
    const before = await lastNumber('US01');
    const [a, b, c] = await Promise.all([
      finalizeBatch(ids.slice(0, 8)),
      finalizeBatch(ids.slice(4)),
      finalizeBatch([...ids].reverse()),
    ]);
    for (const res of [a, b, c]) expectStatus(res, 200);
    const wins = [a, b, c].flatMap((res) =>
      res.body.results.filter((r) => r.outcome === 'finalized').map((r) => r.invoiceId),
    );
    expect([...wins].sort()).toEqual([...ids].sort());
    const losses = [a, b, c].flatMap((res) =>
      res.body.results.filter((r) => r.outcome === 'failed').map((r) => r.problem?.code),
    );
    expect(losses.every((code) => code === 'BILLING_INVOICE_NOT_DRAFT')).toBe(true);
    expect(await lastNumber('US01')).toBe(before + 12);
    const numbers = (
      await Promise.all(ids.map((id) => billing.get<InvoiceResponse>(rw, `invoices/${id}`)))
    ).map(sequenceOf);
    expect([...numbers].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 12 }, (_, i) => before + 1 + i),
    );
    expect(await Promise.all(ids.map(taxCount))).toEqual(ids.map(() => 1));
  });

  it('resumes after a failure past the tax commit: every draft finalized once, one tax transaction each', async () => {
    const buyer = await customerIn(NEW_YORK);
    const drafts = [await draftFor(buyer), await draftFor(buyer, '20')];
    const ids = drafts.map((d) => d.id);
    await t.sql(`create or replace function billing.fail_batch_numbering() returns trigger language plpgsql as $$
      begin raise exception 'injected failure after the tax commit'; end $$`);
    await t.sql(
      `create trigger fail_batch_numbering before insert or update on billing.document_sequences for each row execute function billing.fail_batch_numbering()`,
    );
    try {
      expectProblem(await finalizeBatch(ids), 500, 'INTERNAL_ERROR');
    } finally {
      await t.sql(`drop trigger if exists fail_batch_numbering on billing.document_sequences`);
      await t.sql(`drop function if exists billing.fail_batch_numbering()`);
    }
    expect(await Promise.all(ids.map(taxCount))).toEqual([1, 1]);
    for (const id of ids)
      expect(await billing.get<InvoiceResponse>(rw, `invoices/${id}`)).toMatchObject({
        status: 'draft',
        version: 1,
      });
    const retried = await finalizeBatch(ids);
    expectStatus(retried, 200);
    expect(retried.body).toMatchObject({ finalized: 2, failed: 0 });
    expect(await Promise.all(ids.map(taxCount))).toEqual([1, 1]);
  });

  describe('refuses the whole request, changing nothing', () => {
    const cases: [string, () => unknown[], string[]][] = [
      ['no draft', () => [], ['/invoiceIds']],
      ['an id that is not a UUID', () => ['not-a-uuid'], ['/invoiceIds']],
      ['an id twice', () => [MISSING, MISSING], ['/invoiceIds']],
      [
        'more than 500 drafts',
        () =>
          Array.from({ length: 501 }, (_, i) =>
            MISSING.replace(/0{12}$/, String(i).padStart(12, '0')),
          ),
        ['/invoiceIds'],
      ],
    ];
    it.each(cases)('%s (400)', async (_name, ids, expected) => {
      const before = await billing.counts();
      const res = await finalizeBatch(ids());
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toEqual(expect.arrayContaining(expected));
      expect(await billing.counts()).toEqual(before);
    });

    it('an unknown field (400)', async () => {
      const res = await http('POST', billing.url('invoices/finalize-batch'), {
        token: rw,
        body: { invoiceIds: [MISSING], force: true },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res)).toContain('/force');
    });

    it('a token without billing:write (403)', async () => {
      const draft = await draftFor(await customerIn(NEW_YORK));
      const res = await finalizeBatch([draft.id], t.token(['billing:read']));
      expectStatus(res, 403);
      expect((await billing.get<InvoiceResponse>(rw, `invoices/${draft.id}`)).status).toBe('draft');
    });

    it('the tax system down (503 with Retry-After): every draft stays a draft, no number taken', async () => {
      const buyer = await customerIn(NEW_YORK);
      const drafts = [await draftFor(buyer), await draftFor(buyer)];
      const numberBefore = await lastNumber('US01');
      // The tax system refuses to record anything while the trigger is there.
      await tax.sql(`create or replace function tax.block_all() returns trigger language plpgsql as $$
        begin raise exception 'injected tax outage'; end $$`);
      await tax.sql(
        `create trigger block_all before insert on tax.tax_transactions for each row execute function tax.block_all()`,
      );
      try {
        const res = await finalizeBatch(drafts.map((d) => d.id));
        expectProblem(res, 503, 'BILLING_TAX_UNAVAILABLE');
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await tax.sql(`drop trigger if exists block_all on tax.tax_transactions`);
        await tax.sql(`drop function if exists tax.block_all()`);
      }
      expect(await lastNumber('US01')).toBe(numberBefore);
      for (const d of drafts)
        expect((await billing.get<InvoiceResponse>(rw, `invoices/${d.id}`)).status).toBe('draft');
      // Once the tax system is back, the same request finalizes them.
      const retried = await finalizeBatch(drafts.map((d) => d.id));
      expect(retried.body).toMatchObject({ finalized: 2, failed: 0 });
    });
  });
});
