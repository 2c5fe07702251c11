import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { amendmentRequestProblems, CreateAmendmentRequest } from './amendment.dto';
import { BillingAddressDto, fitsCurrencyMinorUnits } from './billing-common.dto';
import { CreateBillingCustomerRequest } from './customer.dto';
import { CreateBillingPriceRequest, PriceQuoteRequest, priceRequestProblems } from './price.dto';
import { CreateSubscriptionRequest } from './subscription.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

function paths(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const here = `${parent}/${e.property}`;
    return [...(e.constraints ? [here] : []), ...paths(e.children ?? [], here)];
  });
}

function invalid(cls: new () => object, plain: object): string[] {
  return paths(validateSync(plainToInstance(cls, plain), OPTIONS));
}

const SF = {
  line1: '1 Market Street',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};

describe('BillingAddressDto', () => {
  it.each([
    SF,
    { line1: 'Friedrichstraße 100', city: 'Berlin', postalCode: '10117', country: 'DE' },
    { line1: '1 Poultry', line2: 'Floor 3', city: 'London', postalCode: 'EC2R 8EJ', country: 'GB' },
  ])('accepts %j', (address) => {
    expect(invalid(BillingAddressDto, address)).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['no street', { ...SF, line1: undefined }, '/line1'],
    ['an empty street', { ...SF, line1: '' }, '/line1'],
    ['no city', { ...SF, city: undefined }, '/city'],
    ['a US address without a state', { ...SF, region: undefined }, '/region'],
    ['a US state that does not exist', { ...SF, region: 'XX' }, '/region'],
    ['a US address without a ZIP code', { ...SF, postalCode: undefined }, '/postalCode'],
    ['a ZIP code of four digits', { ...SF, postalCode: '9410' }, '/postalCode'],
    [
      'a German postal code of four digits',
      { line1: 'x', city: 'Berlin', postalCode: '1011', country: 'DE' },
      '/postalCode',
    ],
    ['a country in lower case', { ...SF, country: 'us' }, '/country'],
    ['a country of three letters', { ...SF, country: 'USA' }, '/country'],
    ['an unknown field', { ...SF, zip: '94105' }, '/zip'],
  ])('refuses %s', (_name, address, pointer) => {
    expect(invalid(BillingAddressDto, address)).toContain(pointer);
  });
});

describe('CreateBillingCustomerRequest', () => {
  const valid = { name: 'Acme', billTo: SF, currency: 'USD', legalEntity: 'US01' };

  it('accepts the required fields and every optional one', () => {
    expect(invalid(CreateBillingCustomerRequest, valid)).toEqual([]);
    expect(
      invalid(CreateBillingCustomerRequest, {
        ...valid,
        externalId: 'ACME-001',
        email: 'ap@acme.example',
        paymentTerms: 'net_45',
        taxExemptionNumber: 'EXEMPT-1',
        vatId: 'DE123456789',
      }),
    ).toEqual([]);
  });

  it.each<[string, object, string]>([
    [
      'a malformed address',
      { ...valid, billTo: { ...SF, postalCode: 'ABC' } },
      '/billTo/postalCode',
    ],
    ['an address that is a string', { ...valid, billTo: '1 Market Street' }, '/billTo'],
    ['a lower-case currency', { ...valid, currency: 'usd' }, '/currency'],
    ['an unknown currency', { ...valid, currency: 'ABC' }, '/currency'],
    ['unknown payment terms', { ...valid, paymentTerms: 'net_31' }, '/paymentTerms'],
    ['a lower-case legal entity', { ...valid, legalEntity: 'us01' }, '/legalEntity'],
    ['an email that is not one', { ...valid, email: 'acme' }, '/email'],
  ])('refuses %s', (_name, body, pointer) => {
    expect(invalid(CreateBillingCustomerRequest, body)).toContain(pointer);
  });
});

