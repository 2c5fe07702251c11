import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  invoiceBody,
  pointers,
  unique,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { InvoiceResponse } from '../invoices/dto/invoice.dto';
import type { PaymentResponse } from './dto/payment.dto';

describe('payments (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let rw: string;
  let reader: string;
  let customer: string;
  let item: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp);
    erp = new Erp(t.url, http);
    rw = t.token(['erp:read', 'erp:write']);
    reader = t.token(['erp:read']);
    await erp.setUpEntity(rw, 'US01');
    await erp.ok('PUT', 'accounts/US01/1010', rw, { name: 'Lockbox', type: 'cash' });
    customer = (await erp.upsertCustomer(rw, 'US01')).externalId;
    item = await erp.upsertItem(rw, 'US01');
  });
  afterAll(async () => {
    await t.close();
  });

  const invoice = async (amount = '100.00'): Promise<InvoiceResponse> => {
    const res = await erp.postInvoice(
      rw,
      invoiceBody('US01', customer, item, { lines: [{ itemCode: item, quantity: '1', amount }] }),
    );
    expectStatus(res, 201);
    return res.body;
  };
  const payment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    legalEntity: 'US01',
    externalId: unique('PAY'),
    customerExternalId: customer,
    date: '2026-02-10',
    currency: 'USD',
    amount: '100.00',
    applications: [],
    ...overrides,
  });

  it('posts a payment into a named cash account, applies it across invoices and answers what it posted', async () => {
    const [a, b] = [await invoice('60.00'), await invoice('70.00')];
    const body = payment({
      amount: '150.00',
      cashAccount: '1010',
      memo: 'Wire',
      applications: [
        { invoiceExternalId: a.externalId, amount: '60.00' },
        { invoiceExternalId: b.externalId, amount: '30' },
      ],
    });
    const res = await erp.postPayment(rw, body);
    expectStatus(res, 201);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^PAY-US01-\d{6}$/) as unknown,
      externalId: body.externalId,
      period: '2026-02',
      amount: '150.00',
      cashAccount: '1010',
      memo: 'Wire',
      applications: [
        { invoiceExternalId: a.externalId, amount: '60.00' },
        { invoiceExternalId: b.externalId, amount: '30.00' },
      ],
      appliedAmount: '90.00',
      unappliedAmount: '60.00',
      ledger: [
        { accountCode: '1010', debit: '150.00', credit: '0' },
        {
          accountCode: CHART.receivable.code,
          debit: '0',
          credit: '150.00',
          customerExternalId: customer,
        },
      ],
    });
    expect(await erp.ok('GET', `payments/US01/${String(body.externalId)}`, reader)).toEqual(
      res.body,
    );
    expect(
      await erp.ok<InvoiceResponse>('GET', `invoices/US01/${a.externalId}`, reader),
    ).toMatchObject({ paymentStatus: 'paid', amountPaid: '60.00' });
    expect(
      await erp.ok<InvoiceResponse>('GET', `invoices/US01/${b.externalId}`, reader),
    ).toMatchObject({ paymentStatus: 'partially_paid', amountDue: '40.00' });
    const listed = await erp.ok<{ data: PaymentResponse[] }>(
      'GET',
      `payments?customerExternalId=${customer}&period=2026-02`,
      reader,
    );
    expect(listed.data.map((p) => p.externalId)).toContain(body.externalId);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a cash account not in the chart',
      { cashAccount: '1099' },
      'ERP_ACCOUNT_UNKNOWN',
      '/cashAccount',
    ],
    [
      'a cash account that is not cash',
      { cashAccount: CHART.revenue.code },
      'ERP_ACCOUNT_TYPE_MISMATCH',
      '/cashAccount',
    ],
    ['a period that is not defined', { date: '2031-01-01' }, 'ERP_PERIOD_UNKNOWN', '/date'],
  ])('refuses %s with 422 and writes nothing', async (_name, change, code, pointer) => {
    const counts = await erpCounts(t);
    const res = await erp.postPayment(rw, payment(change));
    expectProblem(res, 422, code);
    expect(pointers(res)).toEqual([pointer]);
    expect(await erpCounts(t)).toEqual(counts);
  });

  it('refuses an invoice of another customer or currency, and leaves the invoice as it was', async () => {
    const inv = await invoice();
    const other = (await erp.upsertCustomer(rw, 'US01')).externalId;
    const counts = await erpCounts(t);
    expectProblem(
      await erp.postPayment(
        rw,
        payment({
          customerExternalId: other,
          applications: [{ invoiceExternalId: inv.externalId, amount: '1.00' }],
        }),
      ),
      422,
      'ERP_INVOICE_MISMATCH',
    );
    expectProblem(
      await erp.postPayment(
        rw,
        payment({
          currency: 'EUR',
          applications: [{ invoiceExternalId: inv.externalId, amount: '1.00' }],
        }),
      ),
      422,
      'ERP_INVOICE_MISMATCH',
    );
    expect(await erpCounts(t)).toEqual(counts);
    expect(await erp.ok('GET', `invoices/US01/${inv.externalId}`, reader)).toEqual(inv);
  });

  const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
    [
      'applications over the amount',
      (b) => ({
        ...b,
        applications: [
          { invoiceExternalId: 'A', amount: '60.00' },
          { invoiceExternalId: 'B', amount: '40.01' },
        ],
      }),
      '/applications',
    ],
    [
      'one invoice twice',
      (b) => ({
        ...b,
        applications: [
          { invoiceExternalId: 'A', amount: '1.00' },
          { invoiceExternalId: 'A', amount: '1.00' },
        ],
      }),
      '/applications/1/invoiceExternalId',
    ],
    ['more decimals than the currency', (b) => ({ ...b, amount: '100.001' }), '/amount'],
    ['a negative amount', (b) => ({ ...b, amount: '-100.00' }), '/amount'],
    ['no applications', ({ applications: _a, ...b }) => b, '/applications'],
    [
      'an application without an invoice',
      (b) => ({ ...b, applications: [{ amount: '1.00' }] }),
      '/applications/0/invoiceExternalId',
    ],
    ['an unknown field', (b) => ({ ...b, method: 'card' }), '/method'],
  ];
  it.each(badBodies)(
    'rejects %s with VALIDATION_FAILED and writes nothing',
    async (_name, mutate, pointer) => {
      await expectRefusedUnwritten(
        t,
        () => erp.postPayment(rw, mutate(payment())),
        400,
        'VALIDATION_FAILED',
        pointer,
      );
    },
  );

  it('never applies more than is due when payments race for one invoice', async () => {
    const inv = await invoice('100.00');
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        erp.postPayment(
          rw,
          payment({
            amount: '40.00',
            applications: [{ invoiceExternalId: inv.externalId, amount: '40.00' }],
          }),
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422]);
    expect(
      await erp.ok<InvoiceResponse>('GET', `invoices/US01/${inv.externalId}`, reader),
    ).toMatchObject({ amountPaid: '80.00', amountDue: '20.00' });
  });

  it('answers 404 for a payment not posted, and for entities the caller does not see', async () => {
    expectProblem(
      await erp.request('GET', 'payments/US01/NOPE', reader),
      404,
      'ERP_PAYMENT_NOT_FOUND',
    );
    const de = t.token(['erp:read', 'erp:write'], { legalEntities: ['DE01'] });
    expectProblem(
      await erp.request('GET', 'payments/US01/NOPE', de),
      404,
      'ERP_LEGAL_ENTITY_NOT_FOUND',
    );
    expectProblem(await erp.postPayment(de, payment()), 403, 'ERP_LEGAL_ENTITY_FORBIDDEN');
  });
});
