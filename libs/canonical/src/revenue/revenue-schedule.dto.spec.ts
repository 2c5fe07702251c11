import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import fc from 'fast-check';
import { Money } from '../money/money';
import { dateOfDayNumber, dayNumber } from '../erp/calendar';
import { scheduleRatably } from './revenue-allocation';
import { RevenueScheduleDto } from './revenue-schedule.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Every failing constraint as "<JSON pointer>:<constraint>". */
async function failures(plain: object): Promise<string[]> {
  const walk = (errors: ValidationError[], parent = ''): string[] =>
    errors.flatMap((e) => {
      const here = `${parent}/${e.property}`;
      return [
        ...Object.keys(e.constraints ?? {}).map((c) => `${here}:${c}`),
        ...walk(e.children ?? [], here),
      ];
    });
  return walk(await validate(plainToInstance(RevenueScheduleDto, plain), OPTIONS)).sort();
}

async function messages(plain: object): Promise<string[]> {
  const flat = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flat(e.children ?? [])]);
  return flat(await validate(plainToInstance(RevenueScheduleDto, plain), OPTIONS));
}

const schedule = {
  id: '6f1d2c3b-4a5e-4f70-8b91-a2c3d4e5f607',
  legalEntity: 'US01',
  invoiceId: 'in_1QX2',
  invoiceLineId: 'il_1QX2_1',
  productId: 'PLATFORM-ANNUAL',
  method: 'ratable_daily',
  servicePeriod: { start: '2024-01-31', end: '2024-03-02' },
  total: '100.00',
  currency: 'USD',
  entries: [
    { period: '2024-01', amount: '3.23' },
    { period: '2024-02', amount: '93.55' },
    { period: '2024-03', amount: '3.22' },
  ],
};

describe('RevenueScheduleDto', () => {
  it.each([
    ['a ratable schedule', schedule],
    [
      'a usage line recognized as consumed',
      {
        ...schedule,
        method: 'as_consumed',
        servicePeriod: undefined,
        total: '12.51',
        entries: [{ period: '2026-01', amount: '12.51' }],
      },
    ],
    [
      'a one-time fee at a point in time',
      {
        ...schedule,
        method: 'point_in_time',
        servicePeriod: undefined,
        total: '5000',
        currency: 'JPY',
        entries: [{ period: '2026-01', amount: '5000' }],
      },
    ],
    [
      'a credit, negative throughout',
      {
        ...schedule,
        total: '-100.00',
        entries: [
          { period: '2024-01', amount: '-3.23' },
          { period: '2024-02', amount: '-93.55' },
          { period: '2024-03', amount: '-3.22' },
        ],
      },
    ],
    [
      'a zero entry in a period of the service period',
      {
        ...schedule,
        entries: [
          { period: '2024-01', amount: '0' },
          { period: '2024-02', amount: '100.00' },
        ],
      },
    ],
  ])('accepts %s', async (_name, plain) => {
    expect(await failures(plain)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    [
      'entries that do not add up to the total',
      { total: '100.01' },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'entries out of order',
      {
        entries: [
          { period: '2024-02', amount: '93.55' },
          { period: '2024-01', amount: '3.23' },
          { period: '2024-03', amount: '3.22' },
        ],
      },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'a period twice',
      {
        entries: [
          { period: '2024-01', amount: '50.00' },
          { period: '2024-01', amount: '50.00' },
        ],
      },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'an entry with more decimals than the currency',
      {
        entries: [
          { period: '2024-01', amount: '3.225' },
          { period: '2024-02', amount: '96.775' },
        ],
      },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'an entry against the sign of the total',
      {
        entries: [
          { period: '2024-01', amount: '-1.00' },
          { period: '2024-02', amount: '101.00' },
        ],
      },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'a ratable entry outside the service period',
      {
        entries: [
          { period: '2024-02', amount: '96.78' },
          { period: '2024-04', amount: '3.22' },
        ],
      },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'a point_in_time schedule over two periods',
      { method: 'point_in_time' },
      ['/entries:isConsistentSchedule'],
    ],
    [
      'a ratable schedule without a service period',
      { servicePeriod: undefined },
      ['/servicePeriod:isDefined', '/servicePeriod:isObject'],
    ],
    [
      'an empty service period',
      { servicePeriod: { start: '2024-01-31', end: '2024-01-31' } },
      ['/servicePeriod/end:endsAfterStart'],
    ],
    ['no entries', { entries: [] }, ['/entries:arrayMinSize']],
    [
      'an entry period with a day',
      { entries: [{ period: '2024-01-31', amount: '100.00' }] },
      ['/entries/0/period:isAccountingPeriod'],
    ],
    [
      'an entry amount as a number',
      { entries: [{ period: '2024-01', amount: 100 }] },
      ['/entries/0/amount:matches'],
    ],
    [
      'a total with more decimals than the currency',
      { total: '100.001' },
      ['/entries:isConsistentSchedule', '/total:fitsCurrency'],
    ],
    [
      'decimals in yen',
      { currency: 'JPY', total: '100.5' },
      ['/entries:isConsistentSchedule', '/total:fitsCurrency'],
    ],
    ['an unknown method', { method: 'ratable_monthly' }, ['/method:isIn']],
    ['a currency in lower case', { currency: 'usd' }, ['/currency:matches']],
    ['an id that is no UUID', { id: 'sched-1' }, ['/id:isUuid']],
    ['a legal entity in lower case', { legalEntity: 'us01' }, ['/legalEntity:matches']],
    ['no invoice line', { invoiceLineId: undefined }, ['/invoiceLineId:matches']],
    ['an unknown field', { recognized: true }, ['/recognized:whitelistValidation']],
  ])('refuses %s', async (_name, change, expected) => {
    expect(await failures({ ...schedule, ...change })).toEqual([...expected].sort());
  });

  it('says by how much the entries miss the total', async () => {
    expect(await messages({ ...schedule, total: '100.01' })).toEqual([
      'entries must add up to the total 100.01; they add up to 100',
    ]);
  });

  it('accepts every schedule scheduleRatably builds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('USD', 'JPY', 'KWD'),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: dayNumber('2023-01-01'), max: dayNumber('2030-01-01') }),
        fc.integer({ min: 1, max: 1200 }),
        async (currency, units, start, length) => {
          const total = Money.of(units.toString(), currency).round();
          const servicePeriod = {
            start: dateOfDayNumber(start),
            end: dateOfDayNumber(start + length),
          };
          const entries = scheduleRatably(total, servicePeriod).map((e) => ({
            period: e.period,
            amount: e.amount.toString(),
          }));
          const plain = { ...schedule, currency, total: total.toString(), servicePeriod, entries };
          expect(await failures(plain)).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });
});
