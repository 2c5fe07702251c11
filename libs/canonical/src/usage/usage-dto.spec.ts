import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { RatedUsageDto } from './rated-usage.dto';
import {
  MAX_USAGE_BATCH,
  UsageEventBatchDto,
  UsageEventDto,
  usagePropertiesProblem,
} from './usage-event.dto';
import { summarizeUsageEvents } from './usage-summary';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Every failing constraint as "<JSON pointer>:<constraint>". */
async function failures(cls: new () => object, plain: object): Promise<string[]> {
  const walk = (errors: ValidationError[], parent = ''): string[] =>
    errors.flatMap((e) => {
      const here = `${parent}/${e.property}`;
      return [
        ...Object.keys(e.constraints ?? {}).map((c) => `${here}:${c}`),
        ...walk(e.children ?? [], here),
      ];
    });
  return walk(await validate(plainToInstance(cls, plain), OPTIONS));
}

async function messages(cls: new () => object, plain: object): Promise<string[]> {
  const flat = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flat(e.children ?? [])]);
  return flat(await validate(plainToInstance(cls, plain), OPTIONS));
}

const sorted = (list: string[]): string[] => [...list].sort();

const event = {
  id: 'evt_01J9ZQ8K7M2X4T6V8N0P3R5S7U',
  subscriptionId: 'sub_3f2a9c',
  meterCode: 'api_calls',
  quantity: '1250',
  timestamp: '2026-01-15T10:30:00Z',
  properties: { region: 'eu-west-1', endpoint: '/v1/orders', cached: false, latencyMs: 12.5 },
};

describe('UsageEventDto', () => {
  it.each([
    event,
    { ...event, subscriptionId: undefined, customerId: 'ACME-001' },
    { ...event, customerId: 'ACME-001' },
    { ...event, properties: undefined },
    { ...event, properties: {} },
    { ...event, quantity: '0' },
    { ...event, quantity: '0.0000000001' },
    { ...event, timestamp: '2026-01-15T05:30:00.123456-05:00' },
    { ...event, meterCode: 'storage.gb_hours' },
    { ...event, id: '3f1c1e0e-5d0a-4c8e-9a59-0f3b2a1c9d7e' },
  ])('accepts %j', async (plain) => {
    expect(await failures(UsageEventDto, plain)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['no id', { id: undefined }, ['/id:matches']],
    ['an id with spaces', { id: 'evt 1' }, ['/id:matches']],
    ['an id too long', { id: 'e'.repeat(129) }, ['/id:matches']],
    [
      'neither subscription nor customer',
      { subscriptionId: undefined },
      ['/subscriptionId:isDefined', '/subscriptionId:matches'],
    ],
    [
      'a null subscription',
      { subscriptionId: null },
      ['/subscriptionId:isDefined', '/subscriptionId:matches'],
    ],
    ['a customer with symbols', { customerId: 'ACME 001' }, ['/customerId:matches']],
    ['a meter code in capitals', { meterCode: 'API_CALLS' }, ['/meterCode:matches']],
    ['a negative quantity', { quantity: '-1' }, ['/quantity:matches']],
    ['a quantity as a JSON number', { quantity: 1250 }, ['/quantity:matches']],
    ['a quantity in exponent form', { quantity: '1e3' }, ['/quantity:matches']],
    ['a quantity with 11 decimals', { quantity: '0.00000000001' }, ['/quantity:matches']],
    [
      'a timestamp without an offset',
      { timestamp: '2026-01-15T10:30:00' },
      ['/timestamp:isInstant'],
    ],
    ['a timestamp that is a date', { timestamp: '2026-01-15' }, ['/timestamp:isInstant']],
    [
      'a timestamp on a day that does not exist',
      { timestamp: '2026-02-29T00:00:00Z' },
      ['/timestamp:isInstant'],
    ],
    ['a timestamp as epoch milliseconds', { timestamp: 1768473000000 }, ['/timestamp:isInstant']],
    ['properties that are a list', { properties: ['eu'] }, ['/properties:isUsageProperties']],
    ['properties that are null', { properties: null }, ['/properties:isUsageProperties']],
    [
      'a nested property',
      { properties: { geo: { region: 'eu' } } },
      ['/properties:isUsageProperties'],
    ],
    ['a null property', { properties: { region: null } }, ['/properties:isUsageProperties']],
    [
      'a property key with spaces',
      { properties: { 'the region': 'eu' } },
      ['/properties:isUsageProperties'],
    ],
    [
      'a property value too long',
      { properties: { note: 'x'.repeat(257) } },
      ['/properties:isUsageProperties'],
    ],
    [
      'too many properties',
      { properties: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      ['/properties:isUsageProperties'],
    ],
    [
      'properties over 4 KiB',
      {
        properties: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`k${i}`, 'é'.repeat(120)]),
        ),
      },
      ['/properties:isUsageProperties'],
    ],
    [
      'an unknown field',
      { receivedAt: '2026-01-15T10:30:00Z' },
      ['/receivedAt:whitelistValidation'],
    ],
  ])('refuses %s', async (_name, change, expected) => {
    expect(sorted(await failures(UsageEventDto, { ...event, ...change }))).toEqual(
      sorted(expected),
    );
  });

  it('says what is wrong with the properties', async () => {
    expect(await messages(UsageEventDto, { ...event, properties: { region: null } })).toEqual([
      'properties.region must be a string, a number or a boolean',
    ]);
    expect(
      await messages(UsageEventDto, { ...event, subscriptionId: undefined, customerId: undefined }),
    ).toContain(
      'subscriptionId or customerId is required: the subscription or the customer the usage belongs to',
    );
  });

  it('bounds properties by keys, values and bytes', () => {
    const at = (n: number, value: string): Record<string, string> =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`k${String(i).padStart(2, '0')}`, value]),
      );
    expect(usagePropertiesProblem(at(32, 'x'))).toBeUndefined();
    expect(usagePropertiesProblem(at(33, 'x'))).toBe('properties must have at most 32 keys');
    expect(usagePropertiesProblem({ k: 'x'.repeat(256) })).toBeUndefined();
    expect(usagePropertiesProblem({ k: Number.NaN })).toBe('properties.k must be a finite number');
    expect(usagePropertiesProblem({ ['k'.repeat(41)]: 1 })).toMatch(/^properties key/);
    expect(usagePropertiesProblem(JSON.parse('{"__proto__": "x"}'))).toMatch(/^properties key/);
    // 16 values of 250 ASCII characters: 16 × 258 ("k00":"…") + 15 commas + 2 braces = 4145 bytes.
    expect(usagePropertiesProblem(at(16, 'x'.repeat(250)))).toBe(
      'properties must be at most 4096 bytes as JSON',
    );
    expect(usagePropertiesProblem(at(15, 'x'.repeat(250)))).toBeUndefined();
  });
});

