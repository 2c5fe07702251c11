import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TaxAddressesDto } from './tax-address.dto';
import { TAX_DOCUMENT_TYPES, type TaxDocumentType } from './tax-document.dto';

export const TAX_TRANSACTION_STATUSES = ['committed', 'voided'] as const;
export type TaxTransactionStatus = (typeof TAX_TRANSACTION_STATUSES)[number];

/**
 * How a line was treated: `taxable` at a positive rate; `non_taxable` where the jurisdiction does not
 * tax the product (rate 0); `exempt` under the customer's exemption certificate; `reverse_charge`
 * where the buyer accounts for the VAT.
 */
export const TAXABILITIES = ['taxable', 'non_taxable', 'exempt', 'reverse_charge'] as const;
export type Taxability = (typeof TAXABILITIES)[number];

export class TaxJurisdictionResponse {
  @ApiProperty({ example: 'US' })
  country!: string;

  @ApiPropertyOptional({ example: 'TX' })
  region?: string;

  @ApiProperty({ example: 'Texas' })
  name!: string;

  @ApiProperty({ example: 'Sales tax' })
  taxName!: string;
}

/** A taxed line. Amounts are decimal strings with exactly the currency's minor units. */
export class TaxLineResponse {
  @ApiProperty({ example: '1' })
  number!: string;

  @ApiPropertyOptional({ example: 'PLATFORM-ANNUAL' })
  itemCode?: string;

  @ApiProperty({ example: 'SW054000' })
  taxCode!: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiProperty({ example: '10' })
  quantity!: string;

  @ApiProperty({ description: 'The amount as sent (gross when taxIncluded)', example: '12000.00' })
  amount!: string;

  @ApiProperty()
  taxIncluded!: boolean;

  @ApiProperty({ enum: TAXABILITIES })
  taxability!: Taxability;

  @ApiProperty({
    description: 'Rate applied, a decimal fraction ("0.0625" is 6.25%); "0" when no tax applies',
    example: '0.05',
  })
  rate!: string;

  @ApiProperty({ type: TaxJurisdictionResponse, description: 'Where the line is taxed' })
  jurisdiction!: TaxJurisdictionResponse;

  @ApiProperty({
    description: 'The amount without tax: amount, or amount − tax when taxIncluded',
    example: '12000.00',
  })
  netAmount!: string;

  @ApiProperty({ description: 'The part of netAmount that is taxed', example: '12000.00' })
  taxableAmount!: string;

  @ApiProperty({
    description: 'The part of netAmount that is not: exempt, non-taxable or reverse-charged',
    example: '0.00',
  })
  exemptAmount!: string;

  @ApiProperty({
    description: 'taxableAmount × rate, rounded half-up to the currency once, on this line',
    example: '600.00',
  })
  tax!: string;
}

/** Tax computed for a document. Totals are the exact sums of the line amounts. */
export class TaxQuoteResponse {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'ACME-001' })
  customerCode!: string;

  @ApiProperty({ format: 'date', example: '2026-01-15' })
  date!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: TaxAddressesDto })
  addresses!: TaxAddressesDto;

  @ApiPropertyOptional({ description: 'The exemption certificate the lines are exempt under' })
  exemptionNo?: string;

  @ApiPropertyOptional({ example: 'DE123456789' })
  customerVatId?: string;

  @ApiProperty({
    description:
      'True when the buyer accounts for the VAT (EU B2B reverse charge): no tax is charged',
  })
  reverseCharge!: boolean;

  @ApiProperty({ type: [TaxLineResponse] })
  lines!: TaxLineResponse[];

  @ApiProperty({ description: 'Sum of the lines’ netAmount', example: '12000.00' })
  totalAmount!: string;

  @ApiProperty({ description: 'Sum of the lines’ taxableAmount', example: '12000.00' })
  totalTaxable!: string;

  @ApiProperty({ description: 'Sum of the lines’ exemptAmount', example: '0.00' })
  totalExempt!: string;

  @ApiProperty({
    description: 'Sum of the lines’ tax (each rounded once on its line; no second rounding)',
    example: '600.00',
  })
  totalTax!: string;

  @ApiProperty({ description: 'totalAmount + totalTax', example: '12600.00' })
  totalWithTax!: string;

  @ApiProperty({
    type: [String],
    description: 'Legal mentions to print on the invoice (reverse charge, exemption)',
  })
  notes!: string[];
}

/**
 * A committed tax document recorded under its code: a sale (AvaTax SalesInvoice) or a return
 * (AvaTax ReturnInvoice), whose amounts and tax are positive — the amounts credited.
 */
export class TaxTransactionResponse extends TaxQuoteResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'INV-2026-0001' })
  code!: string;

  @ApiProperty({
    enum: TAX_DOCUMENT_TYPES,
    description:
      '`sale`: tax charged; `return`: tax credited back (a credit memo), its amounts and tax positive',
  })
  type!: TaxDocumentType;

  @ApiPropertyOptional({
    description: 'On a return: the code of the sale it credits',
    example: 'INV-2026-0001',
  })
  referenceCode?: string;

  @ApiProperty({ enum: TAX_TRANSACTION_STATUSES })
  status!: TaxTransactionStatus;

  @ApiProperty({ format: 'date-time' })
  committedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  voidedAt?: string;

  @ApiPropertyOptional()
  voidReason?: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
