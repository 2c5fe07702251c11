import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { arDocumentProblems, ArCreditMemoDto, ArInvoiceDto } from './ar-document.dto';
import { customerPaymentProblems, CustomerPaymentDto } from './customer-payment.dto';
import { ErpCustomerDto } from './erp-customer.dto';
import { ErpItemDto } from './erp-item.dto';
import { GlAccountDto } from './gl-account.dto';
import { taxRegistrationProblem } from './tax-registration';

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
  return (await validate(plainToInstance(cls, plain), OPTIONS).then((e) => walk(e))).sort();
}

const invoice = {
  legalEntity: 'US01',
  externalId: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10',
  reference: 'US01-2026-000001',
  customerExternalId: 'ACME-001',
  date: '2026-01-15',
  dueDate: '2026-02-14',
  currency: 'USD',
  lines: [
    {
      itemCode: 'PLATFORM-ANNUAL',
      quantity: '10',
      amount: '12000.00',
      taxAmount: '480.00',
      taxCode: 'SW054000',
      servicePeriod: { start: '2026-01-01', end: '2027-01-01' },
    },
  ],
};

describe('ArInvoiceDto and ArCreditMemoDto', () => {
  it('accept a canonical invoice, and a credit memo naming its invoice', async () => {
    expect(await failures(ArInvoiceDto, invoice)).toEqual([]);
    expect(
      await failures(ArCreditMemoDto, { ...invoice, invoiceExternalId: 'INV-2026-1' }),
    ).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['no lines', { lines: [] }, ['/lines:arrayMinSize']],
    [
      'an amount as a number',
      { lines: [{ ...invoice.lines[0], amount: 12000 }] },
      ['/lines/0/amount:matches'],
    ],
    [
      'a negative amount',
      { lines: [{ ...invoice.lines[0], amount: '-1.00' }] },
      ['/lines/0/amount:matches'],
    ],
    [
      'a quantity of zero',
      { lines: [{ ...invoice.lines[0], quantity: '0' }] },
      ['/lines/0/quantity:matches'],
    ],
    [
      'a service period ending where it starts',
      {
        lines: [{ ...invoice.lines[0], servicePeriod: { start: '2026-01-01', end: '2026-01-01' } }],
      },
      ['/lines/0/servicePeriod/end:endsAfterStart'],
    ],
    ['a date that does not exist', { date: '2026-02-30' }, ['/date:isCalendarDate']],
    ['a currency in lower case', { currency: 'usd' }, ['/currency:matches']],
    ['an external id with a space', { externalId: 'INV 1' }, ['/externalId:matches']],
    ['a null memo', { memo: null }, ['/memo:isNotEmpty', '/memo:isString', '/memo:maxLength']],
    ['an unknown field', { total: '12480.00' }, ['/total:whitelistValidation']],
  ])('refuses %s', async (_name, change, expected) => {
    expect(await failures(ArInvoiceDto, { ...invoice, ...change })).toEqual([...expected].sort());
  });

  it('requires a credit memo to name its invoice', async () => {
    expect(await failures(ArCreditMemoDto, invoice)).toEqual(['/invoiceExternalId:matches']);
  });

  it('finds what spans fields: decimals of the currency, a total that is not positive, a due date before the date', () => {
    expect(arDocumentProblems(invoice)).toEqual([]);
    expect(
      arDocumentProblems({
        currency: 'JPY',
        date: '2026-01-15',
        dueDate: '2026-01-14',
        lines: [{ amount: '100.5', taxAmount: '0' }],
      }),
    ).toEqual([
      {
        pointer: '/lines/0/amount',
        detail: 'lines[0].amount has more decimals than JPY allows (0)',
      },
      { pointer: '/dueDate', detail: 'dueDate must not be before date' },
    ]);
    expect(
      arDocumentProblems({ currency: 'USD', date: '2026-01-15', lines: [{ amount: '0.00' }] }),
    ).toEqual([
      { pointer: '/lines', detail: 'the document must have a positive total (amounts plus tax)' },
    ]);
    expect(
      arDocumentProblems({
        currency: 'USD',
        date: '2026-01-15',
        lines: [{ amount: '0', taxAmount: '0.001' }],
      }),
    ).toEqual([
      {
        pointer: '/lines/0/taxAmount',
        detail: 'lines[0].taxAmount has more decimals than USD allows (2)',
      },
    ]);
  });
});

