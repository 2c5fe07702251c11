import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  POSITIVE_BILLING_QUANTITY,
  POSITIVE_BILLING_QUANTITY_MESSAGE,
} from '../billing/billing-common.dto';
import { isCurrency, minorUnits, MoneyDecimal } from '../money/money';
import { UNSIGNED_DECIMAL } from '../money/money.dto';
import {
  DOCUMENT_CODE,
  DOCUMENT_CODE_MESSAGE,
  ITEM_CODE,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  TAX_CODE,
} from '../tax/tax-document.dto';
import { DateRangeDto } from './date-range.dto';
import { ERP_EXTERNAL_ID, ERP_EXTERNAL_ID_MESSAGE } from './erp-customer.dto';
import { IsCalendarDate, IsCurrencyCode, Omittable } from './field-rules';

export const MAX_AR_LINES = 1000;
const AMOUNT_MESSAGE = 'must be a non-negative decimal string such as "1200.00"';

/** Field problems that span fields, with JSON pointers; empty when there are none. */
export interface ErpDocumentProblem {
  pointer: string;
  detail: string;
}

/**
 * A line of an AR invoice or credit memo: what was sold (the item), its net amount (discounts
 * already taken off), the tax charged on it and the service period it pays for. The ERP decides
 * the revenue account from the item: deferred revenue when the service period runs past the
 * posting period.
 */
export class ArDocumentLineDto {
  @ApiProperty({
    description: 'Item code (the product sku) in the entity',
    example: 'PLATFORM-ANNUAL',
  })
  @Matches(ITEM_CODE, { message: 'itemCode must be 1–50 letters, digits, . _ : / or -' })
  itemCode!: string;

  @ApiPropertyOptional({ example: 'Platform subscription, 2026', maxLength: 255 })
  @Omittable()
  @IsString({ message: 'description must be a string' })
  @IsNotEmpty({ message: 'description must not be empty' })
  @MaxLength(255, { message: 'description must be at most 255 characters' })
  description?: string;

  @ApiProperty({ description: 'Quantity, a positive decimal string', example: '10' })
  @Matches(POSITIVE_BILLING_QUANTITY, { message: `quantity ${POSITIVE_BILLING_QUANTITY_MESSAGE}` })
  quantity!: string;

  @ApiProperty({
    description:
      "The line's net amount in the document's currency (discounts taken off), with no more decimals than the currency",
    example: '12000.00',
  })
  @Matches(UNSIGNED_DECIMAL, { message: `amount ${AMOUNT_MESSAGE}` })
  amount!: string;

  @ApiPropertyOptional({
    description: 'Tax charged on the line (0 when omitted), credited to tax payable',
    example: '480.00',
  })
  @Omittable()
  @Matches(UNSIGNED_DECIMAL, { message: `taxAmount ${AMOUNT_MESSAGE}` })
  taxAmount?: string;

  @ApiPropertyOptional({
    description: 'Product tax code the tax was computed for',
    example: 'SW054000',
  })
  @Omittable()
  @Matches(TAX_CODE, { message: 'taxCode must be 2–25 capital letters or digits, e.g. SW054000' })
  taxCode?: string;

  @ApiPropertyOptional({
    type: DateRangeDto,
    description: 'The days the line pays for: start inclusive, end exclusive',
  })
  @Omittable()
  @IsObject({ message: 'servicePeriod must be an object with start and end' })
  @ValidateNested()
  @Type(() => DateRangeDto)
  servicePeriod?: DateRangeDto;
}

