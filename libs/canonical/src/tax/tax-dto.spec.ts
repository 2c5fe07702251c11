import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EU_COUNTRIES, EU_VAT_ID_FORMATS, isEuVatIdFormat } from './jurisdictions';
import { TaxAddressDto } from './tax-address.dto';
import {
  CommitTaxTransactionRequest,
  taxDocumentProblems,
  TaxQuoteRequest,
  taxTransactionProblems,
} from './tax-document.dto';

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

function messages(cls: new () => object, plain: object): string[] {
  const flat = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flat(e.children ?? [])]);
  return flat(validateSync(plainToInstance(cls, plain), OPTIONS));
}

describe('TaxAddressDto', () => {
  it.each([
    { region: 'TX', postalCode: '78701', country: 'US' },
    { line1: '1 Main', city: 'Austin', region: 'TX', postalCode: '78701-1234', country: 'US' },
    { region: 'DC', postalCode: '20001', country: 'US' },
    { region: 'ON', postalCode: 'K1A 0B1', country: 'CA' },
    { country: 'DE' },
    { postalCode: '10117', country: 'DE' },
    { region: 'BY', postalCode: '80331', country: 'DE' },
    { postalCode: '1012 AB', country: 'NL' },
    { postalCode: 'D02 X285', country: 'IE' },
    { postalCode: '00-950', country: 'PL' },
    { postalCode: 'SW1A 1AA', country: 'GB' },
    { postalCode: '100-0005', country: 'JP' },
    { postalCode: '01310-100', country: 'BR' }, // no listed format: the generic one
  ])('accepts %j', (address) => {
    expect(invalid(TaxAddressDto, address)).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['a US address without a state', { postalCode: '78701', country: 'US' }, '/region'],
    [
      'a US address with a state that does not exist',
      { region: 'XX', postalCode: '78701', country: 'US' },
      '/region',
    ],
    ['a US state in lower case', { region: 'tx', postalCode: '78701', country: 'US' }, '/region'],
    [
      'a US territory as a state (it has its own country code)',
      { region: 'PR', postalCode: '00901', country: 'US' },
      '/region',
    ],
    ['a US address without a ZIP code', { region: 'TX', country: 'US' }, '/postalCode'],
    ['a four-digit ZIP code', { region: 'TX', postalCode: '7870', country: 'US' }, '/postalCode'],
    [
      'a ZIP code with letters',
      { region: 'TX', postalCode: '787O1', country: 'US' },
      '/postalCode',
    ],
    ['a Canadian address without a province', { postalCode: 'K1A 0B1', country: 'CA' }, '/region'],
    [
      'a Canadian postal code in lower case',
      { region: 'ON', postalCode: 'k1a 0b1', country: 'CA' },
      '/postalCode',
    ],
    ['a German postal code of four digits', { postalCode: '1011', country: 'DE' }, '/postalCode'],
    ['a Dutch postal code in lower case', { postalCode: '1012 ab', country: 'NL' }, '/postalCode'],
    ['a region with a country prefix', { region: 'DE-BY', country: 'DE' }, '/region'],
    ['a region that is a number', { region: 7, country: 'DE' }, '/region'],
    ['a region that is null', { region: null, country: 'DE' }, '/region'],
    [
      'a generic postal code with symbols',
      { postalCode: '01310#100', country: 'BR' },
      '/postalCode',
    ],
    ['a country in lower case', { country: 'us' }, '/country'],
    ['a country that does not exist', { country: 'XX' }, '/country'],
    ['a three-letter country', { country: 'USA' }, '/country'],
    ['no country', { city: 'Austin' }, '/country'],
    ['an empty line1', { line1: '', country: 'DE' }, '/line1'],
    ['an unknown field', { country: 'DE', county: 'Travis' }, '/county'],
  ])('refuses %s', (_name, address, path) => {
    expect(invalid(TaxAddressDto, address)).toContain(path);
  });

  it('says what a US address needs', () => {
    expect(messages(TaxAddressDto, { country: 'US' }).sort()).toEqual([
      'postalCode is required for a US address (ZIP code)',
      'region is required for a US address: the two-letter code of the state, e.g. TX',
    ]);
  });
});

const line = { taxCode: 'SW054000', quantity: '1', amount: '100.00' };
const quote = {
  legalEntity: 'US01',
  customerCode: 'ACME-001',
  date: '2026-01-15',
  currency: 'USD',
  addresses: {
    shipFrom: { region: 'TX', postalCode: '78701', country: 'US' },
    shipTo: { country: 'DE' },
  },
  lines: [line],
};

