import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@revgate/canonical';
import { crmApp } from '../crm.app';
import { CrmConfig } from '../crm.config';
import type { AccountResponse } from '../accounts/dto/account.dto';
import type { ProductResponse } from '../products/dto/product.dto';
import {
  expectProblem,
  http,
  JsonResponse,
  startTestApp,
  TestApp,
} from '../../../../test/support/test-app';
import {
  Crm,
  expectStatus,
  inKeysetOrder,
  ISO_INSTANT,
  Page,
  pointers,
  ProblemBody,
  unique,
  UUID,
} from '../../test/crm-fixtures';
import type { OpportunityResponse } from './dto/opportunity.dto';

interface OutboxRow {
  id: string;
  type: string;
  subject: string;
  correlation_id: string;
  envelope: EventEnvelope<OpportunityResponse>;
  published_at: Date | null;
}

describe('opportunities (e2e)', () => {
  let t: TestApp<CrmConfig>;
  let crm: Crm;
  let rw: string;
  let readOnly: string;
  let de01: string;
  let alice: string;
  let us: AccountResponse;
  let de: AccountResponse;
  let jp: AccountResponse;
  let kw: AccountResponse;
  let platform: ProductResponse;
  let onboarding: ProductResponse;
  let legacy: ProductResponse;

  beforeAll(async () => {
    t = await startTestApp(crmApp);
    crm = new Crm(t, http);
    rw = t.token(['crm:read', 'crm:write']);
    readOnly = t.token(['crm:read']);
    de01 = t.token(['crm:read', 'crm:write'], { legalEntities: ['DE01'] });
    alice = t.token(['crm:read', 'crm:write'], { subject: 'alice@example.com' });
    us = await crm.createAccount(rw, { legalName: 'Acme Corporation' });
    de = await crm.createAccount(rw, {
      legalName: 'Globex GmbH',
      legalEntity: 'DE01',
      currency: 'EUR',
      billingAddress: { line1: 'Friedrichstraße 100', city: 'Berlin', country: 'DE' },
    });
    jp = await crm.createAccount(rw, {
      legalName: 'Initech KK',
      legalEntity: 'JP01',
      currency: 'JPY',
      billingAddress: { line1: '1-1 Marunouchi', city: 'Tokyo', country: 'JP' },
    });
    kw = await crm.createAccount(rw, {
      legalName: 'Umbrella KSC',
      legalEntity: 'KW01',
      currency: 'KWD',
      billingAddress: { line1: 'Gulf Road', city: 'Kuwait City', country: 'KW' },
    });
    platform = await crm.createProduct(rw, { name: 'Platform subscription' });
    onboarding = await crm.createProduct(rw, { name: 'Onboarding', family: 'services' });
    legacy = await crm.createProduct(rw, { name: 'Legacy plan', active: false });
  });
  afterAll(async () => {
    await t.close();
  });

  const line = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    productId: platform.id,
    quantity: '10',
    unitPrice: '1200',
    termMonths: 12,
    startDate: '2027-01-01',
    ...overrides,
  });
  const validBody = (): Record<string, unknown> => ({
    accountId: us.id,
    name: 'Acme — platform 2027',
    lines: [line()],
  });

  const open = (body: Record<string, unknown> = {}): Promise<OpportunityResponse> =>
    crm.createOpportunity(rw, { ...validBody(), ...body });

  /** Everything a write could touch for one opportunity, for "nothing changed" checks. */
  const snapshot = async (id: string): Promise<Record<string, unknown>> => ({
    opportunity: (
      await t.sql(
        'select name, stage, close_date, currency, amount, billing_status, version, updated_at from crm.opportunities where id = $1',
        [id],
      )
    )[0],
    lines: await t.sql(
      'select id, position, product_id, quantity, unit_price, discount_percent, term_months, start_date, total_price from crm.opportunity_lines where opportunity_id = $1 order by position',
      [id],
    ),
    changes: await t.sql(
      'select id, stage, changed_by from crm.opportunity_stage_changes where opportunity_id = $1 order by changed_at, id',
      [id],
    ),
    counts: await crm.counts(),
  });

  const outbox = (subject: string): Promise<OutboxRow[]> =>
    t.sql<OutboxRow>(
      'select id, type, subject, correlation_id, envelope, published_at from crm.outbox_events where subject = $1',
      [subject],
    );

  const stage = (
    id: string,
    body: unknown,
    options: { token?: string; ifMatch?: string; correlationId?: string } = {},
  ): Promise<JsonResponse<OpportunityResponse>> =>
    http<OpportunityResponse>('POST', crm.url(`opportunities/${id}/stage`), {
      token: options.token ?? rw,
      body,
      headers: {
        ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
        ...(options.correlationId ? { 'x-correlation-id': options.correlationId } : {}),
      },
    });

  describe('POST /opportunities', () => {
    it('creates an opportunity whose amount is the sum of the rounded line totals (USD)', async () => {
      const externalId = unique('OPP');
      const res = await http<OpportunityResponse>('POST', crm.url('opportunities'), {
        token: alice,
        body: {
          externalId,
          accountId: us.id,
          name: 'Acme — platform 2027',
          closeDate: '2026-12-31',
          lines: [
            // 3 × 33.335 = 100.005 → 100.01 (half-up)
            {
              productId: platform.id,
              quantity: '3',
              unitPrice: '33.335',
              termMonths: 12,
              startDate: '2027-01-01',
            },
            // 2.5 × 19.99 × 0.85 = 42.47875 → 42.48
            {
              productId: onboarding.id,
              quantity: '2.50',
              unitPrice: '19.990000',
              discountPercent: '15.0',
              termMonths: 1,
              startDate: '2028-02-29',
            },
          ],
        },
      });
      expectStatus(res, 201);
      // Summing unrounded totals would give 142.48; the amount is the sum of what each line shows.
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        externalId,
        accountId: us.id,
        legalEntity: 'US01',
        name: 'Acme — platform 2027',
        stage: 'prospecting',
        closeDate: '2026-12-31',
        currency: 'USD',
        amount: '142.49',
        lines: [
          {
            id: expect.stringMatching(UUID) as unknown,
            productId: platform.id,
            quantity: '3',
            unitPrice: '33.335',
            discountPercent: '0',
            termMonths: 12,
            startDate: '2027-01-01',
            totalPrice: '100.01',
          },
          {
            id: expect.stringMatching(UUID) as unknown,
            productId: onboarding.id,
            quantity: '2.5',
            unitPrice: '19.99',
            discountPercent: '15',
            termMonths: 1,
            startDate: '2028-02-29',
            totalPrice: '42.48',
          },
        ],
        billingStatus: { status: 'not_started' },
        stageHistory: [
          { stage: 'prospecting', changedAt: res.body.createdAt, changedBy: 'alice@example.com' },
        ],
        version: 1,
        createdAt: expect.stringMatching(ISO_INSTANT) as unknown,
        updatedAt: res.body.createdAt,
      });
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(new URL(res.headers.get('location') ?? '', crm.url('opportunities')).pathname).toBe(
        `/crm/v1/opportunities/${res.body.id}`,
      );

      const read = await http<OpportunityResponse>('GET', crm.url(`opportunities/${res.body.id}`), {
        token: readOnly,
      });
      expectStatus(read, 200);
      expect(read.body).toEqual(res.body);
      expect(read.headers.get('etag')).toBe('"v1"');

      const stored = await snapshot(res.body.id);
      expect(stored.opportunity).toMatchObject({
        stage: 'prospecting',
        currency: 'USD',
        amount: '142.4900',
        version: 1,
        billing_status: { status: 'not_started' },
      });
      expect(stored.lines).toEqual([
        expect.objectContaining({
          position: 0,
          quantity: '3.000000',
          unit_price: '33.335000',
          discount_percent: '0.0000',
          total_price: '100.0100',
        }),
        expect.objectContaining({
          position: 1,
          quantity: '2.500000',
          unit_price: '19.990000',
          discount_percent: '15.0000',
          total_price: '42.4800',
        }),
      ]);
      expect(stored.changes).toEqual([
        expect.objectContaining({ stage: 'prospecting', changed_by: 'alice@example.com' }),
      ]);
      expect(await outbox(res.body.id)).toEqual([]);
    });

    it('rounds to whole yen for a JPY account', async () => {
      const opp = await crm.createOpportunity(rw, {
        accountId: jp.id,
        lines: [
          // 3 × 333.5 = 1000.5 → 1001
          line({ quantity: '3', unitPrice: '333.5' }),
          // 999 × 0.875 = 874.125 → 874
          line({
            productId: onboarding.id,
            quantity: '1',
            unitPrice: '999',
            discountPercent: '12.5',
          }),
        ],
      });
      expect(opp).toMatchObject({ currency: 'JPY', legalEntity: 'JP01', amount: '1875' });
      expect(opp.lines.map((l) => l.totalPrice)).toEqual(['1001', '874']);
      expect(
        (await http('GET', crm.url(`opportunities/${opp.id}`), { token: readOnly })).body,
      ).toEqual(opp);
    });

    it('rounds to three decimals for a KWD account', async () => {
      const opp = await crm.createOpportunity(rw, {
        accountId: kw.id,
        currency: 'KWD',
        lines: [
          line({ quantity: '1', unitPrice: '1.23456' }),
          line({ quantity: '3', unitPrice: '0.3335' }),
        ],
      });
      expect(opp.lines.map((l) => l.totalPrice)).toEqual(['1.235', '1.001']);
      expect(opp.amount).toBe('2.236');
    });

    it('accepts the boundaries: tiny quantity, zero price, full discount, 120 months, no lines', async () => {
      const edge = await open({
        lines: [
          line({ quantity: '0.000001', unitPrice: '0', discountPercent: '100', termMonths: 120 }),
          line({ discountPercent: '100.0000', termMonths: 1 }),
        ],
      });
      expect(edge.amount).toBe('0.00');
      expect(
        edge.lines.map((l) => [l.quantity, l.unitPrice, l.discountPercent, l.totalPrice]),
      ).toEqual([
        ['0.000001', '0', '100', '0.00'],
        ['10', '1200', '100', '0.00'],
      ]);
      const empty = await open({ lines: [] });
      expect(empty).toMatchObject({ amount: '0.00', lines: [] });
      expect(empty.closeDate).toBeUndefined();
    });

    const badBodies: [string, (b: Record<string, unknown>) => unknown, string][] = [
      ['accountId missing', ({ accountId: _omit, ...b }) => b, '/accountId'],
      ['accountId not a UUID', (b) => ({ ...b, accountId: 'ACME-001' }), '/accountId'],
      ['name missing', ({ name: _omit, ...b }) => b, '/name'],
      ['name empty', (b) => ({ ...b, name: '' }), '/name'],
      ['lines missing', ({ lines: _omit, ...b }) => b, '/lines'],
      ['lines not an array', (b) => ({ ...b, lines: line() }), '/lines'],
      [
        'more than 200 lines',
        (b) => ({ ...b, lines: Array.from({ length: 201 }, () => line()) }),
        '/lines',
      ],
      ['a line that is null', (b) => ({ ...b, lines: [null] }), '/lines/0'],
      [
        'quantity in exponent form',
        (b) => ({ ...b, lines: [line({ quantity: '1e3' })] }),
        '/lines/0/quantity',
      ],
      [
        'quantity negative',
        (b) => ({ ...b, lines: [line({ quantity: '-1' })] }),
        '/lines/0/quantity',
      ],
      ['quantity zero', (b) => ({ ...b, lines: [line({ quantity: '0' })] }), '/lines/0/quantity'],
      [
        'quantity 0.000',
        (b) => ({ ...b, lines: [line({ quantity: '0.000' })] }),
        '/lines/0/quantity',
      ],
      [
        'quantity with 7 decimals',
        (b) => ({ ...b, lines: [line({ quantity: '1.1234567' })] }),
        '/lines/0/quantity',
      ],
      [
        'quantity as a number',
        (b) => ({ ...b, lines: [line({ quantity: 10 })] }),
        '/lines/0/quantity',
      ],
      [
        'quantity with spaces',
        (b) => ({ ...b, lines: [line({ quantity: ' 10' })] }),
        '/lines/0/quantity',
      ],
      [
        'unitPrice negative',
        (b) => ({ ...b, lines: [line({ unitPrice: '-5' })] }),
        '/lines/0/unitPrice',
      ],
      [
        'unitPrice in exponent form',
        (b) => ({ ...b, lines: [line({ unitPrice: '1e3' })] }),
        '/lines/0/unitPrice',
      ],
      [
        'unitPrice with a thousands separator',
        (b) => ({ ...b, lines: [line({ unitPrice: '1,200.00' })] }),
        '/lines/0/unitPrice',
      ],
      [
        'unitPrice with 7 decimals',
        (b) => ({ ...b, lines: [line({ unitPrice: '0.0000001' })] }),
        '/lines/0/unitPrice',
      ],
      [
        'unitPrice missing',
        (b) => ({ ...b, lines: [line({ unitPrice: undefined })] }),
        '/lines/0/unitPrice',
      ],
      [
        'discount 101',
        (b) => ({ ...b, lines: [line({ discountPercent: '101' })] }),
        '/lines/0/discountPercent',
      ],
      [
        'discount just over 100',
        (b) => ({ ...b, lines: [line({ discountPercent: '100.0001' })] }),
        '/lines/0/discountPercent',
      ],
      [
        'discount negative',
        (b) => ({ ...b, lines: [line({ discountPercent: '-1' })] }),
        '/lines/0/discountPercent',
      ],
      [
        'discount with 5 decimals',
        (b) => ({ ...b, lines: [line({ discountPercent: '12.34567' })] }),
        '/lines/0/discountPercent',
      ],
      ['termMonths 0', (b) => ({ ...b, lines: [line({ termMonths: 0 })] }), '/lines/0/termMonths'],
      [
        'termMonths 121',
        (b) => ({ ...b, lines: [line({ termMonths: 121 })] }),
        '/lines/0/termMonths',
      ],
      [
        'termMonths as a string',
        (b) => ({ ...b, lines: [line({ termMonths: '12' })] }),
        '/lines/0/termMonths',
      ],
      [
        'termMonths fractional',
        (b) => ({ ...b, lines: [line({ termMonths: 1.5 })] }),
        '/lines/0/termMonths',
      ],
      [
        'startDate 2026-02-30',
        (b) => ({ ...b, lines: [line({ startDate: '2026-02-30' })] }),
        '/lines/0/startDate',
      ],
      [
        'startDate 29 February of a common year',
        (b) => ({ ...b, lines: [line({ startDate: '2027-02-29' })] }),
        '/lines/0/startDate',
      ],
      [
        'startDate without zero padding',
        (b) => ({ ...b, lines: [line({ startDate: '2027-1-1' })] }),
        '/lines/0/startDate',
      ],
      [
        'startDate with a time',
        (b) => ({ ...b, lines: [line({ startDate: '2027-01-01T00:00:00Z' })] }),
        '/lines/0/startDate',
      ],
      [
        'startDate missing',
        (b) => ({ ...b, lines: [line({ startDate: undefined })] }),
        '/lines/0/startDate',
      ],
      [
        'productId not a UUID',
        (b) => ({ ...b, lines: [line({ productId: 'PLAT' })] }),
        '/lines/0/productId',
      ],
      [
        'unknown field in a line',
        (b) => ({ ...b, lines: [line(), line({ taxCode: 'X' })] }),
        '/lines/1/taxCode',
      ],
      ['closeDate 2026-04-31', (b) => ({ ...b, closeDate: '2026-04-31' }), '/closeDate'],
      ['closeDate month 13', (b) => ({ ...b, closeDate: '2026-13-01' }), '/closeDate'],
      ['currency lower case', (b) => ({ ...b, currency: 'usd' }), '/currency'],
      ['currency not ISO 4217', (b) => ({ ...b, currency: 'US$' }), '/currency'],
      ['externalId with a space', (b) => ({ ...b, externalId: 'OPP 1' }), '/externalId'],
      ['stage (server-owned)', (b) => ({ ...b, stage: 'closed_won' }), '/stage'],
      ['amount (computed)', (b) => ({ ...b, amount: '1.00' }), '/amount'],
      ['unknown field', (b) => ({ ...b, owner: 'me' }), '/owner'],
    ];
    it.each(badBodies)(
      'rejects %s with VALIDATION_FAILED and writes nothing',
      async (_name, mutate, pointer) => {
        const before = await crm.counts();
        const res = await http('POST', crm.url('opportunities'), {
          token: rw,
          body: mutate(validBody()),
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await crm.counts()).toEqual(before);
      },
    );

    it('refuses totals too large to store with VALIDATION_FAILED, writing nothing', async () => {
      const before = await crm.counts();
      const huge = await http('POST', crm.url('opportunities'), {
        token: rw,
        body: {
          ...validBody(),
          lines: [line({ quantity: '999999999999', unitPrice: '999999999999999' })],
        },
      });
      expectProblem(huge, 400, 'VALIDATION_FAILED');
      expect(pointers(huge)).toEqual(['/lines/0']);
      const big = line({ quantity: '600000', unitPrice: '100000000000000' }); // 6e19 each: fits, the sum does not
      const sum = await http('POST', crm.url('opportunities'), {
        token: rw,
        body: { ...validBody(), lines: [big, big] },
      });
      expectProblem(sum, 400, 'VALIDATION_FAILED');
      expect(pointers(sum)).toEqual(['/lines']);
      expect(await crm.counts()).toEqual(before);
    });

    it('answers 422 for an unknown account, product, inactive product or another currency, writing nothing', async () => {
      const before = await crm.counts();
      const missing = randomUUID();
      expect(
        expectProblem(
          await http('POST', crm.url('opportunities'), {
            token: rw,
            body: { ...validBody(), accountId: missing },
          }),
          422,
          'CRM_ACCOUNT_NOT_FOUND',
        ).detail,
      ).toContain(missing);
      const noProduct = await http('POST', crm.url('opportunities'), {
        token: rw,
        body: { ...validBody(), lines: [line(), line({ productId: missing })] },
      });
      expect(expectProblem(noProduct, 422, 'CRM_PRODUCT_NOT_FOUND').detail).toContain('lines[1]');
      const inactive = await http('POST', crm.url('opportunities'), {
        token: rw,
        body: { ...validBody(), lines: [line({ productId: legacy.id })] },
      });
      expect(expectProblem(inactive, 422, 'CRM_PRODUCT_INACTIVE').detail).toContain(legacy.sku);
      const currency = await http('POST', crm.url('opportunities'), {
        token: rw,
        body: { ...validBody(), currency: 'EUR' },
      });
      expect(expectProblem(currency, 422, 'CRM_CURRENCY_MISMATCH').detail).toContain('USD');
      expect(await crm.counts()).toEqual(before);
      // The account's own currency, stated explicitly, is fine.
      expect((await open({ currency: 'USD' })).currency).toBe('USD');
    });

    it('refuses a taken externalId with 409 CRM_EXTERNAL_ID_TAKEN, writing nothing', async () => {
      const externalId = unique('OPP-DUP');
      await open({ externalId });
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('opportunities'), {
          token: rw,
          body: { ...validBody(), externalId },
        }),
        409,
        'CRM_EXTERNAL_ID_TAKEN',
      );
      expect(await crm.counts()).toEqual(before);
    });

    it('treats an account outside the token as unknown (422) and needs crm:write (403), writing nothing', async () => {
      const before = await crm.counts();
      expectProblem(
        await http('POST', crm.url('opportunities'), { token: de01, body: validBody() }),
        422,
        'CRM_ACCOUNT_NOT_FOUND',
      );
      expectProblem(
        await http('POST', crm.url('opportunities'), { token: readOnly, body: validBody() }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await crm.counts()).toEqual(before);
      const own = await crm.createOpportunity(de01, { accountId: de.id, lines: [line()] });
      expect(own).toMatchObject({ legalEntity: 'DE01', currency: 'EUR', amount: '12000.00' });
    });
  });

  describe('GET /opportunities/:id', () => {
    it('answers 400 for a non-UUID id, 404 for unknown or hidden ones, 403 without crm:read', async () => {
      const opp = await open();
      const bad = await http('GET', crm.url('opportunities/OPP-1'), { token: readOnly });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(pointers(bad)).toEqual(['id']);
      expectProblem(
        await http('GET', crm.url(`opportunities/${randomUUID()}`), { token: readOnly }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await http('GET', crm.url(`opportunities/${opp.id}`), { token: de01 }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await http('GET', crm.url(`opportunities/${opp.id}`), { token: t.token(['crm:write']) }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
    });
  });

  describe('GET /opportunities', () => {
    let account: AccountResponse;
    let created: OpportunityResponse[];

    beforeAll(async () => {
      account = await crm.createAccount(rw, { legalName: 'Paged Inc.' });
      created = [];
      for (let i = 0; i < 7; i++)
        created.push(
          await crm.createOpportunity(rw, {
            accountId: account.id,
            name: `Paged ${i}`,
            lines: [line({ quantity: String(i + 1) })],
          }),
        );
    });

    it('pages with limit=3 through every item exactly once, in (updatedAt, id) order, with lines and history', async () => {
      const { items, pages } = await crm.walk<OpportunityResponse>(readOnly, 'opportunities', {
        accountId: account.id,
        limit: '3',
      });
      expect(pages).toBe(3);
      expect(items).toEqual(created);
      expect(inKeysetOrder(items)).toBe(true);

      const all = await crm.walk<OpportunityResponse>(readOnly, 'opportunities', { limit: '4' });
      const [{ n }] = await t.sql<{ n: number }>(
        'select count(*)::int as n from crm.opportunities',
      );
      expect(all.items).toHaveLength(n);
      expect(new Set(all.items.map((o) => o.id)).size).toBe(n);
      expect(inKeysetOrder(all.items)).toBe(true);
    });

    it('filters by stage, accountId and updatedSince', async () => {
      const [a, b] = [created[2], created[5]];
      const movedA = await stage(a.id, { stage: 'qualification' });
      const movedB = await stage(b.id, { stage: 'qualification' });
      expectStatus(movedA, 200);
      expectStatus(movedB, 200);

      const qualified = await http<Page<OpportunityResponse>>(
        'GET',
        `${crm.url('opportunities')}?stage=qualification&accountId=${account.id}`,
        { token: readOnly },
      );
      expect(qualified.body).toEqual({ data: [movedA.body, movedB.body], nextCursor: null });
      const prospecting = await http<Page<OpportunityResponse>>(
        'GET',
        `${crm.url('opportunities')}?stage=prospecting&accountId=${account.id}`,
        { token: readOnly },
      );
      expect(prospecting.body.data.map((o) => o.id)).toEqual(
        created.filter((o) => o.id !== a.id && o.id !== b.id).map((o) => o.id),
      );

      const since = await http<Page<OpportunityResponse>>(
        'GET',
        `${crm.url('opportunities')}?updatedSince=${encodeURIComponent(movedA.body.updatedAt)}`,
        { token: readOnly },
      );
      expect(since.body.data.map((o) => o.id)).toEqual([a.id, b.id]);
    });

    it('lists only the legal entities of the token', async () => {
      const german = await crm.createOpportunity(rw, { accountId: de.id, lines: [] });
      const { items } = await crm.walk<OpportunityResponse>(de01, 'opportunities', {
        limit: '200',
      });
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((o) => o.legalEntity === 'DE01')).toBe(true);
      expect(items.map((o) => o.id)).toContain(german.id);
      const hidden = await http<Page<OpportunityResponse>>(
        'GET',
        `${crm.url('opportunities')}?accountId=${account.id}`,
        { token: de01 },
      );
      expect(hidden.body).toEqual({ data: [], nextCursor: null });
      const none = await http<Page<OpportunityResponse>>('GET', crm.url('opportunities'), {
        token: t.token(['crm:read'], { legalEntities: [] }),
      });
      expectStatus(none, 200);
      expect(none.body).toEqual({ data: [], nextCursor: null });
    });

    const badQueries: [string, string, string][] = [
      ['an unknown stage', 'stage=won', 'stage'],
      ['accountId not a UUID', 'accountId=ACME', 'accountId'],
      ['limit=0', 'limit=0', 'limit'],
      ['limit=201', 'limit=201', 'limit'],
      ['a bad cursor', 'cursor=!!', 'cursor'],
      [
        'a cursor that is not ours',
        `cursor=${Buffer.from('[1,2]').toString('base64url')}`,
        'cursor',
      ],
      ['a bad updatedSince', 'updatedSince=2026-02-30', 'updatedSince'],
      ['an unknown parameter', 'legalEntity=US01', 'legalEntity'],
    ];
    it.each(badQueries)('rejects %s with 400 VALIDATION_FAILED', async (_name, query, param) => {
      const res = await http('GET', `${crm.url('opportunities')}?${query}`, { token: readOnly });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pointers(res).some((p) => p.replace(/^\//, '') === param)).toBe(true);
    });
  });

  describe('PUT /opportunities/:id/lines', () => {
    const put = (
      id: string,
      body: unknown,
      options: { token?: string; ifMatch?: string } = {},
    ): Promise<JsonResponse<OpportunityResponse>> =>
      http<OpportunityResponse>('PUT', crm.url(`opportunities/${id}/lines`), {
        token: options.token ?? rw,
        body,
        headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
      });

    it('replaces the lines with the current ETag, recomputes the amount and bumps the ETag', async () => {
      const opp = await open({ lines: [line(), line({ productId: onboarding.id })] });
      const read = await http('GET', crm.url(`opportunities/${opp.id}`), { token: rw });
      const etag = read.headers.get('etag') ?? '';
      const res = await put(
        opp.id,
        { lines: [line({ quantity: '7', unitPrice: '14.285', discountPercent: '0.5' })] },
        { ifMatch: etag },
      );
      expectStatus(res, 200);
      expect(res.headers.get('etag')).toBe('"v2"');
      // 7 × 14.285 × 0.995 = 99.495075 → 99.50
      expect(res.body).toEqual({
        ...opp,
        amount: '99.50',
        lines: [
          {
            id: expect.stringMatching(UUID) as unknown,
            productId: platform.id,
            quantity: '7',
            unitPrice: '14.285',
            discountPercent: '0.5',
            termMonths: 12,
            startDate: '2027-01-01',
            totalPrice: '99.50',
          },
        ],
        version: 2,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(opp.lines.map((l) => l.id)).not.toContain(res.body.lines[0]?.id);
      expect((await http('GET', crm.url(`opportunities/${opp.id}`), { token: rw })).body).toEqual(
        res.body,
      );
      const stored = await snapshot(opp.id);
      expect(stored.lines).toHaveLength(1);
      expect(stored.opportunity).toMatchObject({
        amount: '99.5000',
        version: 2,
        stage: 'prospecting',
      });

      const before = await snapshot(opp.id);
      const stale = await put(opp.id, { lines: [line()] }, { ifMatch: etag });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect((stale.body as unknown as ProblemBody).currentETag).toBe('"v2"');
      expectProblem(
        await put(opp.id, { lines: [line()] }, { ifMatch: 'v2' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await snapshot(opp.id)).toEqual(before);

      const cleared = await put(opp.id, { lines: [] }, { ifMatch: '"v2"' });
      expectStatus(cleared, 200);
      expect(cleared.body).toMatchObject({ amount: '0.00', lines: [], version: 3 });
    });

    const badLines: [string, () => unknown, string][] = [
      ['lines missing', () => ({}), '/lines'],
      ['lines null', () => ({ lines: null }), '/lines'],
      ['quantity zero', () => ({ lines: [line({ quantity: '0' })] }), '/lines/0/quantity'],
      [
        'quantity in exponent form',
        () => ({ lines: [line({ quantity: '1e3' })] }),
        '/lines/0/quantity',
      ],
      [
        'discount 101',
        () => ({ lines: [line({ discountPercent: '101' })] }),
        '/lines/0/discountPercent',
      ],
      [
        'startDate 2026-02-30',
        () => ({ lines: [line({ startDate: '2026-02-30' })] }),
        '/lines/0/startDate',
      ],
      ['unknown field', () => ({ lines: [line()], amount: '5' }), '/amount'],
    ];
    it.each(badLines)(
      'rejects %s with VALIDATION_FAILED and changes nothing',
      async (_name, body, pointer) => {
        const opp = await open();
        const before = await snapshot(opp.id);
        const res = await put(opp.id, body(), { ifMatch: '"v1"' });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await snapshot(opp.id)).toEqual(before);
      },
    );

    it('answers 422 for unknown or inactive products and 404/400/403 for the id and scope, changing nothing', async () => {
      const opp = await open();
      const before = await snapshot(opp.id);
      expectProblem(
        await put(opp.id, { lines: [line({ productId: randomUUID() })] }),
        422,
        'CRM_PRODUCT_NOT_FOUND',
      );
      expectProblem(
        await put(opp.id, { lines: [line(), line({ productId: legacy.id })] }),
        422,
        'CRM_PRODUCT_INACTIVE',
      );
      expectProblem(
        await put(opp.id, { lines: [line()] }, { token: de01 }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await put(opp.id, { lines: [line()] }, { token: readOnly }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(await put(randomUUID(), { lines: [line()] }), 404, 'CRM_OPPORTUNITY_NOT_FOUND');
      expectProblem(await put('nope', { lines: [line()] }), 400, 'VALIDATION_FAILED');
      expect(await snapshot(opp.id)).toEqual(before);
    });

    it('refuses to change the lines of a closed opportunity (409 CRM_OPPORTUNITY_CLOSED)', async () => {
      const won = await open();
      expectStatus(await stage(won.id, { stage: 'closed_won' }), 200);
      const lost = await open();
      expectStatus(await stage(lost.id, { stage: 'closed_lost' }), 200);
      for (const id of [won.id, lost.id]) {
        const before = await snapshot(id);
        expectProblem(
          await put(id, { lines: [line({ quantity: '1' })] }),
          409,
          'CRM_OPPORTUNITY_CLOSED',
        );
        expect(await snapshot(id)).toEqual(before);
      }
    });
  });

  describe('POST /opportunities/:id/stage', () => {
    it('walks the pipeline with If-Match, records who moved it, and emits exactly one closed_won event', async () => {
      const opp = await crm.createOpportunity(alice, { ...validBody(), closeDate: '2026-12-15' });
      let etag = '"v1"';
      let last = opp;
      for (const next of ['qualification', 'proposal', 'negotiation'] as const) {
        const res = await stage(opp.id, { stage: next }, { token: alice, ifMatch: etag });
        expectStatus(res, 200);
        etag = res.headers.get('etag') ?? '';
        last = res.body;
      }
      expect(etag).toBe('"v4"');
      expect(await outbox(opp.id)).toEqual([]);

      const correlationId = `deal-${randomUUID()}`;
      const won = await stage(
        opp.id,
        { stage: 'closed_won' },
        { token: alice, ifMatch: etag, correlationId },
      );
      expectStatus(won, 200);
      expect(won.headers.get('etag')).toBe('"v5"');
      expect(won.headers.get('x-correlation-id')).toBe(correlationId);
      expect(won.body).toEqual({
        ...last,
        stage: 'closed_won',
        closeDate: '2026-12-15',
        stageHistory: [
          ...last.stageHistory,
          {
            stage: 'closed_won',
            changedAt: expect.stringMatching(ISO_INSTANT) as unknown,
            changedBy: 'alice@example.com',
          },
        ],
        version: 5,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect(won.body.stageHistory.map((c) => [c.stage, c.changedBy])).toEqual([
        ['prospecting', 'alice@example.com'],
        ['qualification', 'alice@example.com'],
        ['proposal', 'alice@example.com'],
        ['negotiation', 'alice@example.com'],
        ['closed_won', 'alice@example.com'],
      ]);
      // Changes made within one millisecond still read back in the order they were made.
      const times = won.body.stageHistory.map((c) => Date.parse(c.changedAt));
      expect(times.every((time, i) => i === 0 || time > (times[i - 1] ?? 0))).toBe(true);
      expect((await http('GET', crm.url(`opportunities/${opp.id}`), { token: rw })).body).toEqual(
        won.body,
      );

      const events = await outbox(opp.id);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({
        type: 'crm.opportunity.closed_won.v1',
        subject: opp.id,
        correlation_id: correlationId,
        published_at: null,
      });
      expect(event.envelope).toEqual({
        id: event.id,
        type: 'crm.opportunity.closed_won.v1',
        source: 'revgate/system-crm',
        subject: opp.id,
        time: expect.stringMatching(ISO_INSTANT) as unknown,
        correlationId,
        data: won.body,
      });

      // Winning again is a no-op: same body, same version, no second event.
      const again = await stage(opp.id, { stage: 'closed_won' }, { ifMatch: '"v5"' });
      expectStatus(again, 200);
      expect(again.body).toEqual(won.body);
      expect(again.headers.get('etag')).toBe('"v5"');
      expect(await outbox(opp.id)).toHaveLength(1);

      // A closed deal stays closed.
      const before = await snapshot(opp.id);
      for (const next of ['closed_lost', 'negotiation', 'prospecting']) {
        expectProblem(await stage(opp.id, { stage: next }), 409, 'CRM_OPPORTUNITY_CLOSED');
      }
      expect(await snapshot(opp.id)).toEqual(before);
    });

    it('refuses to win an opportunity without lines (422) and writes no event, history or version', async () => {
      const opp = await open({ lines: [] });
      const before = await snapshot(opp.id);
      expectProblem(
        await stage(opp.id, { stage: 'closed_won' }, { ifMatch: '"v1"' }),
        422,
        'CRM_OPPORTUNITY_HAS_NO_LINES',
      );
      expect(await snapshot(opp.id)).toEqual(before);
      expect(await outbox(opp.id)).toEqual([]);
    });

    it('sets the close date to today when a deal without one is lost', async () => {
      const opp = await open();
      expect(opp.closeDate).toBeUndefined();
      const lost = await stage(opp.id, { stage: 'closed_lost' });
      expectStatus(lost, 200);
      const changedAt = lost.body.stageHistory[1]?.changedAt ?? '';
      expect(lost.body).toMatchObject({
        stage: 'closed_lost',
        closeDate: changedAt.slice(0, 10),
        version: 2,
      });
      expect(await outbox(opp.id)).toEqual([]);
      expectProblem(await stage(opp.id, { stage: 'closed_won' }), 409, 'CRM_OPPORTUNITY_CLOSED');
    });

    it('rejects bad bodies, stale or garbage ETags, unknown or hidden ids and read-only tokens, changing nothing', async () => {
      const opp = await open();
      const before = await snapshot(opp.id);
      for (const body of [
        { stage: 'won' },
        {},
        { stage: 'closed_won', reason: 'x' },
        { stage: null },
      ]) {
        expectProblem(await stage(opp.id, body), 400, 'VALIDATION_FAILED');
      }
      expect(pointers(await stage(opp.id, { stage: 'won' }))).toEqual(['/stage']);
      expectProblem(
        await stage(opp.id, { stage: 'closed_won' }, { ifMatch: '"v9"' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await stage(opp.id, { stage: 'closed_won' }, { ifMatch: 'not-an-etag' }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await stage(opp.id, { stage: 'closed_won' }, { token: de01 }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await stage(opp.id, { stage: 'closed_won' }, { token: readOnly }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await stage(randomUUID(), { stage: 'closed_won' }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(await stage('x', { stage: 'closed_won' }), 400, 'VALIDATION_FAILED');
      expect(await snapshot(opp.id)).toEqual(before);
    });

    it('lets exactly one of two concurrent stage changes with the same If-Match through', async () => {
      const opp = await open();
      const results = await Promise.all([
        stage(opp.id, { stage: 'qualification' }, { ifMatch: '"v1"' }),
        stage(opp.id, { stage: 'proposal' }, { ifMatch: '"v1"' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200);
      const loser = results.find((r) => r.status === 412);
      if (!winner || !loser) throw new Error('expected a winner and a loser');
      expectProblem(loser, 412, 'PRECONDITION_FAILED');
      const stored = await snapshot(opp.id);
      expect(stored.opportunity).toMatchObject({ stage: winner.body.stage, version: 2 });
      expect(stored.changes).toHaveLength(2);
    });

    it('emits one event when two clients win the same deal at once', async () => {
      const opp = await open();
      const results = await Promise.all(
        [1, 2].map(() => stage(opp.id, { stage: 'closed_won' }, { ifMatch: '"v1"' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      expect(await outbox(opp.id)).toHaveLength(1);
      expect((await snapshot(opp.id)).changes).toHaveLength(2);
    });
  });

  describe('PATCH /opportunities/:id/billing-status', () => {
    const patch = (
      id: string,
      body: unknown,
      options: { token?: string; ifMatch?: string } = {},
    ): Promise<JsonResponse<OpportunityResponse>> =>
      http<OpportunityResponse>('PATCH', crm.url(`opportunities/${id}/billing-status`), {
        token: options.token ?? rw,
        body,
        headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
      });

    it('refuses a write-back on an opportunity that is not won (409 CRM_OPPORTUNITY_NOT_WON)', async () => {
      const openOpp = await open();
      const lost = await open();
      expectStatus(await stage(lost.id, { stage: 'closed_lost' }), 200);
      for (const id of [openOpp.id, lost.id]) {
        const before = await snapshot(id);
        expectProblem(await patch(id, { status: 'pending' }), 409, 'CRM_OPPORTUNITY_NOT_WON');
        expect(await snapshot(id)).toEqual(before);
      }
    });

    it('records the billing status of a won deal with If-Match, without emitting an event', async () => {
      const opp = await open();
      const won = await stage(opp.id, { stage: 'closed_won' });
      expectStatus(won, 200);
      const etag = won.headers.get('etag') ?? '';
      expect(etag).toBe('"v2"');
      const body = {
        status: 'active',
        subscriptionId: 'sub_123',
        invoiceId: 'in_456',
        erpInvoiceId: 'AR-2027-0001',
        detail: 'First invoice posted',
      };
      const res = await patch(opp.id, body, { ifMatch: etag });
      expectStatus(res, 200);
      expect(res.headers.get('etag')).toBe('"v3"');
      expect(res.body).toEqual({
        ...won.body,
        billingStatus: { ...body, updatedAt: expect.stringMatching(ISO_INSTANT) as unknown },
        version: 3,
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
      expect((await http('GET', crm.url(`opportunities/${opp.id}`), { token: rw })).body).toEqual(
        res.body,
      );
      expect((await snapshot(opp.id)).opportunity).toMatchObject({
        billing_status: { ...body, updatedAt: res.body.billingStatus.updatedAt },
        version: 3,
      });
      expect(await outbox(opp.id)).toHaveLength(1);

      const before = await snapshot(opp.id);
      expectProblem(
        await patch(opp.id, { status: 'failed' }, { ifMatch: etag }),
        412,
        'PRECONDITION_FAILED',
      );
      expectProblem(
        await patch(opp.id, { status: 'failed' }, { ifMatch: '"v3' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(await snapshot(opp.id)).toEqual(before);

      const failed = await patch(
        opp.id,
        { status: 'failed', detail: 'Card declined' },
        { ifMatch: '"v3"' },
      );
      expectStatus(failed, 200);
      // PATCH merges: the ids written earlier stay; the fields sent replace theirs.
      expect(failed.body.billingStatus).toEqual({
        ...body,
        status: 'failed',
        detail: 'Card declined',
        updatedAt: expect.stringMatching(ISO_INSTANT) as unknown,
      });
    });

    const badStatuses: [string, unknown, string][] = [
      ['status missing', {}, '/status'],
      ['status unknown', { status: 'done' }, '/status'],
      [
        'subscriptionId with a space',
        { status: 'active', subscriptionId: 'sub 1' },
        '/subscriptionId',
      ],
      ['invoiceId too long', { status: 'active', invoiceId: 'i'.repeat(101) }, '/invoiceId'],
      ['erpInvoiceId with a slash', { status: 'active', erpInvoiceId: 'AR/1' }, '/erpInvoiceId'],
      ['detail longer than 1000', { status: 'failed', detail: 'd'.repeat(1001) }, '/detail'],
      ['unknown field', { status: 'active', amount: '1' }, '/amount'],
    ];
    it.each(badStatuses)(
      'rejects %s with VALIDATION_FAILED and changes nothing',
      async (_name, body, pointer) => {
        const opp = await open();
        expectStatus(await stage(opp.id, { stage: 'closed_won' }), 200);
        const before = await snapshot(opp.id);
        const res = await patch(opp.id, body, { ifMatch: '"v2"' });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(pointers(res)).toContain(pointer);
        expect(await snapshot(opp.id)).toEqual(before);
      },
    );

    it('answers 400/404/403 for bad ids, hidden deals and read-only tokens', async () => {
      const opp = await open();
      expectStatus(await stage(opp.id, { stage: 'closed_won' }), 200);
      const before = await snapshot(opp.id);
      expectProblem(await patch('1', { status: 'active' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await patch(randomUUID(), { status: 'active' }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await patch(opp.id, { status: 'active' }, { token: de01 }),
        404,
        'CRM_OPPORTUNITY_NOT_FOUND',
      );
      expectProblem(
        await patch(opp.id, { status: 'active' }, { token: readOnly }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expect(await snapshot(opp.id)).toEqual(before);
    });
  });
});
