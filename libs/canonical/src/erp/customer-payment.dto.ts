import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { minorUnits, MoneyDecimal } from '../money/money';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { exceedsMinorUnits, type ErpDocumentProblem } from './ar-document.dto';
import { ERP_EXTERNAL_ID, ERP_EXTERNAL_ID_MESSAGE } from './erp-customer.dto';
import { IsCalendarDate, IsCurrencyCode, Omittable } from './field-rules';
import { ACCOUNT_CODE_MESSAGE } from './gl-account.dto';
import { ACCOUNT_CODE } from './journal-entry.dto';

export const MAX_PAYMENT_APPLICATIONS = 1000;
/** A positive decimal string. */
const POSITIVE_AMOUNT = /^(?!0+(\.0+)?$)(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
const POSITIVE_AMOUNT_MESSAGE = 'must be a positive decimal string such as "1200.00"';

/** How much of a payment goes to one open invoice. */
export class PaymentApplicationDto {
  @ApiProperty({ description: 'External id of a posted invoice of the customer', example: 'INV-1' })
  @Matches(ERP_EXTERNAL_ID, { message: `invoiceExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  invoiceExternalId!: string;

  @ApiProperty({
    description: "Amount applied, no more than the invoice's amount due",
    example: '100.00',
  })
  @Matches(POSITIVE_AMOUNT, { message: `amount ${POSITIVE_AMOUNT_MESSAGE}` })
  amount!: string;
}

/**
 * A customer payment received into cash (Dr cash, Cr receivable) and applied to open invoices
 * (cash application); what is not applied stays on the customer's account as unapplied cash.
 */
export class CustomerPaymentDto {
  @ApiProperty({
    description: 'Code of the legal entity that received the payment',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({
    description: "Revgate's id of the payment (the processor's reference), unique per legal entity",
    example: 'pi_3PqL8x2eZvKYlo2C',
  })
  @Matches(ERP_EXTERNAL_ID, { message: `externalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  externalId!: string;

  @ApiProperty({ description: 'External id of the customer who paid', example: 'ACME-001' })
  @Matches(ERP_EXTERNAL_ID, { message: `customerExternalId ${ERP_EXTERNAL_ID_MESSAGE}` })
  customerExternalId!: string;

  @ApiProperty({
    format: 'date',
    description: 'Date received; its period must be open',
    example: '2026-02-10',
  })
  @IsCalendarDate('date')
  date!: string;

  @ApiProperty({ description: 'ISO 4217, one the entity allows', example: 'USD' })
  @IsCurrencyCode('currency')
  currency!: string;

  @ApiProperty({ description: 'Amount received', example: '12480.00' })
  @Matches(POSITIVE_AMOUNT, { message: `amount ${POSITIVE_AMOUNT_MESSAGE}` })
  amount!: string;

  @ApiPropertyOptional({
    description: "Cash account debited (type cash); without it, the entity's default cash account",
    example: '1000',
  })
  @Omittable()
  @Matches(ACCOUNT_CODE, { message: `cashAccount ${ACCOUNT_CODE_MESSAGE}` })
  cashAccount?: string;

  @ApiPropertyOptional({ example: 'Wire 2026-02-10', maxLength: 500 })
  @Omittable()
  @IsString({ message: 'memo must be a string' })
  @IsNotEmpty({ message: 'memo must not be empty' })
  @MaxLength(500, { message: 'memo must be at most 500 characters' })
  memo?: string;

  @ApiProperty({
    type: [PaymentApplicationDto],
    description: 'Invoices the payment pays, each at most once; together no more than the amount',
    maxItems: MAX_PAYMENT_APPLICATIONS,
  })
  @IsArray({ message: 'applications must be an array' })
  @ArrayMaxSize(MAX_PAYMENT_APPLICATIONS, {
    message: `applications must have at most ${MAX_PAYMENT_APPLICATIONS} entries`,
  })
  @ValidateNested({ each: true })
  @Type(() => PaymentApplicationDto)
  applications!: PaymentApplicationDto[];
}

/**
 * What spans fields of a payment: amounts with more decimals than the currency, an invoice named
 * twice, and applications adding up to more than the payment.
 */
export function customerPaymentProblems(payment: {
  currency: string;
  amount: string;
  applications: readonly { invoiceExternalId: string; amount: string }[];
}): ErpDocumentProblem[] {
  const problems: ErpDocumentProblem[] = [];
  const { currency } = payment;
  const places = (): number => minorUnits(currency);
  if (exceedsMinorUnits(payment.amount, currency))
    problems.push({
      pointer: '/amount',
      detail: `amount has more decimals than ${currency} allows (${places()})`,
    });
  const seen = new Map<string, number>();
  let applied = new MoneyDecimal(0);
  payment.applications.forEach((application, i) => {
    if (exceedsMinorUnits(application.amount, currency))
      problems.push({
        pointer: `/applications/${i}/amount`,
        detail: `applications[${i}].amount has more decimals than ${currency} allows (${places()})`,
      });
    if (POSITIVE_AMOUNT.test(application.amount)) applied = applied.plus(application.amount);
    const first = seen.get(application.invoiceExternalId);
    if (first === undefined) seen.set(application.invoiceExternalId, i);
    else
      problems.push({
        pointer: `/applications/${i}/invoiceExternalId`,
        detail: `applications[${i}] names invoice ${application.invoiceExternalId}, already applied by applications[${first}]`,
      });
  });
  if (POSITIVE_AMOUNT.test(payment.amount) && applied.gt(payment.amount))
    problems.push({
      pointer: '/applications',
      detail: `the applications add up to ${applied.toFixed()}, more than the payment's amount ${payment.amount}`,
    });
  return problems;
}
