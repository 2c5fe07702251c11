import { erpApp } from '../erp.app';
import { ErpConfig } from '../erp.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  CHART,
  Erp,
  erpCounts,
  expectStatus,
  invoiceBody,
  ISO_INSTANT,
  legalEntityBody,
  pointers,
  unique,
  UUID,
  walkPages,
  expectRefusedUnwritten,
} from '../../test/erp-fixtures';
import type { CreditMemoResponse } from '../credit-memos/dto/credit-memo.dto';
import type { InvoiceResponse } from './dto/invoice.dto';

describe('invoices and credit memos (e2e)', () => {
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
    customer = (await erp.upsertCustomer(rw, 'US01', 'ACME-001')).externalId;
    item = await erp.upsertItem(rw, 'US01', 'PLATFORM');
  });
  afterAll(async () => {
    await t.close();
  });

  const body = (overrides: Record<string, unknown> = {}) =>
    invoiceBody('US01', customer, item, overrides);

  /** Every move of the schema balances, line by line and in total (the ledger's own invariant). */
  const unbalancedMoves = () =>
    t.sql(
      `select m.id from erp.moves m join erp.move_lines l on l.move_id = m.id
        group by m.id, m.total_debit, m.total_credit
       having sum(l.debit) <> sum(l.credit) or sum(l.debit) <> m.total_debit`,
    );

  describe('POST /invoices', () => {
    it('posts an invoice and answers exactly what it posted, with its balanced entry', async () => {
      const externalId = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10';
      const res = await erp.postInvoice(
        rw,
        body({
          externalId,
          reference: 'US01-2026-000001',
          dueDate: '2026-02-14',
          memo: 'January 2026',
          lines: [
            {
              itemCode: item,
              description: 'Platform, 2026',
              quantity: '10',
              amount: '12000.00',
              taxAmount: '480.00',
              taxCode: 'SW054000',
              servicePeriod: { start: '2026-01-01', end: '2027-01-01' },
            },
            { itemCode: item, quantity: '1', amount: '99.99' },
          ],
        }),
      );
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        number: expect.stringMatching(/^INV-US01-\d{6}$/) as unknown,
        externalId,
        reference: 'US01-2026-000001',
        legalEntity: 'US01',
        customerExternalId: customer,
        date: '2026-01-15',
        dueDate: '2026-02-14',
        period: '2026-01',
        currency: 'USD',
        memo: 'January 2026',
        status: 'posted',
        lines: [
          {
            itemCode: item,
            description: 'Platform, 2026',
            quantity: '10',
            amount: '12000.00',
            taxAmount: '480.00',
            taxCode: 'SW054000',
            servicePeriod: { start: '2026-01-01', end: '2027-01-01' },
            accountCode: CHART.deferredRevenue.code,
            deferred: true,
          },
          {
            itemCode: item,
            quantity: '1',
            amount: '99.99',
            taxAmount: '0.00',
            accountCode: CHART.revenue.code,
            deferred: false,
          },
        ],
        subtotal: '12099.99',
        taxTotal: '480.00',
        total: '12579.99',
        amountCredited: '0.00',
        amountPaid: '0.00',
        amountDue: '12579.99',
        paymentStatus: 'unpaid',
        ledger: [
          { accountCode: '1200', debit: '12579.99', credit: '0', customerExternalId: customer },
          { accountCode: '2400', debit: '0', credit: '12000.00' },
          { accountCode: '4000', debit: '0', credit: '99.99' },
          { accountCode: '2200', debit: '0', credit: '480.00' },
        ],
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(res.headers.get('location')).toBe(`invoices/US01/${externalId}`);
      expect(
        await t.sql(
          `select m.source, m.period, m.total_debit, m.total_credit from erp.moves m
             join erp.ar_documents d on d.move_id = m.id where d.external_id = $1`,
          [externalId],
        ),
      ).toEqual([
        {
          source: 'invoice',
          period: '2026-01',
          total_debit: '12579.9900',
          total_credit: '12579.9900',
        },
      ]);
      expect(await unbalancedMoves()).toEqual([]);
    });

    it('posts a retried invoice once when the retries race', async () => {
      const same = body();
      const results = await Promise.all(Array.from({ length: 6 }, () => erp.postInvoice(rw, same)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(
        await t.sql('select count(*)::int as n from erp.moves where external_id = $1', [
          same.externalId,
        ]),
      ).toEqual([{ n: 1 }]);
    });

    it('replays an Idempotency-Key with the first response, and refuses it for another body', async () => {
      const key = unique('key');
      const b = body();
      const first = await erp.request<InvoiceResponse>('POST', 'invoices', rw, b, {
        'idempotency-key': key,
      });
      expectStatus(first, 201);
      const replay = await erp.request<InvoiceResponse>('POST', 'invoices', rw, b, {
        'idempotency-key': key,
      });
      expectStatus(replay, 201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      const counts = await erpCounts(t);
      expectProblem(
        await erp.request('POST', 'invoices', rw, body(), { 'idempotency-key': key }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await erpCounts(t)).toEqual(counts);
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['no lines', (b) => ({ ...b, lines: [] }), '/lines'],
      [
        'an amount as a number',
        (b) => ({ ...b, lines: [{ itemCode: item, quantity: '1', amount: 10 }] }),
        '/lines/0/amount',
      ],
      [
        'more decimals than the currency',
        (b) => ({ ...b, lines: [{ itemCode: item, quantity: '1', amount: '10.005' }] }),
        '/lines/0/amount',
      ],
      [
        'a total of zero',
        (b) => ({ ...b, lines: [{ itemCode: item, quantity: '1', amount: '0.00' }] }),
        '/lines',
      ],
      ['a due date before the date', (b) => ({ ...b, dueDate: '2026-01-14' }), '/dueDate'],
      [
        'a service period backwards',
        (b) => ({
          ...b,
          lines: [
            {
              itemCode: item,
              quantity: '1',
              amount: '1.00',
              servicePeriod: { start: '2026-02-01', end: '2026-01-01' },
            },
          ],
        }),
        '/lines/0/servicePeriod/end',
      ],
      ['a date that does not exist', (b) => ({ ...b, date: '2026-02-29' }), '/date'],
      ['no customer', ({ customerExternalId: _c, ...b }) => b, '/customerExternalId'],
      ['no external id', ({ externalId: _e, ...b }) => b, '/externalId'],
      ['an unknown field', (b) => ({ ...b, total: '1080.00' }), '/total'],
      ['a legal entity in lower case', (b) => ({ ...b, legalEntity: 'us01' }), '/legalEntity'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        await expectRefusedUnwritten(
          t,
          () => erp.postInvoice(rw, mutate(body())),
          400,
          'VALIDATION_FAILED',
          pointer,
        );
      },
    );

    it('refuses an entity the ERP does not have, and one without default accounts, and writes nothing', async () => {
      const counts = await erpCounts(t);
      const unknown = await erp.postInvoice(rw, body({ legalEntity: 'ZZ99' }));
      expectProblem(unknown, 422, 'ERP_LEGAL_ENTITY_UNKNOWN');
      expect(pointers(unknown)).toEqual(['/legalEntity']);
      expect(await erpCounts(t)).toEqual(counts);

      await erp.ok(
        'PUT',
        'legal-entities/CA01',
        rw,
        legalEntityBody({
          name: 'Revgate Canada',
          functionalCurrency: 'CAD',
          allowedCurrencies: ['CAD'],
          country: 'CA',
          taxRegistration: { scheme: 'GST', number: '123456789RT0001', country: 'CA' },
        }),
      );
      await erp.ok('PUT', 'periods/CA01/2026-01', rw);
      await erp.ok('PUT', 'accounts/CA01/4000', rw, { name: 'Revenue', type: 'revenue' });
      await erp.ok('PUT', 'items/CA01/PLATFORM', rw, { name: 'Platform', revenueAccount: '4000' });
      await erp.upsertCustomer(rw, 'CA01', 'MAPLE');
      const before = await erpCounts(t);
      expectProblem(
        await erp.postInvoice(rw, invoiceBody('CA01', 'MAPLE', 'PLATFORM', { currency: 'CAD' })),
        422,
        'ERP_DEFAULT_ACCOUNT_MISSING',
      );
      expectProblem(
        await erp.postInvoice(
          rw,
          invoiceBody('CA01', 'MAPLE', 'PLATFORM', {
            currency: 'CAD',
            lines: [
              {
                itemCode: 'PLATFORM',
                quantity: '1',
                amount: '10.00',
                servicePeriod: { start: '2026-01-01', end: '2026-12-01' },
              },
            ],
          }),
        ),
        422,
        'ERP_DEFAULT_ACCOUNT_MISSING',
      );
      expect(await erpCounts(t)).toEqual(before);
    });

    it('names every unknown item', async () => {
      const res = await erp.postInvoice(
        rw,
        body({
          lines: [
            { itemCode: 'NOPE-1', quantity: '1', amount: '1.00' },
            { itemCode: item, quantity: '1', amount: '1.00' },
            { itemCode: 'NOPE-2', quantity: '1', amount: '1.00' },
          ],
        }),
      );
      expectProblem(res, 422, 'ERP_ITEM_UNKNOWN');
      expect(pointers(res)).toEqual(['/lines/0/itemCode', '/lines/2/itemCode']);
    });

    it('needs erp:write', async () => {
      expectProblem(await erp.postInvoice(reader, body()), 403, 'AUTH_INSUFFICIENT_SCOPE');
    });
  });

  describe('GET /invoices and POST /credit-memos', () => {
    it('lists invoices by customer, period and payment status, and settles them with credit memos', async () => {
      const other = (await erp.upsertCustomer(rw, 'US01')).externalId;
      const a = (
        await erp.postInvoice(rw, invoiceBody('US01', other, item, { date: '2026-02-03' }))
      ).body;
      const b = (
        await erp.postInvoice(rw, invoiceBody('US01', other, item, { date: '2026-02-04' }))
      ).body;
      const memo = await erp.postCreditMemo(rw, {
        ...invoiceBody('US01', other, item, { date: '2026-02-05', externalId: unique('CM') }),
        lines: [{ itemCode: item, quantity: '10', amount: '1000.00', taxAmount: '80.00' }],
        invoiceExternalId: a.externalId,
      });
      expectStatus(memo, 201);
      expect(memo.body).toMatchObject({
        number: expect.stringMatching(/^CM-US01-\d{6}$/) as unknown,
        invoiceExternalId: a.externalId,
        total: '1080.00',
        ledger: [
          { accountCode: '1200', debit: '0', credit: '1080.00', customerExternalId: other },
          { accountCode: '4000', debit: '1000.00', credit: '0' },
          { accountCode: '2200', debit: '80.00', credit: '0' },
        ],
      });
      expect(memo.headers.get('location')).toBe(`credit-memos/US01/${memo.body.externalId}`);
      const settled = await erp.ok<InvoiceResponse>('GET', `invoices/US01/${a.externalId}`, reader);
      expect(settled).toMatchObject({
        amountCredited: '1080.00',
        amountDue: '0.00',
        paymentStatus: 'paid',
        version: 2,
      });
      const { items } = await walkPages<InvoiceResponse>(http, reader, erp.url('invoices'), {
        customerExternalId: other,
        limit: '1',
      });
      expect(items.map((i) => i.externalId).sort()).toEqual([a.externalId, b.externalId].sort());
      const paid = await erp.ok<{ data: InvoiceResponse[] }>(
        'GET',
        `invoices?customerExternalId=${other}&paymentStatus=paid`,
        reader,
      );
      expect(paid.data.map((i) => i.externalId)).toEqual([a.externalId]);
      const unpaid = await erp.ok<{ data: InvoiceResponse[] }>(
        'GET',
        `invoices?customerExternalId=${other}&paymentStatus=unpaid&period=2026-02`,
        reader,
      );
      expect(unpaid.data.map((i) => i.externalId)).toEqual([b.externalId]);
      const memos = await erp.ok<{ data: CreditMemoResponse[] }>(
        'GET',
        `credit-memos?customerExternalId=${other}`,
        reader,
      );
      expect(memos.data).toEqual([memo.body]);
      expect(await erp.ok('GET', `credit-memos/US01/${memo.body.externalId}`, reader)).toEqual(
        memo.body,
      );
    });

    it('answers 404 for what is not posted and for entities the caller does not see, 400 for bad filters', async () => {
      expectProblem(
        await erp.request('GET', 'invoices/US01/NOPE', reader),
        404,
        'ERP_INVOICE_NOT_FOUND',
      );
      expectProblem(
        await erp.request('GET', 'credit-memos/US01/NOPE', reader),
        404,
        'ERP_CREDIT_MEMO_NOT_FOUND',
      );
      const de = t.token(['erp:read'], { legalEntities: ['DE01'] });
      expectProblem(
        await erp.request('GET', 'invoices/US01/NOPE', de),
        404,
        'ERP_LEGAL_ENTITY_NOT_FOUND',
      );
      expect((await erp.ok<{ data: unknown[] }>('GET', 'invoices', de)).data).toEqual([]);
      expectProblem(
        await erp.request('GET', 'invoices?paymentStatus=overdue', reader),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await erp.request('GET', 'invoices?period=2026-1', reader),
        400,
        'VALIDATION_FAILED',
      );
    });

    const memoBadBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['no invoice', ({ invoiceExternalId: _i, ...b }) => b, '/invoiceExternalId'],
      [
        'a malformed invoice id',
        (b) => ({ ...b, invoiceExternalId: 'INV 1' }),
        '/invoiceExternalId',
      ],
      [
        'a negative tax',
        (b) => ({
          ...b,
          lines: [{ itemCode: item, quantity: '1', amount: '1.00', taxAmount: '-1.00' }],
        }),
        '/lines/0/taxAmount',
      ],
    ];
    it.each(memoBadBodies)(
      'rejects a credit memo with %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        await expectRefusedUnwritten(
          t,
          () => erp.postCreditMemo(rw, mutate({ ...body(), invoiceExternalId: 'INV-1' })),
          400,
          'VALIDATION_FAILED',
          pointer,
        );
      },
    );

    it('never credits more than is due when memos race', async () => {
      const inv = (
        await erp.postInvoice(
          rw,
          body({ lines: [{ itemCode: item, quantity: '1', amount: '100.00' }] }),
        )
      ).body;
      const memos = await Promise.all(
        Array.from({ length: 5 }, () =>
          erp.postCreditMemo(rw, {
            ...body({
              externalId: unique('CM'),
              lines: [{ itemCode: item, quantity: '1', amount: '30.00' }],
            }),
            invoiceExternalId: inv.externalId,
          }),
        ),
      );
      expect(memos.map((m) => m.status).sort()).toEqual([201, 201, 201, 422, 422]);
      const after = await erp.ok<InvoiceResponse>('GET', `invoices/US01/${inv.externalId}`, reader);
      expect(after).toMatchObject({ amountCredited: '90.00', amountDue: '10.00' });
      expect(await unbalancedMoves()).toEqual([]);
    });
  });
});