describe('TaxQuoteRequest and CommitTaxTransactionRequest', () => {
  it('accept a well-formed document', () => {
    expect(invalid(TaxQuoteRequest, quote)).toEqual([]);
    expect(invalid(CommitTaxTransactionRequest, { ...quote, code: 'INV-2026:0001.a_b' })).toEqual(
      [],
    );
  });

  it.each<[string, object, string]>([
    ['no lines', { lines: [] }, '/lines'],
    ['a negative amount', { lines: [{ ...line, amount: '-1.00' }] }, '/lines/0/amount'],
    ['a non-numeric amount', { lines: [{ ...line, amount: 'ten' }] }, '/lines/0/amount'],
    ['an amount as a number', { lines: [{ ...line, amount: 100 }] }, '/lines/0/amount'],
    ['an amount in exponent form', { lines: [{ ...line, amount: '1e3' }] }, '/lines/0/amount'],
    ['an amount with 5 decimals', { lines: [{ ...line, amount: '1.00001' }] }, '/lines/0/amount'],
    ['a zero quantity', { lines: [{ ...line, quantity: '0' }] }, '/lines/0/quantity'],
    ['a negative quantity', { lines: [{ ...line, quantity: '-2' }] }, '/lines/0/quantity'],
    ['a lower-case tax code', { lines: [{ ...line, taxCode: 'sw054000' }] }, '/lines/0/taxCode'],
    [
      'taxIncluded as a string',
      { lines: [{ ...line, taxIncluded: 'true' }] },
      '/lines/0/taxIncluded',
    ],
    ['a lower-case currency', { currency: 'usd' }, '/currency'],
    ['an unknown currency', { currency: 'XYZ' }, '/currency'],
    ['a date that does not exist', { date: '2026-02-29' }, '/date'],
    ['a date with a time', { date: '2026-01-15T00:00:00Z' }, '/date'],
    ['a legal entity in lower case', { legalEntity: 'us01' }, '/legalEntity'],
    ['a VAT number with spaces', { customerVatId: 'DE 123456789' }, '/customerVatId'],
    ['an exemption number too long', { exemptionNo: 'X'.repeat(26) }, '/exemptionNo'],
    ['no addresses', { addresses: undefined }, '/addresses'],
    [
      'an address that is a string',
      { addresses: { shipFrom: 'Austin', shipTo: { country: 'DE' } } },
      '/addresses/shipFrom',
    ],
    ['an unknown field', { taxDate: '2026-01-15' }, '/taxDate'],
  ])('refuse %s', (_name, change, path) => {
    expect(invalid(TaxQuoteRequest, { ...quote, ...change })).toContain(path);
  });

  it.each(['', '.', '..', 'INV 1', 'INV/1', 'X'.repeat(51)])('refuse the code %j', (code) => {
    expect(invalid(CommitTaxTransactionRequest, { ...quote, code })).toEqual(['/code']);
  });
});

describe('CommitTaxTransactionRequest: sales and returns', () => {
  const returnOf = (change: object = {}): object => ({
    ...quote,
    code: 'CM-1',
    type: 'return',
    referenceCode: 'INV-1',
    lines: [{ ...line, taxAmount: '24.00' }],
    ...change,
  });

  it('accepts a sale without type, a return with a referenceCode and taxAmount on its lines', () => {
    expect(invalid(CommitTaxTransactionRequest, { ...quote, code: 'INV-1' })).toEqual([]);
    expect(invalid(CommitTaxTransactionRequest, { ...quote, code: 'INV-1', type: 'sale' })).toEqual(
      [],
    );
    expect(invalid(CommitTaxTransactionRequest, returnOf())).toEqual([]);
    expect(
      invalid(
        CommitTaxTransactionRequest,
        returnOf({ lines: [line, { ...line, taxAmount: '0' }] }),
      ),
    ).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['an unknown type', { type: 'refund' }, '/type'],
    ['a type in capitals', { type: 'RETURN' }, '/type'],
    ['a malformed referenceCode', { referenceCode: 'INV 1' }, '/referenceCode'],
    ['a negative taxAmount', { lines: [{ ...line, taxAmount: '-1.00' }] }, '/lines/0/taxAmount'],
    ['a taxAmount as a number', { lines: [{ ...line, taxAmount: 24 }] }, '/lines/0/taxAmount'],
    [
      'a taxAmount in exponent form',
      { lines: [{ ...line, taxAmount: '1e2' }] },
      '/lines/0/taxAmount',
    ],
  ])('refuses %s', (_name, change, path) => {
    expect(invalid(CommitTaxTransactionRequest, returnOf(change))).toEqual([path]);
  });

  it('keeps taxAmount off quotes (an unknown field there)', () => {
    expect(invalid(TaxQuoteRequest, { ...quote, lines: [{ ...line, taxAmount: '1.00' }] })).toEqual(
      ['/lines/0/taxAmount'],
    );
  });
});

