import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MoneyDecimal, minorUnits } from '../money/money';
import { CURRENCY_CODE } from '../money/money.dto';
import { TaxAddressesDto } from './tax-address.dto';

/** Code of a Revgate legal entity (AvaTax's companyCode), e.g. US01. */
export const LEGAL_ENTITY_CODE = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;
export const LEGAL_ENTITY_MESSAGE =
  'legalEntity must be 2–20 characters: capital letters, digits, _ or - (e.g. US01)';
/** A document code (AvaTax's transaction code): unique per legal entity, e.g. the invoice number. */
export const DOCUMENT_CODE = /^(?!\.+$)[A-Za-z0-9._:-]{1,50}$/;
export const DOCUMENT_CODE_MESSAGE =
  'code must be 1–50 letters, digits, . _ : or - (e.g. INV-2026-0001)';
export const CUSTOMER_CODE = /^[A-Za-z0-9._:-]{1,50}$/;
/** A product tax code (AvaTax system codes such as SW054000, P0000000, NT). */
export const TAX_CODE = /^[A-Z0-9]{2,25}$/;
export const LINE_NUMBER = /^[A-Za-z0-9._-]{1,50}$/;
export const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/;
export const EXEMPTION_NO = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,24}$/;
export const VAT_ID = /^[A-Z0-9+*]{4,20}$/;
/** Positive, up to 12 integer digits and 6 decimals. */
export const TAX_QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;
/** Not negative, up to 15 integer digits and 4 decimals (and no more than the currency's). */
export const TAX_AMOUNT = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code in capitals, such as USD or EUR';
export const MAX_TAX_LINES = 1000;

/** One line of a document to tax (AvaTax's LineItemModel). */
export class TaxLineRequest {
  @ApiPropertyOptional({
    description: "Line number, unique in the document; defaults to the line's position (1, 2, …)",
    example: '1',
  })
  @IsOptional()
  @Matches(LINE_NUMBER, { message: 'number must be 1–50 letters, digits, . _ or -' })
  number?: string;

  @ApiPropertyOptional({ description: 'Your product code (sku)', example: 'PLATFORM-ANNUAL' })
  @IsOptional()
  @Matches(ITEM_CODE, { message: 'itemCode must be 1–50 letters, digits, . _ : / or -' })
  itemCode?: string;

  @ApiProperty({
    description:
      'Product tax code: SW054000 (SaaS), P0000000 (tangible goods), NT (not taxable) in the sandbox',
    example: 'SW054000',
  })
  @Matches(TAX_CODE, {
    message: 'taxCode must be 2–25 capital letters or digits, e.g. SW054000',
  })
  taxCode!: string;

