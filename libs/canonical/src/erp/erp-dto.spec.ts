import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { AccountingPeriodDto } from './accounting-period.dto';
import { DateRangeDto } from './date-range.dto';
import { JournalEntryDto } from './journal-entry.dto';
import { LegalEntityDto } from './legal-entity.dto';

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

describe('DateRangeDto', () => {
  it('accepts a half-open range of at least one day', async () => {
    expect(await failures(DateRangeDto, { start: '2024-02-29', end: '2024-03-01' })).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['an empty range', { start: '2026-01-01', end: '2026-01-01' }, ['/end:endsAfterStart']],
    [
      'an end before the start',
      { start: '2026-02-01', end: '2026-01-01' },
      ['/end:endsAfterStart'],
    ],
    [
      'a day that does not exist',
      { start: '2023-02-29', end: '2023-03-01' },
      ['/start:isCalendarDate'],
    ],
    [
      'a date with a time',
      { start: '2026-01-01T00:00:00Z', end: '2026-02-01' },
      ['/start:isCalendarDate'],
    ],
    ['no end', { start: '2026-01-01' }, ['/end:isCalendarDate']],
  ])('refuses %s', async (_name, plain, expected) => {
    expect(await failures(DateRangeDto, plain)).toEqual(expected);
  });
});

const legalEntity = {
  code: 'DE01',
  name: 'Revgate Demo GmbH',
  functionalCurrency: 'EUR',
  allowedCurrencies: ['EUR', 'USD'],
  taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
  country: 'DE',
};