const payment = {
  legalEntity: 'US01',
  externalId: 'pi_123',
  customerExternalId: 'ACME-001',
  date: '2026-02-10',
  currency: 'USD',
  amount: '100.00',
  applications: [
    { invoiceExternalId: 'INV-1', amount: '60.00' },
    { invoiceExternalId: 'INV-2', amount: '40.00' },
  ],
};

describe('CustomerPaymentDto', () => {
  it('accepts a payment applied to invoices, or to none', async () => {
    expect(await failures(CustomerPaymentDto, payment)).toEqual([]);
    expect(await failures(CustomerPaymentDto, { ...payment, applications: [] })).toEqual([]);
    expect(customerPaymentProblems(payment)).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['a zero amount', { amount: '0.00' }, ['/amount:matches']],
    [
      'no applications array',
      { applications: undefined },
      ['/applications:arrayMaxSize', '/applications:isArray'],
    ],
    [
      'an application of zero',
      { applications: [{ invoiceExternalId: 'INV-1', amount: '0' }] },
      ['/applications/0/amount:matches'],
    ],
    ['a cash account with a space', { cashAccount: '10 00' }, ['/cashAccount:matches']],
  ])('refuses %s', async (_name, change, expected) => {
    expect(await failures(CustomerPaymentDto, { ...payment, ...change })).toEqual(expected);
  });

  it('finds applications over the amount, an invoice twice, and decimals the currency lacks', () => {
    expect(
      customerPaymentProblems({
        currency: 'USD',
        amount: '100.001',
        applications: [
          { invoiceExternalId: 'INV-1', amount: '80.00' },
          { invoiceExternalId: 'INV-1', amount: '20.005' },
        ],
      }).map((p) => p.pointer),
    ).toEqual([
      '/amount',
      '/applications/1/amount',
      '/applications/1/invoiceExternalId',
      '/applications',
    ]);
  });
});

describe('customers, items and accounts', () => {
  const customer = {
    legalEntity: 'DE01',
    externalId: 'GLOBEX-DE',
    name: 'Globex GmbH',
    paymentTerms: 'net_30',
    currency: 'EUR',
    country: 'DE',
    taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
  };
  it('validate the payment terms, currency and country of a customer', async () => {
    expect(await failures(ErpCustomerDto, customer)).toEqual([]);
    expect(await failures(ErpCustomerDto, { ...customer, paymentTerms: 'net_31' })).toEqual([
      '/paymentTerms:isIn',
    ]);
    expect(await failures(ErpCustomerDto, { ...customer, country: 'DEU' })).toEqual([
      '/country:isISO31661Alpha2',
      '/country:matches',
    ]);
  });

  it('require an item to name its revenue account, and an account its type', async () => {
    const item = {
      legalEntity: 'US01',
      code: 'API-CALLS',
      name: 'API calls',
      revenueAccount: '4100',
    };
    expect(await failures(ErpItemDto, item)).toEqual([]);
    expect(await failures(ErpItemDto, { ...item, revenueAccount: undefined })).toEqual([
      '/revenueAccount:matches',
    ]);
    expect(
      await failures(GlAccountDto, {
        legalEntity: 'US01',
        code: '4000',
        name: 'Revenue',
        type: 'income',
      }),
    ).toEqual(['/type:isIn']);
  });

  it.each<[string, { scheme: string; number: string; country: string }, boolean]>([
    ['a German VAT number', { scheme: 'VAT', number: 'DE123456789', country: 'DE' }, true],
    [
      'a German VAT number too short',
      { scheme: 'VAT', number: 'DE12345678', country: 'DE' },
      false,
    ],
    [
      'a Greek VAT number with its EL prefix',
      { scheme: 'VAT', number: 'EL123456789', country: 'GR' },
      true,
    ],
    [
      'a French number under Germany',
      { scheme: 'VAT', number: 'FR12345678901', country: 'DE' },
      false,
    ],
    [
      'a UK VAT number (not checked)',
      { scheme: 'VAT', number: 'GB123456789', country: 'GB' },
      true,
    ],
    ['an EIN', { scheme: 'EIN', number: '94-1234567', country: 'US' }, true],
    ['an EIN of eight digits', { scheme: 'EIN', number: '94-123456', country: 'US' }, false],
    ['an EIN outside the US', { scheme: 'EIN', number: '94-1234567', country: 'CA' }, false],
    [
      'a GST number (not checked)',
      { scheme: 'GST', number: '123456789RT0001', country: 'CA' },
      true,
    ],
  ])('checks the format of %s', (_name, registration, valid) => {
    expect(taxRegistrationProblem(registration) === undefined).toBe(valid);
  });
});