describe('UsageEventBatchDto', () => {
  const many = (n: number): object[] =>
    Array.from({ length: n }, (_, i) => ({ ...event, id: `evt_${i}` }));

  it('accepts 1 to 1000 events', async () => {
    expect(await failures(UsageEventBatchDto, { events: many(1) })).toEqual([]);
    expect(await failures(UsageEventBatchDto, { events: many(MAX_USAGE_BATCH) })).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['no events', { events: [] }, ['/events:arrayMinSize']],
    ['1001 events', { events: many(1001) }, ['/events:arrayMaxSize']],
    ['no list', {}, ['/events:isArray', '/events:arrayMinSize', '/events:arrayMaxSize']],
    [
      'an id twice',
      { events: [...many(3), { ...event, id: 'evt_1' }] },
      ['/events:uniqueEventIds'],
    ],
    [
      'a bad event among good ones',
      { events: [...many(2), { ...event, id: 'evt_9', quantity: '-3' }] },
      ['/events/2/quantity:matches'],
    ],
    ['an event that is not an object', { events: ['evt_1'] }, ['/events/0:nestedValidation']],
  ])('refuses %s', async (_name, plain, expected) => {
    expect(sorted(await failures(UsageEventBatchDto, plain))).toEqual(sorted(expected));
  });

  it('names the repeated ids', async () => {
    expect(
      await messages(UsageEventBatchDto, {
        events: [
          ...many(3),
          { ...event, id: 'evt_1' },
          { ...event, id: 'evt_1' },
          { ...event, id: 'evt_0' },
        ],
      }),
    ).toEqual(['events must have distinct ids; repeated: evt_1, evt_0']);
  });
});

