import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { UNSIGNED_DECIMAL } from '../money/money.dto';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { isAccountingPeriod, isCalendarDate, periodOf } from './calendar';
import {
  currencyIn,
  IsAccountingPeriod,
  IsCalendarDate,
  IsCurrencyCode,
  Omittable,
  Rule,
} from './field-rules';
import { journalBalanceProblems, MIN_JOURNAL_LINES } from './journal-balance';

export const MAX_JOURNAL_LINES = 1000;
/** A GL account code as the chart of accounts has it: 4000, 4000-10, 1200.01. */
export const ACCOUNT_CODE = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,39}$/;
/** A dimension value's code (a class, department, product family, customer number). */
export const DIMENSION_CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Our id of a posted document in the ERP: the key a retry finds it by. */
export const JOURNAL_EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const DIMENSION_RULE = '1–64 letters, digits, . _ : or -';

/**
 * The sum of the debits equals the sum of the credits, each line has exactly one of debit and
 * credit positive, no amount has more decimals than the entry's currency, and there are at least two
 * lines. Put on the `lines` of an object that also has `currency`.
 */
@ValidatorConstraint({ name: 'isBalanced', async: false })
export class IsBalancedConstraint implements ValidatorConstraintInterface {
  validate(lines: unknown, args: ValidationArguments): boolean {
    return journalBalanceProblems(lines, currencyIn(args.object)).length === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return journalBalanceProblems(args.value, currencyIn(args.object)).join('; ');
  }
}

export function IsBalanced(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBalanced',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: IsBalancedConstraint,
    });
  };
}

const dimension = (name: string, description: string, example: string): PropertyDecorator => {
  const decorators = [
    ApiPropertyOptional({ description, example }),
    Omittable(),
    Matches(DIMENSION_CODE, { message: `${name} must be ${DIMENSION_RULE}` }),
  ];
  return (target: object, propertyName: string | symbol) => {
    for (const decorate of decorators) decorate(target, propertyName);
  };
};

/**
 * Analytic dimensions of a line (NetSuite class, department, location; Tryton analytic accounts):
 * what revenue is reported by. Each is optional; the ERP adapter maps them to its own segments.
 */
export class JournalDimensionsDto {
  @dimension('productFamily', 'Product family, as the catalog has it', 'subscription')
  productFamily?: string;

  @dimension('product', 'Product code (sku)', 'PLATFORM-ANNUAL')
  product?: string;

  @dimension('customer', 'Customer number (external id)', 'ACME-001')
  customer?: string;

  @dimension('department', 'Department code', 'SALES')
  department?: string;

  @dimension('location', 'Location code', 'US-TX')
  location?: string;
}

/** One line of a journal entry: an account, and either a debit or a credit. */
export class JournalLineDto {
  @ApiProperty({ description: 'GL account code in the chart of accounts', example: '4000' })
  @Matches(ACCOUNT_CODE, {
    message:
      'accountCode must be 1–40 letters, digits, . : _ or -, starting with a letter or digit',
  })
  accountCode!: string;

  @ApiPropertyOptional({
    description:
      'Debit amount: a positive decimal string with no more decimals than the currency; give either debit or credit (the other absent or zero)',
    example: '1000.00',
  })
  @Omittable()
  @Matches(UNSIGNED_DECIMAL, {
    message: 'debit must be a non-negative decimal string such as "1000.00"',
  })
  debit?: string;

  @ApiPropertyOptional({
    description:
      'Credit amount: a positive decimal string with no more decimals than the currency; give either debit or credit (the other absent or zero)',
    example: '1000.00',
  })
  @Omittable()
  @Matches(UNSIGNED_DECIMAL, {
    message: 'credit must be a non-negative decimal string such as "1000.00"',
  })
  credit?: string;

  @ApiPropertyOptional({
    description: 'Line memo',
    example: 'Deferred revenue release',
    maxLength: 255,
  })
  @Omittable()
  @IsString({ message: 'memo must be a string' })
  @IsNotEmpty({ message: 'memo must not be empty' })
  @MaxLength(255, { message: 'memo must be at most 255 characters' })
  memo?: string;

  @ApiPropertyOptional({ type: JournalDimensionsDto })
  @Omittable()
  @IsObject({ message: 'dimensions must be an object' })
  @ValidateNested()
  @Type(() => JournalDimensionsDto)
  dimensions?: JournalDimensionsDto;
}

/**
 * A general-ledger journal entry in one legal entity and one currency: balanced (IsBalanced), dated
 * in its period, and keyed by `externalId` so that posting it again finds the first posting.
 */
export class JournalEntryDto {
  @ApiProperty({
    description: 'Code of the legal entity whose books take the entry',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ format: 'date', description: 'Posting date, YYYY-MM-DD', example: '2026-01-31' })
  @IsCalendarDate('date')
  date!: string;

  @ApiProperty({
    description: 'Accounting period (YYYY-MM) the entry posts to: the period of date',
    example: '2026-01',
  })
  @IsAccountingPeriod('period')
  @Rule(
    'isPeriodOfDate',
    (value, object) => {
      const date = (object as { date?: unknown }).date;
      return !isAccountingPeriod(value) || !isCalendarDate(date) || periodOf(date) === value;
    },
    (_value, object) =>
      `period must be the period of date ${String((object as { date?: unknown }).date)}`,
  )
  period!: string;

  @ApiProperty({ description: 'ISO 4217 currency of every amount, in capitals', example: 'USD' })
  @IsCurrencyCode('currency')
  currency!: string;

  @ApiProperty({
    description: 'What the entry is',
    example: 'Revenue recognition 2026-01, US01, USD',
    maxLength: 500,
  })
  @IsString({ message: 'memo must be a string' })
  @IsNotEmpty({ message: 'memo must not be empty' })
  @MaxLength(500, { message: 'memo must be at most 500 characters' })
  memo!: string;

  @ApiProperty({
    description:
      "Revgate's id of the entry, unique per legal entity: posting the same externalId again returns the first posting",
    example: 'REVREC-US01-2026-01-USD',
  })
  @Matches(JOURNAL_EXTERNAL_ID, {
    message:
      'externalId must be 1–100 letters, digits, . _ : or -, starting with a letter or digit',
  })
  externalId!: string;

  @ApiProperty({
    type: [JournalLineDto],
    description:
      'At least two lines; each has exactly one of debit and credit positive; the debits add up to exactly the credits',
    minItems: MIN_JOURNAL_LINES,
    maxItems: MAX_JOURNAL_LINES,
  })
  @IsArray({ message: 'lines must be an array of journal lines' })
  @ArrayMaxSize(MAX_JOURNAL_LINES, {
    message: `lines must have at most ${MAX_JOURNAL_LINES} lines`,
  })
  @ValidateNested({ each: true })
  @Type(() => JournalLineDto)
  @IsBalanced()
  lines!: JournalLineDto[];
}