describe('CreateBillingPriceRequest', () => {
  const base = {
    productId: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10',
    currency: 'USD',
    type: 'recurring',
    interval: 'month',
  };

  it.each<[string, object]>([
    ['flat', { ...base, billingScheme: 'flat', amount: '99' }],
    ['per unit', { ...base, billingScheme: 'per_unit', unitAmount: '12.5' }],
    [
      'package',
      {
        ...base,
        billingScheme: 'per_unit',
        unitAmount: '5',
        transformQuantity: { divideBy: '1000', round: 'up' },
      },
    ],
    [
      'graduated with an included quantity',
      {
        ...base,
        usageType: 'metered',
        meter: 'api_calls',
        billingScheme: 'tiered',
        tiersMode: 'graduated',
        includedQuantity: '10000',
        tiers: [
          { upTo: '90000', unitAmount: '0.002' },
          { upTo: null, unitAmount: '0.001', flatAmount: '5' },
        ],
      },
    ],
    [
      'one time',
      {
        productId: base.productId,
        currency: 'EUR',
        type: 'one_time',
        billingScheme: 'per_unit',
        unitAmount: '100',
      },
    ],
  ])('accepts a consistent %s price', (_name, body) => {
    const dto = plainToInstance(CreateBillingPriceRequest, body);
    expect(paths(validateSync(dto, OPTIONS))).toEqual([]);
    expect(priceRequestProblems(dto)).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['a flat price without amount', { ...base, billingScheme: 'flat' }, '/amount'],
    [
      'a flat price with a unit amount',
      { ...base, billingScheme: 'flat', amount: '1', unitAmount: '1' },
      '/unitAmount',
    ],
    [
      'a flat price with an included quantity',
      { ...base, billingScheme: 'flat', amount: '1', includedQuantity: '5' },
      '/includedQuantity',
    ],
    ['a per-unit price without unit amount', { ...base, billingScheme: 'per_unit' }, '/unitAmount'],
    [
      'a per-unit price with tiers',
      {
        ...base,
        billingScheme: 'per_unit',
        unitAmount: '1',
        tiers: [{ upTo: null, unitAmount: '1' }],
      },
      '/tiers',
    ],
    [
      'a tiered price without mode',
      { ...base, billingScheme: 'tiered', tiers: [{ upTo: null, unitAmount: '1' }] },
      '/tiersMode',
    ],
    [
      'a tiered price without tiers',
      { ...base, billingScheme: 'tiered', tiersMode: 'volume' },
      '/tiers',
    ],
    [
      'a recurring price without interval',
      { ...base, interval: undefined, billingScheme: 'flat', amount: '1' },
      '/interval',
    ],
    [
      'a metered price without meter',
      { ...base, usageType: 'metered', billingScheme: 'per_unit', unitAmount: '1' },
      '/meter',
    ],
    [
      'a licensed price with a meter',
      { ...base, meter: 'api_calls', billingScheme: 'per_unit', unitAmount: '1' },
      '/meter',
    ],
    [
      'a one-time price with an interval',
      { ...base, type: 'one_time', billingScheme: 'per_unit', unitAmount: '1' },
      '/interval',
    ],
    [
      'a metered flat price',
      { ...base, usageType: 'metered', meter: 'x', billingScheme: 'flat', amount: '1' },
      '/billingScheme',
    ],
  ])('finds %s inconsistent', (_name, body, pointer) => {
    const dto = plainToInstance(CreateBillingPriceRequest, body);
    expect(priceRequestProblems(dto).map((p) => p.pointer)).toContain(pointer);
  });

  it.each<[string, object, string]>([
    [
      'a negative unit amount',
      { ...base, billingScheme: 'per_unit', unitAmount: '-1' },
      '/unitAmount',
    ],
    [
      'a unit amount as a number',
      { ...base, billingScheme: 'per_unit', unitAmount: 1 },
      '/unitAmount',
    ],
    [
      'a unit amount with 11 decimals',
      { ...base, billingScheme: 'per_unit', unitAmount: '0.00000000001' },
      '/unitAmount',
    ],
    ['an exponent', { ...base, billingScheme: 'flat', amount: '1e3' }, '/amount'],
    [
      'a tier bound that is a number',
      {
        ...base,
        billingScheme: 'tiered',
        tiersMode: 'volume',
        tiers: [{ upTo: 10, unitAmount: '1' }],
      },
      '/tiers/0/upTo',
    ],
    [
      'a tier without its bound',
      { ...base, billingScheme: 'tiered', tiersMode: 'volume', tiers: [{ unitAmount: '1' }] },
      '/tiers/0/upTo',
    ],
    [
      'a package size of zero',
      {
        ...base,
        billingScheme: 'per_unit',
        unitAmount: '1',
        transformQuantity: { divideBy: '0', round: 'up' },
      },
      '/transformQuantity/divideBy',
    ],
    [
      'a meter in capitals',
      { ...base, usageType: 'metered', meter: 'API', billingScheme: 'per_unit', unitAmount: '1' },
      '/meter',
    ],
  ])('refuses %s', (_name, body, pointer) => {
    expect(invalid(CreateBillingPriceRequest, body)).toContain(pointer);
  });
});