  @ApiPropertyOptional({ example: 'Platform subscription, 12 months' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  description?: string;

  @ApiProperty({ description: 'Positive decimal string, up to 6 decimals', example: '10' })
  @Matches(TAX_QUANTITY, {
    message: 'quantity must be a positive decimal string with up to 6 decimals, e.g. "10" or "2.5"',
  })
  quantity!: string;

  @ApiProperty({
    description:
      "The line's total (not a unit price) in the document's currency, a decimal string with no more decimals than the currency has; it includes tax when taxIncluded is true",
    example: '12000.00',
  })
  @Matches(TAX_AMOUNT, {
    message: 'amount must be a non-negative decimal string such as "12000.00"',
  })
  amount!: string;

  @ApiPropertyOptional({
    description: 'True when amount already includes the tax (gross prices)',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'taxIncluded must be true or false' })
  taxIncluded?: boolean;
}

/** A document to estimate tax for (AvaTax's CreateTransactionModel of type SalesOrder). */
export class TaxQuoteRequest {
  @ApiProperty({
    description: 'The legal entity that sells (AvaTax company code)',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ description: "The buyer's id (customer number)", example: 'ACME-001' })
  @Matches(CUSTOMER_CODE, { message: 'customerCode must be 1–50 letters, digits, . _ : or -' })
  customerCode!: string;

  @ApiProperty({
    format: 'date',
    description: 'Tax date: the rates in effect on this day apply',
    example: '2026-01-15',
  })
  @Matches(DATE_ONLY, { message: 'date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date!: string;

  @ApiProperty({ description: 'ISO 4217, in capitals', example: 'USD' })
  @Matches(CURRENCY_CODE, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency!: string;

  @ApiProperty({ type: TaxAddressesDto })
  @IsObject({ message: 'addresses must be an object with shipFrom and shipTo' })
  @ValidateNested()
  @Type(() => TaxAddressesDto)
  addresses!: TaxAddressesDto;

  @ApiProperty({ type: [TaxLineRequest], minItems: 1, maxItems: MAX_TAX_LINES })
  @IsArray()
  @ArrayMinSize(1, { message: 'lines must have at least one line' })
  @ArrayMaxSize(MAX_TAX_LINES, { message: `lines must have at most ${MAX_TAX_LINES} lines` })
  @ValidateNested({ each: true })
  @Type(() => TaxLineRequest)
  lines!: TaxLineRequest[];

  @ApiPropertyOptional({
    description:
      "The customer's exemption certificate number: every line is exempt, and the certificate is recorded",
    example: 'EXEMPT-TX-2026-001',
  })
  @IsOptional()
  @Matches(EXEMPTION_NO, {
    message: 'exemptionNo must be 1–25 letters, digits, . _ : / or -',
  })
  exemptionNo?: string;

  @ApiPropertyOptional({
    description:
      "The buyer's VAT identification number with its country prefix, no spaces (AvaTax businessIdentificationNo). A buyer in the EU with a well-formed number of its own member state, bought from a seller established elsewhere, is reverse-charged.",
    example: 'DE123456789',
  })
  @IsOptional()
  @Matches(VAT_ID, {
    message:
      'customerVatId must be 4–20 capital letters or digits with its country prefix, no spaces',
  })
  customerVatId?: string;
}

/** A document to record and commit (AvaTax's CreateTransactionModel of type SalesInvoice, commit=true). */
export class CommitTaxTransactionRequest extends TaxQuoteRequest {
  @ApiProperty({
    description:
      'Document code, unique per legal entity (e.g. the invoice number). Committing the same code with the same content again returns the recorded transaction; with other content it is refused.',
    example: 'INV-2026-0001',
  })
  @Matches(DOCUMENT_CODE, { message: DOCUMENT_CODE_MESSAGE })
  code!: string;
}

export class VoidTaxTransactionRequest {
  @ApiPropertyOptional({ description: 'Why the document is voided', example: 'Invoice cancelled' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  reason?: string;
}

/** The number a line goes by: its own, or its 1-based position. */
export function lineNumberOf(line: { number?: string }, index: number): string {
  return line.number ?? String(index + 1);
}

export interface TaxDocumentProblem {
  pointer: string;
  detail: string;
}

/**
 * What the field rules alone cannot see, because it spans fields: amounts with more decimals than
 * the currency has, and line numbers used twice. Empty when the document is well formed.
 */
export function taxDocumentProblems(document: {
  currency: string;
  lines: readonly { number?: string; amount: string }[];
}): TaxDocumentProblem[] {
  const problems: TaxDocumentProblem[] = [];
  const places = minorUnits(document.currency);
  const seen = new Map<string, number>();
  document.lines.forEach((line, i) => {
    if (TAX_AMOUNT.test(line.amount) && new MoneyDecimal(line.amount).decimalPlaces() > places) {
      problems.push({
        pointer: `/lines/${i}/amount`,
        detail: `lines[${i}].amount has more decimals than ${document.currency} allows (${places})`,
      });
    }
    const number = lineNumberOf(line, i);
    const first = seen.get(number);
    if (first === undefined) seen.set(number, i);
    else
      problems.push({
        pointer: `/lines/${i}/number`,
        detail: `lines[${i}] has number ${number}, already used by lines[${first}]`,
      });
  });
  return problems;
}
