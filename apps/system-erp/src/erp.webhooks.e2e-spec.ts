import type { EventEnvelope } from '@revgate/canonical';
import { OutboxRelay, verifyWebhookSignature } from '@revgate/events';
import { erpApp } from './erp.app';
import type { ErpConfig } from './erp.config';
import type { InvoiceResponse } from './invoices/dto/invoice.dto';
import type { PeriodResponse } from './periods/dto/period.dto';
import {
  Erp,
  erpCounts,
  expectStatus,
  invoiceBody,
  journalBody,
  unique,
} from '../test/erp-fixtures';
import { Receiver } from '../../../test/events/receiver';
import { expectProblem, http, startTestApp, type TestApp } from '../../../test/support/test-app';

describe('ERP webhooks (e2e)', () => {
  let t: TestApp<ErpConfig>;
  let erp: Erp;
  let receiver: Receiver;
  let rw: string;
  let manage: string;
  let secret: string;

  beforeAll(async () => {
    t = await startTestApp(erpApp, {
      // The receiver of this test listens on loopback over http.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    erp = new Erp(t.url, http);
    receiver = await Receiver.start();
    rw = t.token(['erp:read', 'erp:write']);
    manage = t.token(['erp:webhooks:read', 'erp:webhooks:manage']);
    await erp.setUpEntity(rw, 'US01');
    await erp.upsertCustomer(rw, 'US01', 'ACME-001');
    await erp.upsertItem(rw, 'US01', 'PLATFORM');
    const created = await http<{ secret: string }>('POST', erp.url('webhook-subscriptions'), {
      token: manage,
      body: { url: receiver.url, eventTypes: ['erp.*'], description: 'finance portal' },
    });
    expectStatus(created, 201);
    secret = created.body.secret;
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const relay = () => t.app.get(OutboxRelay).runOnce({ now: new Date() });
  const envelopes = () =>
    receiver.received.map((r) => JSON.parse(r.body.toString('utf8')) as EventEnvelope);

  it('tells subscribers of a posted invoice once, signed, however often it is posted again', async () => {
    receiver.received.length = 0;
    const body = invoiceBody('US01', 'ACME-001', 'PLATFORM');
    const first = await erp.postInvoice(rw, body);
    expectStatus(first, 201);
    const replay = await erp.postInvoice(rw, body);
    expectStatus(replay, 200);

    const now = new Date();
    expect(await t.app.get(OutboxRelay).runOnce({ now })).toMatchObject({
      delivered: 1,
      failed: 0,
    });
    expect(await relay()).toMatchObject({ events: 0, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(
      verifyWebhookSignature(
        got.body,
        got.headers['revgate-signature'] as string,
        [secret],
        300,
        now,
      ),
    ).not.toBeNull();
    const [envelope] = envelopes() as EventEnvelope<InvoiceResponse>[];
    expect(envelope).toMatchObject({
      type: 'erp.invoice.posted.v1',
      source: 'revgate/system-erp',
      subject: `US01/${String(body.externalId)}`,
    });
    // The event carries the posting as the API answers it.
    expect(envelope.data).toEqual(first.body);
    expect(got.headers['x-correlation-id']).toBe(envelope.correlationId);
  });

  it('emits credit memos, payments and journal entries, each as its own type', async () => {
    const order = [
      'erp.invoice.posted.v1',
      'erp.credit_memo.posted.v1',
      'erp.payment.posted.v1',
      'erp.journal_entry.posted.v1',
    ];
    receiver.received.length = 0;
    const invoice = invoiceBody('US01', 'ACME-001', 'PLATFORM');
    expectStatus(await erp.postInvoice(rw, invoice), 201);
    const memo = {
      legalEntity: 'US01',
      externalId: unique('CM'),
      customerExternalId: 'ACME-001',
      invoiceExternalId: invoice.externalId,
      date: '2026-01-20',
      currency: 'USD',
      lines: [{ itemCode: 'PLATFORM', quantity: '1', amount: '100.00', taxAmount: '8.00' }],
    };
    expectStatus(await erp.postCreditMemo(rw, memo), 201);
    const payment = {
      legalEntity: 'US01',
      externalId: unique('PAY'),
      customerExternalId: 'ACME-001',
      date: '2026-01-25',
      currency: 'USD',
      amount: '500.00',
      applications: [{ invoiceExternalId: invoice.externalId, amount: '500.00' }],
    };
    expectStatus(await erp.postPayment(rw, payment), 201);
    const journal = journalBody('US01', [
      { accountCode: '2400', debit: '10.00' },
      { accountCode: '4000', credit: '10.00' },
    ]);
    expectStatus(await erp.postJournal(rw, journal), 201);

    expect(await relay()).toMatchObject({ delivered: 4, failed: 0 });
    // Webhooks promise at-least-once, not order: deliveries go out concurrently.
    const byType = envelopes()
      .map((e) => [e.type, e.subject])
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    expect(byType).toEqual([
      ['erp.invoice.posted.v1', `US01/${String(invoice.externalId)}`],
      ['erp.credit_memo.posted.v1', `US01/${memo.externalId}`],
      ['erp.payment.posted.v1', `US01/${payment.externalId}`],
      ['erp.journal_entry.posted.v1', `US01/${String(journal.externalId)}`],
    ]);
  });

  it('emits a period closed and reopened when its status changes, and nothing when it does not', async () => {
    receiver.received.length = 0;
    const close = () => erp.request<PeriodResponse>('POST', 'periods/US01/2027-06/close', rw);
    expectStatus(await close(), 200);
    expectStatus(await close(), 200);
    expectStatus(await erp.request('POST', 'periods/US01/2027-06/reopen', rw), 200);
    expectStatus(await close(), 200);

    expect(await relay()).toMatchObject({ delivered: 3 });
    // Deliveries may arrive in any order; the period's version tells a consumer which came last.
    const got = (envelopes() as EventEnvelope<PeriodResponse>[]).sort(
      (a, b) => a.data.version - b.data.version,
    );
    expect(got.map((e) => [e.type, e.subject, e.data.status])).toEqual([
      ['erp.period.closed.v1', 'US01/2027-06', 'closed'],
      ['erp.period.reopened.v1', 'US01/2027-06', 'open'],
      ['erp.period.closed.v1', 'US01/2027-06', 'closed'],
    ]);
  });

  it('emits nothing for a refused posting', async () => {
    receiver.received.length = 0;
    const before = await erpCounts(t);
    expectProblem(
      await erp.postInvoice(rw, invoiceBody('US01', 'NOBODY', 'PLATFORM')),
      422,
      'ERP_CUSTOMER_UNKNOWN',
    );
    expect(await erpCounts(t)).toEqual(before);
    expect(await relay()).toMatchObject({ events: 0 });
  });

  it('guards its webhooks with the ERP webhook scopes and ERP event types', async () => {
    const body = { url: receiver.url, eventTypes: ['erp.invoice.*'] };
    expectProblem(
      await http('POST', erp.url('webhook-subscriptions'), { token: rw, body }),
      403,
      'AUTH_INSUFFICIENT_SCOPE',
    );
    expectProblem(
      await http('POST', erp.url('webhook-subscriptions'), {
        token: manage,
        body: { ...body, eventTypes: ['billing.invoice.finalized.v1'] },
      }),
      422,
      'WEBHOOK_EVENT_TYPE_UNKNOWN',
    );
  });
});