describe('PriceQuoteRequest', () => {
  it.each(['0', '1', '125000', '2.5', '999999999999.999999'])('accepts %s', (quantity) => {
    expect(invalid(PriceQuoteRequest, { quantity })).toEqual([]);
  });
  it.each<unknown>(['-1', 'ten', '1e3', '1.1234567', '', 5, null, '0x10'])(
    'refuses %p',
    (quantity) => {
      expect(invalid(PriceQuoteRequest, { quantity })).toEqual(['/quantity']);
    },
  );
});

describe('CreateSubscriptionRequest', () => {
  const valid = {
    customerId: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10',
    billingInterval: 'month',
    startDate: '2026-01-01',
    items: [{ priceId: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c11', quantity: '10' }],
  };
  it('accepts a subscription', () => {
    expect(invalid(CreateSubscriptionRequest, valid)).toEqual([]);
  });
  it.each<[string, object, string]>([
    [
      'a zero quantity',
      { ...valid, items: [{ ...valid.items[0], quantity: '0' }] },
      '/items/0/quantity',
    ],
    [
      'a negative quantity',
      { ...valid, items: [{ ...valid.items[0], quantity: '-3' }] },
      '/items/0/quantity',
    ],
    [
      'a quantity as a number',
      { ...valid, items: [{ ...valid.items[0], quantity: 3 }] },
      '/items/0/quantity',
    ],
    ['no items', { ...valid, items: [] }, '/items'],
    ['an impossible date', { ...valid, startDate: '2026-02-30' }, '/startDate'],
    ['a weekly interval', { ...valid, billingInterval: 'week' }, '/billingInterval'],
  ])('refuses %s', (_name, body, pointer) => {
    expect(invalid(CreateSubscriptionRequest, body)).toContain(pointer);
  });
});

describe('amendmentRequestProblems', () => {
  const item = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10';
  const price = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c11';
  const problems = (body: object): string[] =>
    amendmentRequestProblems(plainToInstance(CreateAmendmentRequest, body)).map((p) => p.pointer);

  it.each<[object]>([
    [{ type: 'upgrade', effectiveDate: '2026-01-16', itemId: item, priceId: price }],
    [
      {
        type: 'downgrade',
        effectiveDate: '2026-01-16',
        itemId: item,
        priceId: price,
        quantity: '5',
      },
    ],
    [{ type: 'quantity_change', effectiveDate: '2026-01-16', itemId: item, quantity: '5' }],
    [{ type: 'add_item', effectiveDate: '2026-01-16', priceId: price, quantity: '1' }],
    [{ type: 'renewal', periods: 12 }],
    [{ type: 'cancel_now', effectiveDate: '2026-01-16' }],
    [{ type: 'cancel_at_period_end' }],
  ])('accepts %j', (body) => {
    expect(problems(body)).toEqual([]);
  });

  it.each<[object, string]>([
    [{ type: 'upgrade', itemId: item, priceId: price }, '/effectiveDate'],
    [{ type: 'upgrade', effectiveDate: '2026-01-16', priceId: price }, '/itemId'],
    [{ type: 'quantity_change', effectiveDate: '2026-01-16', itemId: item }, '/quantity'],
    [{ type: 'add_item', effectiveDate: '2026-01-16' }, '/priceId'],
    [{ type: 'cancel_at_period_end', effectiveDate: '2026-01-16' }, '/effectiveDate'],
    [{ type: 'renewal', quantity: '2' }, '/quantity'],
    [{ type: 'cancel_now', effectiveDate: '2026-01-16', periods: 2 }, '/periods'],
  ])('finds %j inconsistent at %s', (body, pointer) => {
    expect(problems(body)).toContain(pointer);
  });
});

describe('fitsCurrencyMinorUnits', () => {
  it.each<[string, string, boolean]>([
    ['10.00', 'USD', true],
    ['10.001', 'USD', false],
    ['10', 'JPY', true],
    ['10.5', 'JPY', false],
    ['1.005', 'KWD', true],
    ['1.0050', 'USD', false],
    ['1.0100', 'USD', true],
  ])('%s %s → %s', (amount, currency, fits) => {
    expect(fitsCurrencyMinorUnits(amount, currency)).toBe(fits);
  });
});
