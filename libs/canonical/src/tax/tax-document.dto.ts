import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
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

/** What a document says besides its lines (AvaTax's CreateTransactionModel). */
abstract class TaxDocumentRequest {
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
    description:
      'Document date: the rates in effect on this day apply, except on a return, which is taxed at the date of the sale it credits',
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

/** A document to estimate tax for (AvaTax's CreateTransactionModel of type SalesOrder). */
export class TaxQuoteRequest extends TaxDocumentRequest {
  @ApiProperty({ type: [TaxLineRequest], minItems: 1, maxItems: MAX_TAX_LINES })
  @IsArray()
  @ArrayMinSize(1, { message: 'lines must have at least one line' })
  @ArrayMaxSize(MAX_TAX_LINES, { message: `lines must have at most ${MAX_TAX_LINES} lines` })
  @ValidateNested({ each: true })
  @Type(() => TaxLineRequest)
  lines!: TaxLineRequest[];
}

/** `sale` (AvaTax SalesInvoice) or `return` (AvaTax ReturnInvoice: a credit memo). */
export const TAX_DOCUMENT_TYPES = ['sale', 'return'] as const;
export type TaxDocumentType = (typeof TAX_DOCUMENT_TYPES)[number];

/** A line of a document to commit: a line to tax, and on a return the tax it credits. */
export class TaxTransactionLineRequest extends TaxLineRequest {
  @ApiPropertyOptional({
    description:
      "Return lines only: the tax credited on this line, positive, with no more decimals than the currency has (AvaTax TaxOverride of type TaxAmount). The line's recorded tax is exactly this amount. Without it the tax is computed at the original document's tax date. Refused on a sale.",
    example: '24.00',
  })
  @IsOptional()
  @Matches(TAX_AMOUNT, {
    message: 'taxAmount must be a non-negative decimal string such as "24.00"',
  })
  taxAmount?: string;
}

/**
 * A document to record and commit (AvaTax's CreateTransactionModel with commit=true): a sale
 * (SalesInvoice), or a return (ReturnInvoice) that credits part or all of a committed sale.
 */
export class CommitTaxTransactionRequest extends TaxDocumentRequest {
  @ApiProperty({
    description:
      'Document code, unique per legal entity (e.g. the invoice or credit memo number). Committing the same code with the same content again returns the recorded transaction; with other content it is refused.',
    example: 'INV-2026-0001',
  })
  @Matches(DOCUMENT_CODE, { message: DOCUMENT_CODE_MESSAGE })
  code!: string;

  @ApiPropertyOptional({
    enum: TAX_DOCUMENT_TYPES,
    default: 'sale',
    description:
      "`sale` records the tax charged; `return` records the tax credited back against the committed sale named in referenceCode (a credit memo). A return's line amounts and taxAmount are POSITIVE: the amounts credited. Its tax is computed at the sale's tax date (or is each line's taxAmount); together, the returns of a sale may not credit more than its totalAmount nor more than its totalTax.",
  })
  @IsOptional()
  @IsIn(TAX_DOCUMENT_TYPES, { message: `type must be one of ${TAX_DOCUMENT_TYPES.join(', ')}` })
  type?: TaxDocumentType;

  @ApiPropertyOptional({
    description:
      'Returns only, and required on them: the code of the committed sale (same legal entity, customer and currency) that this return credits. Refused on a sale.',
    example: 'INV-2026-0001',
  })
  @IsOptional()
  @Matches(DOCUMENT_CODE, {
    message: 'referenceCode must be 1–50 letters, digits, . _ : or - (e.g. INV-2026-0001)',
  })
  referenceCode?: string;

  @ApiProperty({
    type: [TaxTransactionLineRequest],
    minItems: 1,
    maxItems: MAX_TAX_LINES,
    description: 'On a return: the amounts credited, positive',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'lines must have at least one line' })
  @ArrayMaxSize(MAX_TAX_LINES, { message: `lines must have at most ${MAX_TAX_LINES} lines` })
  @ValidateNested({ each: true })
  @Type(() => TaxTransactionLineRequest)
  lines!: TaxTransactionLineRequest[];
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
  lines: readonly { number?: string; amount: string; taxAmount?: string }[];
}): TaxDocumentProblem[] {
  const problems: TaxDocumentProblem[] = [];
  const places = minorUnits(document.currency);
  const seen = new Map<string, number>();
  document.lines.forEach((line, i) => {
    for (const field of ['amount', 'taxAmount'] as const) {
      const value = line[field];
      if (
        value !== undefined &&
        TAX_AMOUNT.test(value) &&
        new MoneyDecimal(value).decimalPlaces() > places
      )
        problems.push({
          pointer: `/lines/${i}/${field}`,
          detail: `lines[${i}].${field} has more decimals than ${document.currency} allows (${places})`,
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

/**
 * What spans fields of a document to commit, beyond taxDocumentProblems: a return names the sale it
 * credits, a sale names none and fixes no tax, and a tax-included line's tax is part of its amount.
 */
export function taxTransactionProblems(document: {
  code: string;
  type?: TaxDocumentType;
  referenceCode?: string;
  lines: readonly { amount: string; taxIncluded?: boolean; taxAmount?: string }[];
}): TaxDocumentProblem[] {
  const problems: TaxDocumentProblem[] = [];
  const isReturn = document.type === 'return';
  if (isReturn && document.referenceCode === undefined)
    problems.push({
      pointer: '/referenceCode',
      detail: 'referenceCode is required on a return: the code of the sale it credits',
    });
  if (!isReturn && document.referenceCode !== undefined)
    problems.push({
      pointer: '/referenceCode',
      detail: 'referenceCode is only for a return (type "return")',
    });
  if (isReturn && document.referenceCode === document.code)
    problems.push({
      pointer: '/referenceCode',
      detail: 'a return cannot credit itself: referenceCode must differ from code',
    });
  document.lines.forEach((line, i) => {
    if (line.taxAmount === undefined) return;
    if (!isReturn)
      problems.push({
        pointer: `/lines/${i}/taxAmount`,
        detail: `lines[${i}].taxAmount is only for a return (type "return"); a sale's tax is computed`,
      });
    else if (
      line.taxIncluded === true &&
      TAX_AMOUNT.test(line.taxAmount) &&
      TAX_AMOUNT.test(line.amount) &&
      new MoneyDecimal(line.taxAmount).gt(line.amount)
    )
      problems.push({
        pointer: `/lines/${i}/taxAmount`,
        detail: `lines[${i}].taxAmount is more than its amount, which includes the tax`,
      });
  });
  return problems;
}