/** What AR invoices and credit memos share. */
export class ArDocumentDto {
  @ApiProperty({
    description: 'Code of the legal entity whose books take the document',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({
    description:
      "Revgate's id of the document (the billing document's id), unique per legal entity and kind: posting it again returns the first posting",
    example: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10',
  })
  @Matches(ERP_EXTERNAL_ID, { message: `externalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  externalId!: string;

  @ApiPropertyOptional({
    description: 'The number the document was issued under (the billing number)',
    example: 'US01-2026-000001',
  })
  @Omittable()
  @Matches(DOCUMENT_CODE, { message: DOCUMENT_CODE_MESSAGE.replace('code', 'reference') })
  reference?: string;

  @ApiProperty({ description: 'External id of the customer in the entity', example: 'ACME-001' })
  @Matches(ERP_EXTERNAL_ID, { message: `customerExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  customerExternalId!: string;

  @ApiProperty({
    format: 'date',
    description: 'Posting date, YYYY-MM-DD: its accounting period must be open',
    example: '2026-01-15',
  })
  @IsCalendarDate('date')
  date!: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Due date, on or after the posting date',
    example: '2026-02-14',
  })
  @Omittable()
  @IsCalendarDate('dueDate')
  dueDate?: string;

  @ApiProperty({ description: 'ISO 4217, one the entity allows', example: 'USD' })
  @IsCurrencyCode('currency')
  currency!: string;

  @ApiPropertyOptional({ example: 'January 2026', maxLength: 500 })
  @Omittable()
  @IsString({ message: 'memo must be a string' })
  @IsNotEmpty({ message: 'memo must not be empty' })
  @MaxLength(500, { message: 'memo must be at most 500 characters' })
  memo?: string;

  @ApiProperty({ type: [ArDocumentLineDto], minItems: 1, maxItems: MAX_AR_LINES })
  @IsArray({ message: 'lines must be an array of lines' })
  @ArrayMinSize(1, { message: 'lines must have at least one line' })
  @ArrayMaxSize(MAX_AR_LINES, { message: `lines must have at most ${MAX_AR_LINES} lines` })
  @ValidateNested({ each: true })
  @Type(() => ArDocumentLineDto)
  lines!: ArDocumentLineDto[];
}

/** An AR invoice: Dr receivable, Cr revenue (or deferred revenue), Cr tax payable. */
export class ArInvoiceDto extends ArDocumentDto {}

/** An AR credit memo against a posted invoice: the invoice's entry reversed, applied to it. */
export class ArCreditMemoDto extends ArDocumentDto {
  @ApiProperty({
    description: 'External id of the posted invoice the memo credits (same customer and currency)',
    example: '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10',
  })
  @Matches(ERP_EXTERNAL_ID, { message: `invoiceExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  invoiceExternalId!: string;
}

/** `value` has more decimals than `currency` allows (a malformed value is its field rule's job). */
export function exceedsMinorUnits(value: string | undefined, currency: string): boolean {
  return (
    value !== undefined &&
    UNSIGNED_DECIMAL.test(value) &&
    isCurrency(currency) &&
    new MoneyDecimal(value).decimalPlaces() > minorUnits(currency)
  );
}

/**
 * What the field rules of one field cannot see: amounts with more decimals than the currency, a
 * document whose total is not positive, and a due date before the posting date.
 */
export function arDocumentProblems(document: {
  currency: string;
  date: string;
  dueDate?: string;
  lines: readonly { amount: string; taxAmount?: string }[];
}): ErpDocumentProblem[] {
  const problems: ErpDocumentProblem[] = [];
  const { currency } = document;
  let total = new MoneyDecimal(0);
  document.lines.forEach((line, i) => {
    for (const field of ['amount', 'taxAmount'] as const) {
      const value = line[field];
      if (exceedsMinorUnits(value, currency))
        problems.push({
          pointer: `/lines/${i}/${field}`,
          detail: `lines[${i}].${field} has more decimals than ${currency} allows (${minorUnits(currency)})`,
        });
      if (value !== undefined && UNSIGNED_DECIMAL.test(value)) total = total.plus(value);
    }
  });
  if (!total.gt(0))
    problems.push({
      pointer: '/lines',
      detail: 'the document must have a positive total (amounts plus tax)',
    });
  if (document.dueDate !== undefined && document.dueDate < document.date)
    problems.push({ pointer: '/dueDate', detail: 'dueDate must not be before date' });
  return problems;
}
