import type { TaxTransactionResponse } from '@revgate/canonical';
import { taxApp } from '../tax.app';
import { TaxConfig } from '../tax.config';
import { expectProblem, http, startTestApp, TestApp } from '../../../../test/support/test-app';
import {
  AUSTIN,
  expectStatus,
  line,
  pointers,
  quoteBody,
  stateAddress,
  Tax,
  unique,
} from '../../test/tax-fixtures';

interface BatchResult {
  legalEntity: string;
  code: string;
  outcome: 'created' | 'existing' | 'refused';
  transaction?: TaxTransactionResponse;
  problem?: { status: number; code: string; title: string; detail: string };
}
interface BatchResponse {
  results: BatchResult[];
  created: number;
  existing: number;
  refused: number;
}

describe('transactions batch (e2e)', () => {
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

  const sale = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    code: unique('INV'),
    ...quoteBody(overrides),
  });
  const batch = (transactions: unknown[], token = rw) =>
    http<BatchResponse>('POST', tax.url('transactions/batch'), {
      token,
      body: { transactions },
    });
  const committedEvents = async (): Promise<number> =>
    (
      await t.sql<{ n: number }>(
        "select count(*)::int as n from tax.outbox_events where type = 'tax.transaction.committed.v1'",
      )
    )[0].n;

  it('commits every document as POST /transactions would, with one committed event each', async () => {
    const documents = [
      sale(),
      sale({ addresses: { shipFrom: AUSTIN, shipTo: stateAddress('TX', '78701') } }),
      sale({ addresses: { shipFrom: AUSTIN, shipTo: stateAddress('CA', '94105') } }),
    ];
    const events = await committedEvents();
    const res = await batch(documents);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ created: 3, existing: 0, refused: 0 });
    expect(res.body.results.map((r) => [r.code, r.outcome])).toEqual(
      documents.map((d) => [d.code, 'created']),
    );
    // The rate table's New York state rate is 4 %; Texas taxes 80 % of SaaS at 6.25 %; California none.
    expect(res.body.results.map((r) => r.transaction?.totalTax)).toEqual([
      '480.00',
      '600.00',
      '0.00',
    ]);
    for (const result of res.body.results) {
      const read = await http<TaxTransactionResponse>(
        'GET',
        tax.url(`transactions/US01/${result.code}`),
        { token: rw },
      );
      expectStatus(read, 200);
      expect(read.body).toEqual(result.transaction);
    }
    expect(await committedEvents()).toBe(events + 3);
    const subjects = await t.sql<{ subject: string }>(
      'select subject from tax.outbox_events where subject = any($1)',
      [res.body.results.map((r) => r.transaction?.id)],
    );
    expect(subjects).toHaveLength(3);
  });

  it('answers a repeated batch with the recorded transactions, unchanged, and emits nothing', async () => {
    const documents = [sale(), sale()];
    const first = await batch(documents);
    expectStatus(first, 200);
    const before = await tax.counts();
    const again = await batch(documents);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ created: 0, existing: 2, refused: 0 });
    expect(again.body.results.map((r) => r.transaction)).toEqual(
      first.body.results.map((r) => r.transaction),
    );
    expect(await tax.counts()).toEqual(before);
  });

  it('answers a document committed alone before as existing, and the same content alone afterwards as the batch recorded it', async () => {
    const alone = sale();
    const single = await http<TaxTransactionResponse>('POST', tax.url('transactions'), {
      token: rw,
      body: alone,
    });
    expectStatus(single, 201);
    const later = sale();
    const res = await batch([alone, later]);
    expectStatus(res, 200);
    expect(res.body.results[0]).toMatchObject({ outcome: 'existing', transaction: single.body });
    const retried = await http<TaxTransactionResponse>('POST', tax.url('transactions'), {
      token: rw,
      body: later,
    });
    expectStatus(retried, 200);
    expect(retried.body).toEqual(res.body.results[1].transaction);
  });

  it('refuses a document on its own (unknown tax code, other content under a code, a voided code) and commits the rest', async () => {
    const conflicting = await tax.commit(rw);
    const voided = await tax.commit(rw);
    expectStatus(
      await http('POST', tax.url(`transactions/US01/${voided.code}/void`), {
        token: rw,
        body: {},
      }),
      200,
    );
    const unknownCode = sale({ lines: [line({ taxCode: 'ZZ999999' })] });
    const good = sale();
    const events = await committedEvents();
    const res = await batch([
      unknownCode,
      sale({ code: conflicting.code, lines: [line({ amount: '1.00' })] }),
      good,
      sale({ code: voided.code }),
    ]);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ created: 1, existing: 0, refused: 3 });
    expect(res.body.results.map((r) => [r.outcome, r.problem?.status, r.problem?.code])).toEqual([
      ['refused', 422, 'TAX_CODE_UNKNOWN'],
      ['refused', 409, 'TAX_TRANSACTION_CODE_CONFLICT'],
      ['created', undefined, undefined],
      ['refused', 409, 'TAX_TRANSACTION_VOIDED'],
    ]);
    expect(res.body.results[0].problem?.detail).toMatch(/ZZ999999/);
    expect(res.body.results[0].transaction).toBeUndefined();
    expect(await committedEvents()).toBe(events + 1);
    const unknownRows = await t.sql('select 1 from tax.tax_transactions where code = $1', [
      unknownCode.code,
    ]);
    expect(unknownRows).toHaveLength(0);
    const conflictRead = await http<TaxTransactionResponse>(
      'GET',
      tax.url(`transactions/US01/${conflicting.code}`),
      { token: rw },
    );
    expect(conflictRead.body).toEqual(conflicting);
  });

  it('records each code once when the same batch is sent twice at the same moment', async () => {
    const documents = Array.from({ length: 20 }, () => sale());
    const events = await committedEvents();
    const [a, b] = await Promise.all([batch(documents), batch(documents)]);
    expectStatus(a, 200);
    expectStatus(b, 200);
    expect(a.body.created + b.body.created).toBe(20);
    expect(a.body.existing + b.body.existing).toBe(20);
    expect(a.body.results.map((r) => r.transaction?.id)).toEqual(
      b.body.results.map((r) => r.transaction?.id),
    );
    expect(await committedEvents()).toBe(events + 20);
  });

  describe('refuses the whole batch, writing nothing', () => {
    const refusals: [string, () => unknown[], number, string, string[]][] = [
      [
        'a malformed document',
        () => [sale(), sale({ lines: [line({ amount: 'ten' })] })],
        400,
        'VALIDATION_FAILED',
        ['/transactions/1/lines/0/amount'],
      ],
      [
        'more decimals than the currency',
        () => [sale({ lines: [line({ amount: '10.001' })] })],
        400,
        'VALIDATION_FAILED',
        ['/transactions/0/lines/0/amount'],
      ],
      [
        'a return',
        () => [sale(), sale({ type: 'return', referenceCode: 'INV-1' })],
        400,
        'VALIDATION_FAILED',
        ['/transactions/1/type'],
      ],
      [
        'a code twice',
        () => {
          const code = unique('INV');
          return [sale({ code }), sale({ code })];
        },
        400,
        'VALIDATION_FAILED',
        ['/transactions/1/code'],
      ],
      [
        'an unknown field',
        () => [{ ...sale(), discount: '5' }],
        400,
        'VALIDATION_FAILED',
        ['/transactions/0/discount'],
      ],
      ['no document', () => [], 400, 'VALIDATION_FAILED', ['/transactions']],
      [
        'more than 500 documents',
        () => Array.from({ length: 501 }, () => sale()),
        400,
        'VALIDATION_FAILED',
        ['/transactions'],
      ],
    ];
    it.each(refusals)('%s', async (_name, documents, status, code, expected) => {
      const before = await tax.counts();
      const res = await batch(documents());
      expectProblem(res, status, code);
      expect(pointers(res)).toEqual(expect.arrayContaining(expected));
      expect(await tax.counts()).toEqual(before);
    });

    it('a legal entity the token does not cover (403)', async () => {
      const before = await tax.counts();
      const res = await batch(
        [sale(), sale({ legalEntity: 'DE01', currency: 'EUR' })],
        t.token(['tax:write'], { legalEntities: ['US01'] }),
      );
      expectProblem(res, 403, 'TAX_LEGAL_ENTITY_FORBIDDEN');
      expect(await tax.counts()).toEqual(before);
    });

    it('a token without tax:write (403)', async () => {
      const before = await tax.counts();
      const res = await batch([sale()], t.token(['tax:read']));
      expectStatus(res, 403);
      expect(await tax.counts()).toEqual(before);
    });
  });
});