describe('LegalEntityDto', () => {
  it('accepts a well-formed entity', async () => {
    expect(await failures(LegalEntityDto, legalEntity)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['a code in lower case', { code: 'de01' }, ['/code:matches']],
    ['an empty name', { name: '' }, ['/name:isNotEmpty']],
    ['a name too long', { name: 'N'.repeat(256) }, ['/name:maxLength']],
    [
      'a functional currency in lower case',
      { functionalCurrency: 'eur', allowedCurrencies: ['eur'] },
      ['/functionalCurrency:matches', '/allowedCurrencies:matches'],
    ],
    [
      'a functional currency that does not exist',
      { functionalCurrency: 'XYZ', allowedCurrencies: ['XYZ'] },
      ['/functionalCurrency:isISO4217CurrencyCode', '/allowedCurrencies:isISO4217CurrencyCode'],
    ],
    [
      'allowed currencies without the functional one',
      { allowedCurrencies: ['USD', 'GBP'] },
      ['/allowedCurrencies:includesFunctionalCurrency'],
    ],
    [
      'no allowed currency',
      { allowedCurrencies: [] },
      ['/allowedCurrencies:arrayMinSize', '/allowedCurrencies:includesFunctionalCurrency'],
    ],
    ['a currency twice', { allowedCurrencies: ['EUR', 'EUR'] }, ['/allowedCurrencies:arrayUnique']],
    [
      'a tax registration without a number',
      { taxRegistration: { scheme: 'VAT', country: 'DE' } },
      ['/taxRegistration/number:matches'],
    ],
    ['no tax registration', { taxRegistration: undefined }, ['/taxRegistration:isObject']],
    [
      'a three-letter country',
      { country: 'DEU' },
      ['/country:matches', '/country:isISO31661Alpha2'],
    ],
    ['a country that does not exist', { country: 'XX' }, ['/country:isISO31661Alpha2']],
    ['an unknown field', { vatId: 'DE123456789' }, ['/vatId:whitelistValidation']],
  ])('refuses %s', async (_name, change, expected) => {
    expect((await failures(LegalEntityDto, { ...legalEntity, ...change })).sort()).toEqual(
      [...expected].sort(),
    );
  });

  it('says which functional currency is missing', async () => {
    expect(await messages(LegalEntityDto, { ...legalEntity, allowedCurrencies: ['USD'] })).toEqual([
      'allowedCurrencies must include the functional currency EUR',
    ]);
  });
});

const period = {
  legalEntity: 'US01',
  period: '2024-02',
  start: '2024-02-01',
  end: '2024-03-01',
  status: 'open',
};

describe('AccountingPeriodDto', () => {
  it.each([
    period,
    { ...period, status: 'closed' },
    { ...period, period: '2024-12', start: '2024-12-01', end: '2025-01-01' },
  ])('accepts %j', async (plain) => {
    expect(await failures(AccountingPeriodDto, plain)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    [
      'an end that is the last day (ends are exclusive)',
      { end: '2024-02-29' },
      ['/end:isPeriodEnd'],
    ],
    [
      'a start that is not the first of the month',
      { start: '2024-02-02' },
      ['/start:isPeriodStart'],
    ],
    ['a period of 13 months', { period: '2024-13' }, ['/period:isAccountingPeriod']],
    ['a period with a day', { period: '2024-02-01' }, ['/period:isAccountingPeriod']],
    [
      'a start that is no date',
      { start: '2024-02-30' },
      ['/start:isCalendarDate', '/start:isPeriodStart'],
    ],
    ['a status that is neither open nor closed', { status: 'locked' }, ['/status:isIn']],
    ['a status in capitals', { status: 'OPEN' }, ['/status:isIn']],
    ['no legal entity', { legalEntity: undefined }, ['/legalEntity:matches']],
  ])('refuses %s', async (_name, change, expected) => {
    expect((await failures(AccountingPeriodDto, { ...period, ...change })).sort()).toEqual(
      [...expected].sort(),
    );
  });

  it('says where the period ends', async () => {
    expect(await messages(AccountingPeriodDto, { ...period, end: '2024-02-29' })).toEqual([
      'end must be the first day after 2024-02: 2024-03-01',
    ]);
  });
});

const entry = {
  legalEntity: 'US01',
  date: '2026-01-31',
  period: '2026-01',
  currency: 'USD',
  memo: 'Revenue recognition 2026-01, US01, USD',
  externalId: 'REVREC-US01-2026-01-USD',
  lines: [
    { accountCode: '2400', debit: '1000.00', memo: 'Deferred revenue release' },
    {
      accountCode: '4000',
      credit: '600.00',
      dimensions: { productFamily: 'subscription', customer: 'ACME-001' },
    },
    { accountCode: '4100', credit: '400.00', debit: '0', dimensions: { productFamily: 'usage' } },
  ],
};
const [debitLine, creditLine] = [
  { accountCode: '1200', debit: '10.00' },
  { accountCode: '4000', credit: '10.00' },
];

describe('JournalEntryDto', () => {
  it('accepts a balanced entry', async () => {
    expect(await failures(JournalEntryDto, entry)).toEqual([]);
  });

  it('accepts amounts with the currency’s own decimals', async () => {
    const lines = [
      { accountCode: '1200', debit: '1250' },
      { accountCode: '4000', credit: '1250' },
    ];
    expect(await failures(JournalEntryDto, { ...entry, currency: 'JPY', lines })).toEqual([]);
    const kwd = [
      { accountCode: '1200', debit: '1.005' },
      { accountCode: '4000', credit: '1.005' },
    ];
    expect(await failures(JournalEntryDto, { ...entry, currency: 'KWD', lines: kwd })).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    [
      'debits that differ from credits',
      { lines: [debitLine, { ...creditLine, credit: '9.99' }] },
      ['/lines:isBalanced'],
    ],
    ['a single line', { lines: [{ ...debitLine, debit: '0' }] }, ['/lines:isBalanced']],
    ['no lines', { lines: [] }, ['/lines:isBalanced']],
    [
      'a line with both debit and credit',
      { lines: [{ ...debitLine, credit: '10.00' }, creditLine, { ...creditLine }] },
      ['/lines:isBalanced'],
    ],
    [
      'a line with neither',
      { lines: [{ accountCode: '1200' }, debitLine, creditLine] },
      ['/lines:isBalanced'],
    ],
    [
      'more decimals than the currency',
      {
        lines: [
          { ...debitLine, debit: '10.005' },
          { ...creditLine, credit: '10.005' },
        ],
      },
      ['/lines:isBalanced'],
    ],
    [
      'decimals in yen',
      {
        currency: 'JPY',
        lines: [
          { ...debitLine, debit: '10.5' },
          { ...creditLine, credit: '10.5' },
        ],
      },
      ['/lines:isBalanced'],
    ],
    [
      'a negative debit',
      { lines: [{ ...debitLine, debit: '-10.00' }, creditLine] },
      ['/lines/0/debit:matches', '/lines:isBalanced'],
    ],
    [
      'an amount as a JSON number',
      { lines: [{ ...debitLine, debit: 10 }, creditLine] },
      ['/lines/0/debit:matches', '/lines:isBalanced'],
    ],
    [
      'a null credit',
      { lines: [debitLine, { ...creditLine, credit: null }] },
      ['/lines/1/credit:matches', '/lines:isBalanced'],
    ],
    [
      'an account code with spaces',
      { lines: [{ ...debitLine, accountCode: '12 00' }, creditLine] },
      ['/lines/0/accountCode:matches'],
    ],
    [
      'a dimension with symbols',
      { lines: [debitLine, { ...creditLine, dimensions: { customer: 'ACME#1' } }] },
      ['/lines/1/dimensions/customer:matches'],
    ],
    [
      'an unknown dimension',
      { lines: [debitLine, { ...creditLine, dimensions: { region: 'EU' } }] },
      ['/lines/1/dimensions/region:whitelistValidation'],
    ],
    ['a period other than the date’s', { period: '2026-02' }, ['/period:isPeriodOfDate']],
    [
      'a date that does not exist',
      { date: '2026-02-29', period: '2026-02' },
      ['/date:isCalendarDate'],
    ],
    ['a currency in lower case', { currency: 'usd' }, ['/currency:matches']],
    ['an empty memo', { memo: '' }, ['/memo:isNotEmpty']],
    ['an external id with a slash', { externalId: 'REV/1' }, ['/externalId:matches']],
    [
      'lines that are not a list',
      { lines: 'two' },
      ['/lines:isArray', '/lines:arrayMaxSize', '/lines:isBalanced', '/lines:nestedValidation'],
    ],
  ])('refuses %s', async (_name, change, expected) => {
    expect((await failures(JournalEntryDto, { ...entry, ...change })).sort()).toEqual(
      [...expected].sort(),
    );
  });

  it('says why an entry is not balanced', async () => {
    expect(
      await messages(JournalEntryDto, {
        ...entry,
        lines: [debitLine, { ...creditLine, credit: '9.99' }],
      }),
    ).toEqual(['debits (10) must equal credits (9.99): the entry is off by 0.01']);
    expect(
      await messages(JournalEntryDto, {
        ...entry,
        lines: [{ ...debitLine, debit: '10.001' }],
      }),
    ).toEqual([
      'a journal entry needs at least 2 lines, got 1; lines[0] has more decimals than USD allows (2); debits (10.001) must equal credits (0): the entry is off by 10.001',
    ]);
  });
});
