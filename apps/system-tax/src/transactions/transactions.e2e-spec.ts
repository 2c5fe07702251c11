import { randomUUID } from 'node:crypto';
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
  inKeysetOrder,
  ISO_INSTANT,
  line,
  NEW_YORK,
  Page,
  PARIS,
  pointers,
  quoteBody,
  Tax,
  unique,
  UUID,
} from '../../test/tax-fixtures';

interface OutboxRow {
  id: string;
  type: string;
  subject: string;
  correlation_id: string;
  envelope: EventEnvelope<TaxTransactionResponse>;
}

describe('transactions (e2e)', () => {
  let t: TestApp<TaxConfig>;
  let tax: Tax;
  let rw: string;
  let reader: string;
  let us01: string;

  beforeAll(async () => {
    t = await startTestApp(taxApp);
    tax = new Tax(t, http);
    rw = t.token(['tax:read', 'tax:write']);
    reader = t.token(['tax:read']);
    us01 = t.token(['tax:read', 'tax:write'], { legalEntities: ['US01'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const commitBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    code: unique('INV'),
    ...quoteBody(overrides),
  });

  const post = (
    body: unknown,
    token = rw,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<TaxTransactionResponse>> =>
    http<TaxTransactionResponse>('POST', tax.url('transactions'), { token, body, headers });

  const read = (legalEntity: string, code: string, token = reader) =>
    http<TaxTransactionResponse>('GET', tax.url(`transactions/${legalEntity}/${code}`), { token });

  const voidIt = (
    legalEntity: string,
    code: string,
    options: { token?: string; ifMatch?: string; body?: unknown } = {},
  ) =>
    http<TaxTransactionResponse>('POST', tax.url(`transactions/${legalEntity}/${code}/void`), {
      token: options.token ?? rw,
      body: options.body ?? { reason: 'Invoice cancelled' },
      headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
    });

  const outbox = (subject: string): Promise<OutboxRow[]> =>
    t.sql<OutboxRow>(
      'select id, type, subject, correlation_id, envelope from tax.outbox_events where subject = $1 order by occurred_at',
      [subject],
    );

  /** Everything a write could touch for one document, for "nothing changed" checks. */
  const snapshot = async (legalEntity: string, code: string): Promise<Record<string, unknown>> => ({
    transaction: await t.sql(
      'select * from tax.tax_transactions where company_code = $1 and code = $2',
      [legalEntity, code],
    ),
    lines: await t.sql(
      'select l.* from tax.tax_transaction_lines l join tax.tax_transactions t on t.id = l.transaction_id where t.company_code = $1 and t.code = $2 order by position',
      [legalEntity, code],
    ),
    counts: await tax.counts(),
  });

  describe('POST /transactions', () => {
    it('records and commits a document, and writes one committed event in the same transaction', async () => {
      const code = unique('INV-2026');
      const before = await tax.counts();
      const res = await post(
        commitBody({
          code,
          customerCode: 'ACME-001',
          lines: [
            line({ number: '10', itemCode: 'PLATFORM-ANNUAL', quantity: '10.0', amount: '12000' }),
            line({ number: '20', quantity: '1', amount: '0.13' }),
          ],
        }),
        rw,
        { 'x-correlation-id': 'deal-42' },
      );
      expectStatus(res, 201);
      const newYork = { country: 'US', region: 'NY', name: 'New York', taxName: 'Sales tax' };
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        code,
        type: 'sale',
        status: 'committed',
        legalEntity: 'US01',
        customerCode: 'ACME-001',
        date: '2026-01-15',
        currency: 'USD',
        addresses: { shipFrom: AUSTIN, shipTo: NEW_YORK },
        reverseCharge: false,
        lines: [
          {
            number: '10',
            itemCode: 'PLATFORM-ANNUAL',
            taxCode: 'SW054000',
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
            number: '20',
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
            tax: '0.01',
          },
        ],
        totalAmount: '12000.13',
        totalTaxable: '12000.13',
        totalExempt: '0.00',
        totalTax: '480.01',
        totalWithTax: '12480.14',
        notes: [],
        committedAt: expect.stringMatching(ISO_INSTANT) as unknown,
        version: 1,
        createdAt: res.body.committedAt,
        updatedAt: res.body.committedAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(new URL(res.headers.get('location') ?? '', tax.url('transactions')).pathname).toBe(
        `/tax/v1/transactions/US01/${code}`,
      );

      const stored = await snapshot('US01', code);
      expect(stored.transaction).toEqual([
        expect.objectContaining({
          id: res.body.id,
          type: 'SalesInvoice',
          reference_code: null,
          status: 'Committed',
          customer_code: 'ACME-001',
          currency: 'USD',
          total_amount: '12000.1300',
          total_tax: '480.0100',
          reverse_charge: false,
          exemption_no: null,
          version: 1,
          voided_at: null,
        }),
      ]);
      expect(
        await t.sql('select date::text as date from tax.tax_transactions where id = $1', [
          res.body.id,
        ]),
      ).toEqual([{ date: '2026-01-15' }]);
      expect(stored.lines).toEqual([
        expect.objectContaining({
          line_number: '10',
          position: 0,
          quantity: '10.000000',
          amount: '12000.0000',
          rate: '0.040000',
          tax: '480.0000',
        }),
        expect.objectContaining({
          line_number: '20',
          position: 1,
          quantity: '1.000000',
          amount: '0.1300',
          tax: '0.0100',
        }),
      ]);
      expect(await tax.counts()).toEqual({
        ...before,
        tax_transactions: before.tax_transactions + 1,
        tax_transaction_lines: before.tax_transaction_lines + 2,
        outbox_events: before.outbox_events + 1,
      });
      const events = await outbox(res.body.id);
      expect(events).toEqual([
        {
          id: expect.stringMatching(UUID) as unknown,
          type: 'tax.transaction.committed.v1',
          subject: res.body.id,
          correlation_id: 'deal-42',
          envelope: {
            id: events[0]?.id,
            type: 'tax.transaction.committed.v1',
            source: 'revgate/system-tax',
            subject: res.body.id,
            time: expect.stringMatching(ISO_INSTANT) as unknown,
            correlationId: 'deal-42',
            data: res.body,
          },
        },
      ]);

      const found = await read('US01', code);
      expectStatus(found, 200);
      expect(found.body).toEqual(res.body);
      expect(found.headers.get('etag')).toBe('"v1"');
    });

    it('records the exemption certificate and the reverse charge with the document', async () => {
      const exempt = await tax.commit(rw, {
        exemptionNo: 'NY-EX-77',
        lines: [line({ amount: '100.00' })],
      });
      expect(exempt).toMatchObject({
        exemptionNo: 'NY-EX-77',
        totalTax: '0.00',
        totalExempt: '100.00',
      });
      expect(
        await t.sql('select exemption_no, total_tax from tax.tax_transactions where id = $1', [
          exempt.id,
        ]),
      ).toEqual([{ exemption_no: 'NY-EX-77', total_tax: '0.0000' }]);
      const reverse = await tax.commit(rw, {
        legalEntity: 'FR01',
        currency: 'EUR',
        customerVatId: 'DE123456789',
        addresses: { shipFrom: PARIS, shipTo: BERLIN },
        lines: [line({ amount: '1000.00' })],
      });
      expect(reverse).toMatchObject({
        reverseCharge: true,
        totalTax: '0.00',
        customerVatId: 'DE123456789',
      });
      expect(reverse.notes[0]).toContain('Reverse charge');
      expect(
        await t.sql(
          'select reverse_charge, business_identification_no, messages from tax.tax_transactions where id = $1',
          [reverse.id],
        ),
      ).toEqual([
        {
          reverse_charge: true,
          business_identification_no: 'DE123456789',
          messages: reverse.notes,
        },
      ]);
      expect(
        await t.sql(
          'select taxability, tax from tax.tax_transaction_lines where transaction_id = $1',
          [reverse.id],
        ),
      ).toEqual([{ taxability: 'reverse_charge', tax: '0.0000' }]);
    });

    it('answers a repeated commit of the same content with the recorded transaction (200), writing and emitting nothing', async () => {
      const code = unique('INV-SAME');
      const first = await post(
        commitBody({ code, lines: [line({ quantity: '10', amount: '12000.00' })] }),
      );
      expectStatus(first, 201);
      const before = await snapshot('US01', code);
      // The same document, with its decimals written differently and its line numbered as it was.
      for (const again of [
        commitBody({ code, lines: [line({ quantity: '10', amount: '12000.00' })] }),
        commitBody({ code, lines: [line({ number: '1', quantity: '10.000', amount: '12000' })] }),
      ]) {
        const res = await post(again);
        expectStatus(res, 200);
        expect(res.body).toEqual(first.body);
        expect(res.headers.get('etag')).toBe('"v1"');
      }
      expect(await snapshot('US01', code)).toEqual(before);
      expect(await outbox(first.body.id)).toHaveLength(1);
    });

    it('refuses the same code with other content (409 TAX_TRANSACTION_CODE_CONFLICT), changing nothing', async () => {
      const code = unique('INV-CONFLICT');
      await post(commitBody({ code }));
      const before = await snapshot('US01', code);
      for (const other of [
        commitBody({ code, lines: [line({ amount: '12000.01' })] }),
        commitBody({ code, date: '2026-01-16' }),
        commitBody({ code, customerCode: 'GLOBEX' }),
        commitBody({ code, exemptionNo: 'EX-1' }),
        commitBody({ code, addresses: { shipFrom: AUSTIN, shipTo: AUSTIN } }),
        commitBody({ code, lines: [line(), line({ amount: '1.00' })] }),
      ]) {
        const res = await post(other);
        expect(expectProblem(res, 409, 'TAX_TRANSACTION_CODE_CONFLICT').detail).toContain(code);
      }
      expect(await snapshot('US01', code)).toEqual(before);
    });

    it('keeps codes apart per legal entity', async () => {
      const code = unique('INV-SHARED');
      const us = await post(commitBody({ code }));
      const de = await post(
        commitBody({
          code,
          legalEntity: 'DE01',
          currency: 'EUR',
          addresses: { shipFrom: BERLIN, shipTo: BERLIN },
        }),
      );
      expectStatus(us, 201);
      expectStatus(de, 201);
      expect(de.body.id).not.toBe(us.body.id);
      expect(de.body.totalTax).toBe('2280.00');
    });

    it('records one transaction and one event when the same document is committed five times at once', async () => {
      const body = commitBody();
      const before = await tax.counts();
      const results = await Promise.all(Array.from({ length: 5 }, () => post(body)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await tax.counts()).toEqual({
        ...before,
        tax_transactions: before.tax_transactions + 1,
        tax_transaction_lines: before.tax_transaction_lines + 1,
        outbox_events: before.outbox_events + 1,
      });
    });

    it('refuses what the tax engine cannot tax with 422 and a stable code, writing nothing', async () => {
      const before = await tax.counts();
      const unknown = await post(commitBody({ lines: [line({ taxCode: 'XX123' })] }));
      expectProblem(unknown, 422, 'TAX_CODE_UNKNOWN');
      expect(pointers(unknown)).toEqual(['/lines/0/taxCode']);
      expectProblem(await post(commitBody({ date: '2019-06-30' })), 422, 'TAX_RATE_NOT_EFFECTIVE');
      expectProblem(
        await post(commitBody({ addresses: { shipFrom: AUSTIN, shipTo: { country: 'AU' } } })),
        422,
        'TAX_JURISDICTION_UNSUPPORTED',
      );
      expectProblem(
        await post(
          commitBody({
            currency: 'EUR',
            customerVatId: 'FR123',
            addresses: { shipFrom: BERLIN, shipTo: PARIS },
          }),
        ),
        422,
        'TAX_VAT_ID_INVALID',
      );
      expect(await tax.counts()).toEqual(before);
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['no code', ({ code: _omit, ...b }) => b, '/code'],
      ['a code with a space', (b) => ({ ...b, code: 'INV 1' }), '/code'],
      ['a code of dots', (b) => ({ ...b, code: '..' }), '/code'],
      ['a code of 51 characters', (b) => ({ ...b, code: 'X'.repeat(51) }), '/code'],
      [
        'a negative quantity',
        (b) => ({ ...b, lines: [line({ quantity: '-3' })] }),
        '/lines/0/quantity',
      ],
      [
        'a non-numeric quantity',
        (b) => ({ ...b, lines: [line({ quantity: 'NaN' })] }),
        '/lines/0/quantity',
      ],
      [
        'a negative amount',
        (b) => ({ ...b, lines: [line({ amount: '-0.01' })] }),
        '/lines/0/amount',
      ],
      [
        'a non-numeric amount',
        (b) => ({ ...b, lines: [line({ amount: 'Infinity' })] }),
        '/lines/0/amount',
      ],
      [
        'more decimals than USD has',
        (b) => ({ ...b, lines: [line({ amount: '0.001' })] }),
        '/lines/0/amount',
      ],
      [
        'a line number used twice',
        (b) => ({ ...b, lines: [line({ number: 'A' }), line({ number: 'A' })] }),
        '/lines/1/number',
      ],
      ['an unknown currency', (b) => ({ ...b, currency: 'ABC' }), '/currency'],
      ['a lower-case currency', (b) => ({ ...b, currency: 'eur' }), '/currency'],
      [
        'a malformed ship-to address',
        (b) => ({
          ...b,
          addresses: {
            shipFrom: AUSTIN,
            shipTo: { region: 'NY', postalCode: 'ABCDE', country: 'US' },
          },
        }),
        '/addresses/shipTo/postalCode',
      ],
      [
        'a malformed ship-from address',
        (b) => ({
          ...b,
          addresses: {
            shipFrom: { region: 'Texas', postalCode: '78701', country: 'US' },
            shipTo: NEW_YORK,
          },
        }),
        '/addresses/shipFrom/region',
      ],
      ['an unknown field', (b) => ({ ...b, commit: true }), '/commit'],
      ['a server-owned field', (b) => ({ ...b, totalTax: '0.00' }), '/totalTax'],
      [
        'an unknown field in a line',
        (b) => ({ ...b, lines: [line({ tax: '0.00' })] }),
        '/lines/0/tax',
      ],
    ];
    it.each(badBodies)(
      'refuses %s with 400 VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const before = await tax.counts();
        const res = await post(mutate(commitBody()));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await tax.counts()).toEqual(before);
      },
    );

    it('needs tax:write and a token covering the legal entity, writing nothing otherwise', async () => {
      const before = await tax.counts();
      expectProblem(await post(commitBody(), reader), 403, 'AUTH_INSUFFICIENT_SCOPE');
      expectProblem(await post(commitBody(), ''), 401, 'AUTH_TOKEN_MISSING');
      const other = await post(
        commitBody({
          legalEntity: 'DE01',
          currency: 'EUR',
          addresses: { shipFrom: BERLIN, shipTo: BERLIN },
        }),
        us01,
      );
      expect(expectProblem(other, 403, 'TAX_LEGAL_ENTITY_FORBIDDEN').detail).toContain('DE01');
      expect(await tax.counts()).toEqual(before);
    });

    it('replays the first response for the same Idempotency-Key and refuses the key with another body', async () => {
      const key = randomUUID();
      const body = commitBody();
      const first = await post(body, rw, { 'idempotency-key': key });
      expectStatus(first, 201);
      const replay = await post(body, rw, { 'idempotency-key': key });
      expectStatus(replay, 201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('etag')).toBe('"v1"');
      const before = await tax.counts();
      expectProblem(
        await post({ ...body, customerCode: 'SOMEONE-ELSE' }, rw, { 'idempotency-key': key }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await tax.counts()).toEqual(before);
      expect(await outbox(first.body.id)).toHaveLength(1);
    });

    it('replays the status the first response had: 200 for a commit that found its code already recorded', async () => {
      const body = commitBody();
      expectStatus(await post(body, rw), 201);
      const key = randomUUID();
      const again = await post(body, rw, { 'idempotency-key': key });
      expectStatus(again, 200);
      const replay = await post(body, rw, { 'idempotency-key': key });
      expectStatus(replay, 200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(again.body);
    });
  });

  describe('GET /transactions/:legalEntity/:code', () => {
    it('answers 404 for unknown codes and other legal entities, 400 for bad parameters, 403 without tax:read', async () => {
      const committed = await tax.commit(rw);
      expectProblem(await read('US01', 'NO-SUCH-CODE'), 404, 'TAX_TRANSACTION_NOT_FOUND');
      expectProblem(await read('US02', committed.code), 404, 'TAX_TRANSACTION_NOT_FOUND');
      expectProblem(
        await read('US01', committed.code, t.token(['tax:read'], { legalEntities: ['DE01'] })),
        404,
        'TAX_TRANSACTION_NOT_FOUND',
      );
      expect((await read('US01', committed.code, us01)).status).toBe(200);
      const badEntity = await read('us01', committed.code);
      expectProblem(badEntity, 400, 'VALIDATION_FAILED');
      expect(pointers(badEntity)).toEqual(['legalEntity']);
      const badCode = await read('US01', 'INV%20ONE');
      expectProblem(badCode, 400, 'VALIDATION_FAILED');
      expect(pointers(badCode)).toEqual(['code']);
      expectProblem(
        await read('US01', committed.code, t.token(['tax:write'])),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });
  });

  describe('GET /transactions', () => {
    let customer: string;
    let created: TaxTransactionResponse[];

    beforeAll(async () => {
      customer = unique('PAGED');
      created = [];
      for (let i = 0; i < 5; i++)
        created.push(
          await tax.commit(rw, {
            customerCode: customer,
            date: `2026-03-0${i + 1}`,
            lines: [line({ amount: `${i + 1}00.00` })],
          }),
        );
    });

    it('pages through every item once, in (updatedAt, id) order', async () => {
      const { items, pages } = await tax.walk<TaxTransactionResponse>(reader, 'transactions', {
        customerCode: customer,
        limit: '2',
      });
      expect(pages).toBe(3);
      expect(items).toEqual(created);
      expect(inKeysetOrder(items)).toBe(true);
      const all = await tax.walk<TaxTransactionResponse>(reader, 'transactions', { limit: '7' });
      const [{ n }] = await t.sql<{ n: number }>(
        'select count(*)::int as n from tax.tax_transactions',
      );
      expect(all.items).toHaveLength(n);
      expect(inKeysetOrder(all.items)).toBe(true);
    });

    it('filters by status, legal entity, tax date and updatedSince', async () => {
      const voided = created[1];
      const res = await voidIt('US01', voided.code);
      expectStatus(res, 200);
      const list = async (query: string) =>
        (
          await http<Page<TaxTransactionResponse>>(
            'GET',
            `${tax.url('transactions')}?customerCode=${customer}&${query}`,
            {
              token: reader,
            },
          )
        ).body.data.map((x) => x.code);
      expect(await list('status=voided')).toEqual([voided.code]);
      expect(await list('status=committed')).toEqual(
        created.filter((c) => c.code !== voided.code).map((c) => c.code),
      );
      expect(await list('dateFrom=2026-03-02&dateTo=2026-03-03')).toEqual([
        created[2].code,
        voided.code,
      ]);
      expect(await list('legalEntity=DE01')).toEqual([]);
      expect(await list(`updatedSince=${encodeURIComponent(res.body.updatedAt)}`)).toEqual([
        voided.code,
      ]);
      const hidden = await http<Page<TaxTransactionResponse>>(
        'GET',
        `${tax.url('transactions')}?customerCode=${customer}`,
        { token: t.token(['tax:read'], { legalEntities: ['DE01'] }) },
      );
      expect(hidden.body).toEqual({ data: [], nextCursor: null });
    });

    it.each([
      ['an unknown status', 'status=cancelled', 'status'],
      ['a lower-case legal entity', 'legalEntity=us01', 'legalEntity'],
      ['a bad dateFrom', 'dateFrom=2026-02-30', 'dateFrom'],
      ['a bad dateTo', 'dateTo=tomorrow', 'dateTo'],
      ['limit=0', 'limit=0', 'limit'],
      ['limit=201', 'limit=201', 'limit'],
      [
        'a cursor that is not ours',
        `cursor=${Buffer.from('[1,2]').toString('base64url')}`,
        'cursor',
      ],
      ['a bad updatedSince', 'updatedSince=yesterday', 'updatedSince'],
      ['an unknown parameter', 'code=INV-1', 'code'],
    ])('rejects %s with 400 VALIDATION_FAILED', async (_name, query, param) => {
      const res = await http('GET', `${tax.url('transactions')}?${query}`, { token: reader });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res).some((p) => p.replace(/^\//, '') === param)).toBe(true);
    });
  });

  describe('POST /transactions/:legalEntity/:code/void', () => {
    it('voids a committed transaction with its ETag and writes one voided event', async () => {
      const committed = await tax.commit(rw);
      const res = await voidIt('US01', committed.code, { ifMatch: '"v1"' });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        ...committed,
        status: 'voided',
        voidedAt: expect.stringMatching(ISO_INSTANT) as unknown,
        voidReason: 'Invoice cancelled',
        version: 2,
        updatedAt: res.body.voidedAt,
      });
      expect(res.headers.get('etag')).toBe('"v2"');
      expect((await read('US01', committed.code)).body).toEqual(res.body);
      expect(
        await t.sql('select status, version, void_reason from tax.tax_transactions where id = $1', [
          committed.id,
        ]),
      ).toEqual([{ status: 'Cancelled', version: 2, void_reason: 'Invoice cancelled' }]);
      const events = await outbox(committed.id);
      expect(events.map((e) => e.type)).toEqual([
        'tax.transaction.committed.v1',
        'tax.transaction.voided.v1',
      ]);
      expect(events[1]?.envelope.data).toEqual(res.body);
    });

    it('answers a second void with the voided transaction, changing and emitting nothing (even with the old ETag)', async () => {
      const committed = await tax.commit(rw);
      const first = await voidIt('US01', committed.code);
      expectStatus(first, 200);
      const before = await snapshot('US01', committed.code);
      for (const options of [{}, { ifMatch: '"v1"' }, { body: {} }]) {
        const again = await voidIt('US01', committed.code, options);
        expectStatus(again, 200);
        expect(again.body).toEqual(first.body);
      }
      expect(await snapshot('US01', committed.code)).toEqual(before);
      expect((await outbox(committed.id)).map((e) => e.type)).toEqual([
        'tax.transaction.committed.v1',
        'tax.transaction.voided.v1',
      ]);
    });

    it('refuses to commit a voided code again (409 TAX_TRANSACTION_VOIDED), same content or not', async () => {
      const body = commitBody();
      const committed = await post(body);
      expectStatus(committed, 201);
      expectStatus(await voidIt('US01', body.code as string), 200);
      const before = await snapshot('US01', body.code as string);
      expectProblem(await post(body), 409, 'TAX_TRANSACTION_VOIDED');
      expectProblem(await post({ ...body, customerCode: 'OTHER' }), 409, 'TAX_TRANSACTION_VOIDED');
      expect(await snapshot('US01', body.code as string)).toEqual(before);
    });

    it('answers 412 to a stale or foreign ETag and changes nothing', async () => {
      const committed = await tax.commit(rw);
      const before = await snapshot('US01', committed.code);
      const stale = await voidIt('US01', committed.code, { ifMatch: '"v7"' });
      expect(expectProblem(stale, 412, 'PRECONDITION_FAILED').currentETag).toBe('"v1"');
      expectProblem(
        await voidIt('US01', committed.code, { ifMatch: 'garbage' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await snapshot('US01', committed.code)).toEqual(before);
    });

    it('answers 404 for unknown or hidden codes, 400 for bad input, 403 without tax:write, changing nothing', async () => {
      const committed = await tax.commit(rw);
      const before = await snapshot('US01', committed.code);
      expectProblem(await voidIt('US01', 'NO-SUCH-CODE'), 404, 'TAX_TRANSACTION_NOT_FOUND');
      expectProblem(
        await voidIt('US01', committed.code, {
          token: t.token(['tax:write'], { legalEntities: ['DE01'] }),
        }),
        404,
        'TAX_TRANSACTION_NOT_FOUND',
      );
      expectProblem(
        await voidIt('US01', committed.code, { token: reader }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      const unknownField = await voidIt('US01', committed.code, {
        body: { reason: 'x', status: 'voided' },
      });
      expectProblem(unknownField, 400, 'VALIDATION_FAILED');
      expect(pointers(unknownField)).toEqual(['/status']);
      const emptyReason = await voidIt('US01', committed.code, { body: { reason: '' } });
      expect(pointers(emptyReason)).toEqual(['/reason']);
      const longReason = await voidIt('US01', committed.code, {
        body: { reason: 'x'.repeat(256) },
      });
      expect(pointers(longReason)).toEqual(['/reason']);
      expect(pointers(await voidIt('US-01!', committed.code))).toEqual(['legalEntity']);
      expect(pointers(await voidIt('US01', 'A%2FB'))).toEqual(['code']);
      expect(await snapshot('US01', committed.code)).toEqual(before);
    });

    it('replays a void for the same Idempotency-Key', async () => {
      const committed = await tax.commit(rw);
      const key = randomUUID();
      const url = tax.url(`transactions/US01/${committed.code}/void`);
      const send = (body: unknown) =>
        http<TaxTransactionResponse>('POST', url, {
          token: rw,
          body,
          headers: { 'idempotency-key': key, 'if-match': '"v1"' },
        });
      const first = await send({ reason: 'duplicate invoice' });
      expectStatus(first, 200);
      const replay = await send({ reason: 'duplicate invoice' });
      expectStatus(replay, 200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('etag')).toBe('"v2"');
      expectProblem(await send({ reason: 'another reason' }), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await outbox(committed.id)).map((e) => e.type)).toEqual([
        'tax.transaction.committed.v1',
        'tax.transaction.voided.v1',
      ]);
    });

    it('voids without a reason, and without a body', async () => {
      const a = await tax.commit(rw);
      const noReason = await voidIt('US01', a.code, { body: {} });
      expectStatus(noReason, 200);
      expect(noReason.body.voidReason).toBeUndefined();
      const b = await tax.commit(rw);
      const noBody = await http<TaxTransactionResponse>(
        'POST',
        tax.url(`transactions/US01/${b.code}/void`),
        {
          token: rw,
        },
      );
      expectStatus(noBody, 200);
      expect(noBody.body.status).toBe('voided');
    });
  });
});
