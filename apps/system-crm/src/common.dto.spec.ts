import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UpdateAccountRequest } from './accounts/dto/account.dto';
import { ListProductsQuery, UpdateProductRequest } from './products/dto/product.dto';
import { SyncPageQuery } from './common.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

function invalid(cls: new () => object, plain: object): string[] {
  return validateSync(plainToInstance(cls, plain), OPTIONS).map((e) => e.property);
}

describe('SyncPageQuery.updatedSince', () => {
  it.each([
    '2026-01-31',
    '2026-01-31T00:00Z',
    '2026-01-31T00:00:00Z',
    '2026-01-31T00:00:00.123456Z',
    '2026-01-31T08:00:00+08:00',
    '2024-02-29T00:00:00-05:30',
  ])('accepts %s', (updatedSince) => {
    expect(invalid(SyncPageQuery, { updatedSince })).toEqual([]);
  });

  it.each([
    'yesterday',
    '2026',
    '2026-01',
    '20260131',
    '2026-W05',
    '2026-032',
    '2026-01-31T00:00:00',
    '2026-02-30',
    '2025-02-29T00:00:00Z',
    '2026-01-31T24:00:00Z',
    '2026-01-31 00:00:00Z',
  ])('rejects %s', (updatedSince) => {
    expect(invalid(SyncPageQuery, { updatedSince })).toEqual(['updatedSince']);
  });
});

describe('query booleans', () => {
  it('reads only the words true and false', () => {
    expect(plainToInstance(ListProductsQuery, { active: 'true' }).active).toBe(true);
    expect(plainToInstance(ListProductsQuery, { active: 'false' }).active).toBe(false);
    for (const active of ['1', 'yes', 'TRUE', ''])
      expect(invalid(ListProductsQuery, { active })).toEqual(['active']);
  });
});

describe('optional update fields', () => {
  it('may be left out but not sent as null when the column cannot hold null', () => {
    expect(invalid(UpdateAccountRequest, {})).toEqual([]);
    expect(
      invalid(UpdateAccountRequest, {
        legalName: null,
        billingAddress: null,
        currency: null,
        legalEntity: null,
      }).sort(),
    ).toEqual(['billingAddress', 'currency', 'legalEntity', 'legalName']);
    expect(invalid(UpdateProductRequest, { name: null, active: null }).sort()).toEqual([
      'active',
      'name',
    ]);
  });

  it('take null to remove what may be removed', () => {
    expect(invalid(UpdateAccountRequest, { taxRegistration: null, parentAccountId: null })).toEqual(
      [],
    );
    expect(invalid(UpdateProductRequest, { family: null })).toEqual([]);
  });

  it('want codes in capitals', () => {
    expect(invalid(UpdateAccountRequest, { currency: 'eur' })).toEqual(['currency']);
    expect(
      invalid(UpdateAccountRequest, { billingAddress: { line1: '1', city: 'c', country: 'de' } }),
    ).toEqual(['billingAddress']);
  });
});