const ledger = [
  { id: 'evt_0001', quantity: '1000' },
  { id: 'evt_0002', quantity: '200.5' },
  { id: 'evt_0003', quantity: '50' },
];
const summary = summarizeUsageEvents(ledger);
const rated = {
  id: '0b7f3c1e-8d2a-4f6b-9c3e-5a1d7e9f2b4c',
  subscriptionId: 'sub_3f2a9c',
  meterCode: 'api_calls',
  period: { start: '2026-01-01', end: '2026-02-01' },
  quantity: summary.quantity,
  source: {
    eventCount: summary.eventCount,
    firstEventId: summary.firstEventId,
    lastEventId: summary.lastEventId,
    checksum: summary.checksum,
  },
  priceId: 'price_api_calls_tiered',
  amount: { amount: '12.51', currency: 'USD' },
  ratedAt: '2026-02-01T00:05:00Z',
};

describe('RatedUsageDto', () => {
  it.each([
    rated,
    { ...rated, amount: { amount: '1251', currency: 'JPY' } },
    { ...rated, amount: { amount: '0.000', currency: 'KWD' } },
    { ...rated, source: { ...rated.source, eventCount: 1, lastEventId: 'evt_0001' } },
  ])('accepts %j', async (plain) => {
    expect(await failures(RatedUsageDto, plain)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['an id that is no UUID', { id: 'rated-1' }, ['/id:isUuid']],
    ['no subscription', { subscriptionId: undefined }, ['/subscriptionId:matches']],
    ['a bad meter code', { meterCode: 'API CALLS' }, ['/meterCode:matches']],
    [
      'an empty period',
      { period: { start: '2026-01-01', end: '2026-01-01' } },
      ['/period/end:endsAfterStart'],
    ],
    [
      'a period that is a string',
      { period: '2026-01' },
      ['/period:isObject', '/period:nestedValidation'],
    ],
    ['a negative quantity', { quantity: '-1' }, ['/quantity:matches']],
    ['no source', { source: undefined }, ['/source:isObject']],
    ['no event', { source: { ...rated.source, eventCount: 0 } }, ['/source/eventCount:min']],
    [
      'a fractional event count',
      { source: { ...rated.source, eventCount: 2.5 } },
      ['/source/eventCount:isInt'],
    ],
    [
      'a last event before the first',
      { source: { ...rated.source, firstEventId: 'evt_0003', lastEventId: 'evt_0001' } },
      ['/source/lastEventId:isEventRange'],
    ],
    [
      'one id for several events',
      { source: { ...rated.source, lastEventId: 'evt_0001' } },
      ['/source/lastEventId:isEventRange'],
    ],
    [
      'two ids for one event',
      { source: { ...rated.source, eventCount: 1 } },
      ['/source/lastEventId:isEventRange'],
    ],
    [
      'a checksum in capitals',
      { source: { ...rated.source, checksum: summary.checksum.toUpperCase() } },
      ['/source/checksum:matches'],
    ],
    [
      'a short checksum',
      { source: { ...rated.source, checksum: 'abc' } },
      ['/source/checksum:matches'],
    ],
    ['no price', { priceId: '' }, ['/priceId:matches']],
    [
      'a negative amount',
      { amount: { amount: '-12.51', currency: 'USD' } },
      ['/amount:roundedMoney'],
    ],
    [
      'an unrounded amount',
      { amount: { amount: '12.505', currency: 'USD' } },
      ['/amount:roundedMoney'],
    ],
    [
      'decimals in yen',
      { amount: { amount: '1251.5', currency: 'JPY' } },
      ['/amount:roundedMoney'],
    ],
    [
      'a currency that does not exist',
      { amount: { amount: '12.51', currency: 'XYZ' } },
      ['/amount:roundedMoney'],
    ],
    [
      'an amount as a number',
      { amount: { amount: 12.51, currency: 'USD' } },
      ['/amount/amount:matches'],
    ],
    [
      'an amount as a string',
      { amount: '12.51 USD' },
      ['/amount:isObject', '/amount:nestedValidation'],
    ],
    ['a rating time without offset', { ratedAt: '2026-02-01T00:05:00' }, ['/ratedAt:isInstant']],
  ])('refuses %s', async (_name, change, expected) => {
    expect(sorted(await failures(RatedUsageDto, { ...rated, ...change }))).toEqual(
      sorted(expected),
    );
  });

  it('says why an amount is not final', async () => {
    expect(
      await messages(RatedUsageDto, { ...rated, amount: { amount: '12.505', currency: 'USD' } }),
    ).toEqual(['amount.amount must have no more decimals than USD allows (2)']);
  });
});
