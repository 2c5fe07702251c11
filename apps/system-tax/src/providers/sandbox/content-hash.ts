import { createHash } from 'node:crypto';
import { MoneyDecimal } from '@revgate/canonical';
import type { AddressInfo, CreateTransactionModel } from '../tax-provider.port';

const decimal = (value: string): string => new MoneyDecimal(value).toFixed();
const address = (a: AddressInfo): (string | null)[] => [
  a.line1 ?? null,
  a.line2 ?? null,
  a.city ?? null,
  a.region ?? null,
  a.postalCode ?? null,
  a.country,
];

/**
 * The fingerprint of what a document says, to tell a repeated commit from a different document
 * under the same code: equal decimals written differently ("10" and "10.00") are the same content.
 * What only returns carry (reference, tax overrides) is added only when present, so the hash of a
 * sale recorded before returns existed is unchanged.
 */
export function contentHash(model: CreateTransactionModel): string {
  const content: unknown[] = [
    'v1',
    model.type,
    model.companyCode,
    model.code ?? null,
    model.date,
    model.customerCode,
    model.currencyCode,
    model.exemptionNo ?? null,
    model.businessIdentificationNo ?? null,
    address(model.addresses.shipFrom),
    address(model.addresses.shipTo),
    model.lines.map((l) => [
      l.number,
      l.itemCode ?? null,
      l.taxCode,
      l.description ?? null,
      decimal(l.quantity),
      decimal(l.amount),
      l.taxIncluded,
      ...(l.taxOverride ? [['TaxAmount', decimal(l.taxOverride.taxAmount)]] : []),
    ]),
  ];
  if (model.referenceCode !== undefined || model.taxOverride !== undefined)
    content.push([model.referenceCode ?? null, model.taxOverride?.taxDate ?? null]);
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