describe('taxTransactionProblems', () => {
  const lines = [{ amount: '100.00' }];

  it('wants a referenceCode on a return, and none on a sale', () => {
    expect(taxTransactionProblems({ code: 'CM-1', type: 'return', lines })).toEqual([
      {
        pointer: '/referenceCode',
        detail: 'referenceCode is required on a return: the code of the sale it credits',
      },
    ]);
    for (const type of ['sale', undefined] as const)
      expect(
        taxTransactionProblems({ code: 'INV-2', type, referenceCode: 'INV-1', lines }).map(
          (p) => p.pointer,
        ),
      ).toEqual(['/referenceCode']);
    expect(
      taxTransactionProblems({ code: 'CM-1', type: 'return', referenceCode: 'CM-1', lines }),
    ).toEqual([expect.objectContaining({ pointer: '/referenceCode' })]);
    expect(
      taxTransactionProblems({ code: 'CM-1', type: 'return', referenceCode: 'INV-1', lines }),
    ).toEqual([]);
  });

  it('refuses taxAmount on a sale, and on a tax-included return line beyond its amount', () => {
    expect(
      taxTransactionProblems({
        code: 'INV-1',
        lines: [{ amount: '1.00' }, { amount: '1.00', taxAmount: '0.10' }],
      }),
    ).toEqual([
      {
        pointer: '/lines/1/taxAmount',
        detail:
          'lines[1].taxAmount is only for a return (type "return"); a sale\'s tax is computed',
      },
    ]);
    const ret = (taxIncluded: boolean, taxAmount: string) =>
      taxTransactionProblems({
        code: 'CM-1',
        type: 'return',
        referenceCode: 'INV-1',
        lines: [{ amount: '10.00', taxIncluded, taxAmount }],
      }).map((p) => p.pointer);
    expect(ret(true, '10.01')).toEqual(['/lines/0/taxAmount']);
    expect(ret(true, '10.00')).toEqual([]);
    expect(ret(false, '10.01')).toEqual([]);
  });

  it('counts the decimals of taxAmount against the currency (taxDocumentProblems)', () => {
    expect(
      taxDocumentProblems({
        currency: 'USD',
        lines: [
          { amount: '1.00', taxAmount: '0.001' },
          { amount: '1.00', taxAmount: '0.10' },
        ],
      }),
    ).toEqual([
      {
        pointer: '/lines/0/taxAmount',
        detail: 'lines[0].taxAmount has more decimals than USD allows (2)',
      },
    ]);
  });
});

describe('taxDocumentProblems', () => {
  it('finds amounts with more decimals than the currency has', () => {
    expect(
      taxDocumentProblems({ currency: 'USD', lines: [{ amount: '10.005' }, { amount: '10.500' }] }),
    ).toEqual([
      {
        pointer: '/lines/0/amount',
        detail: 'lines[0].amount has more decimals than USD allows (2)',
      },
    ]);
    expect(
      taxDocumentProblems({ currency: 'JPY', lines: [{ amount: '1250.5' }, { amount: '1250.0' }] }),
    ).toEqual([
      {
        pointer: '/lines/0/amount',
        detail: 'lines[0].amount has more decimals than JPY allows (0)',
      },
    ]);
    expect(taxDocumentProblems({ currency: 'KWD', lines: [{ amount: '1.005' }] })).toEqual([]);
  });

  it('finds line numbers used twice, counting the numbers given by position', () => {
    expect(
      taxDocumentProblems({
        currency: 'USD',
        lines: [
          { amount: '1' },
          { number: '1', amount: '1' },
          { number: 'A', amount: '1' },
          { number: 'A', amount: '1' },
        ],
      }).map((p) => p.pointer),
    ).toEqual(['/lines/1/number', '/lines/3/number']);
  });
});

describe('EU VAT identification number formats', () => {
  it('has one for every member state', () => {
    expect(Object.keys(EU_VAT_ID_FORMATS).sort()).toEqual([...EU_COUNTRIES].sort());
  });

  it.each([
    ['AT', 'ATU12345678', 'AT12345678'],
    ['BE', 'BE0123456789', 'BE2123456789'],
    ['DE', 'DE123456789', 'DE12345678'],
    ['ES', 'ESX1234567X', 'ES123456789'],
    ['FR', 'FRXX123456789', 'FRIO123456789'],
    ['GR', 'EL123456789', 'GR123456789'],
    ['IE', 'IE1234567T', 'IE1234567X'],
    ['IE', 'IE1234567WI', 'IE12345678'],
    ['NL', 'NL123456789B01', 'NL123456789'],
    ['SE', 'SE123456789001', 'SE123456789012'],
  ])('%s accepts %s and refuses %s', (country, good, bad) => {
    expect(isEuVatIdFormat(country, good)).toBe(true);
    expect(isEuVatIdFormat(country, bad)).toBe(false);
  });

  it('knows no format outside the EU and never matches another state’s number', () => {
    expect(isEuVatIdFormat('GB', 'GB123456789')).toBe(false);
    expect(isEuVatIdFormat('FR', 'DE123456789')).toBe(false);
    expect(isEuVatIdFormat('toString', 'DE123456789')).toBe(false);
  });
});
