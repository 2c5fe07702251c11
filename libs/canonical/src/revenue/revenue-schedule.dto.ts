import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MoneyDecimal } from '../money/money';
import { SIGNED_DECIMAL } from '../money/money.dto';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { isAccountingPeriod, isCalendarDate, periodsSpanned } from '../erp/calendar';
import { DateRangeDto } from '../erp/date-range.dto';
import {
  currencyIn,
  FitsCurrency,
  fitsCurrency,
  IsAccountingPeriod,
  IsCurrencyCode,
  REFERENCE,
  REFERENCE_RULE,
  Rule,
} from '../erp/field-rules';

/**
 * How revenue is recognized: `ratable_daily` evenly per day over the service period (subscriptions),
 * `as_consumed` in the period the usage happened (usage), `point_in_time` all at once in one period
 * (one-time fees, per policy).
 */
export const RECOGNITION_METHODS = ['ratable_daily', 'as_consumed', 'point_in_time'] as const;
export type RecognitionMethod = (typeof RECOGNITION_METHODS)[number];
/** Twenty years of monthly entries. */
export const MAX_SCHEDULE_ENTRIES = 240;

/** Revenue recognized in one accounting period. */
export class RevenueScheduleEntryDto {
  @ApiProperty({ description: 'Accounting period, YYYY-MM', example: '2026-01' })
  @IsAccountingPeriod('period')
  period!: string;

  @ApiProperty({
    description:
      "Revenue recognized in the period: a decimal string in the schedule's currency, with no more decimals than it allows",
    example: '84.93',
  })
  @Matches(SIGNED_DECIMAL, { message: 'amount must be a decimal string such as "84.93"' })
  amount!: string;
}

interface ScheduleShape {
  method?: unknown;
  servicePeriod?: unknown;
  total?: unknown;
}

/**
 * What is wrong with a schedule's entries as a whole (undefined when nothing): periods ascending and
 * distinct; amounts within the currency's decimals and of the total's sign (or zero); one entry for
 * point_in_time; within the service period for ratable_daily; and adding up to exactly the total.
 * Entries or fields that are malformed on their own are left to their own rules.
 */
function scheduleEntriesProblem(entries: unknown, schedule: object): string | undefined {
  if (!Array.isArray(entries)) return undefined;
  const rows = entries.filter(
    (e): e is { period: string; amount: string } =>
      typeof e === 'object' &&
      e !== null &&
      isAccountingPeriod((e as { period?: unknown }).period) &&
      typeof (e as { amount?: unknown }).amount === 'string' &&
      SIGNED_DECIMAL.test((e as { amount: string }).amount),
  );
  if (rows.length === 0 || rows.length !== entries.length) return undefined;
  const { method, servicePeriod, total } = schedule as ScheduleShape;
  const currency = currencyIn(schedule);
  for (let i = 1; i < rows.length; i++) {
    const [before, after] = [rows[i - 1]?.period ?? '', rows[i]?.period ?? ''];
    if (before >= after) {
      return `entries must be in ascending order of period, each period once: ${before} then ${after}`;
    }
  }
  if (currency !== undefined) {
    const i = rows.findIndex((row) => !fitsCurrency(row.amount, currency));
    if (i >= 0) return `entries[${i}].amount has more decimals than ${currency} allows`;
  }
  if (method === 'point_in_time' && rows.length !== 1) {
    return 'a point_in_time schedule has exactly one entry';
  }
  if (method === 'ratable_daily' && typeof servicePeriod === 'object' && servicePeriod !== null) {
    const { start, end } = servicePeriod as { start?: unknown; end?: unknown };
    if (isCalendarDate(start) && isCalendarDate(end) && start < end) {
      const spanned = new Set(periodsSpanned({ start, end }));
      const outside = rows.find((row) => !spanned.has(row.period));
      if (outside) {
        return `entry ${outside.period} is outside the service period ${start}..${end} (end exclusive)`;
      }
    }
  }
  if (typeof total !== 'string' || !SIGNED_DECIMAL.test(total)) return undefined;
  const whole = new MoneyDecimal(total);
  const sign = whole.isZero() ? 0 : whole.isNegative() ? -1 : 1;
  const wrongSign = rows.find((row) => {
    const amount = new MoneyDecimal(row.amount);
    return !amount.isZero() && (amount.isNegative() ? -1 : 1) !== sign;
  });
  if (wrongSign) {
    return `entry ${wrongSign.period} (${wrongSign.amount}) must have the sign of the total (${total}) or be zero`;
  }
  const sum = rows.reduce((acc, row) => acc.plus(row.amount), new MoneyDecimal(0));
  if (!sum.equals(whole)) {
    return `entries must add up to the total ${total}; they add up to ${sum.toFixed()}`;
  }
  return undefined;
}

/**
 * How one invoice line's revenue is recognized: the periods and the amount in each. Built per
 * invoice line (scheduleRatably for ratable_daily); the entries add up to exactly the total. A credit
 * memo line has a negative total and negative entries.
 */
export class RevenueScheduleDto {
  @ApiProperty({ format: 'uuid', description: "Revgate's id of the schedule" })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ description: 'Code of the legal entity whose revenue it is', example: 'US01' })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ description: 'The invoice (or credit memo) the line is on', example: 'in_1QX2' })
  @Matches(REFERENCE, { message: `invoiceId must be ${REFERENCE_RULE}` })
  invoiceId!: string;

  @ApiProperty({ description: 'The invoice line the revenue comes from', example: 'il_1QX2_1' })
  @Matches(REFERENCE, { message: `invoiceLineId must be ${REFERENCE_RULE}` })
  invoiceLineId!: string;

  @ApiProperty({ description: 'The product sold (code or id)', example: 'PLATFORM-ANNUAL' })
  @Matches(REFERENCE, { message: `productId must be ${REFERENCE_RULE}` })
  productId!: string;

  @ApiProperty({
    enum: RECOGNITION_METHODS,
    description:
      'ratable_daily: evenly per day over servicePeriod; as_consumed: in the period of use; point_in_time: all in one period',
    example: 'ratable_daily',
  })
  @IsIn(RECOGNITION_METHODS, {
    message: 'method must be ratable_daily, as_consumed or point_in_time',
  })
  method!: RecognitionMethod;

  @ApiPropertyOptional({
    type: DateRangeDto,
    description:
      'The days the line pays for (start inclusive, end exclusive). Required for ratable_daily.',
  })
  @ValidateIf(
    (schedule: RevenueScheduleDto) =>
      schedule.method === 'ratable_daily' || schedule.servicePeriod !== undefined,
  )
  @IsDefined({ message: 'servicePeriod is required for a ratable_daily schedule' })
  @IsObject({ message: 'servicePeriod must be an object with start and end' })
  @ValidateNested()
  @Type(() => DateRangeDto)
  servicePeriod?: DateRangeDto;

  @ApiProperty({
    description:
      "The line's amount to recognize: a decimal string with no more decimals than the currency; negative for a credit",
    example: '1000.00',
  })
  @Matches(SIGNED_DECIMAL, { message: 'total must be a decimal string such as "1000.00"' })
  @FitsCurrency('total')
  total!: string;

  @ApiProperty({
    description: 'ISO 4217 currency of the total and the entries, in capitals',
    example: 'USD',
  })
  @IsCurrencyCode('currency')
  currency!: string;

  @ApiProperty({
    type: [RevenueScheduleEntryDto],
    minItems: 1,
    maxItems: MAX_SCHEDULE_ENTRIES,
    description:
      'One entry per period, in ascending order; the amounts add up to exactly the total and have its sign (or are zero)',
  })
  @IsArray({ message: 'entries must be an array of schedule entries' })
  @ArrayMinSize(1, { message: 'entries must have at least one entry' })
  @ArrayMaxSize(MAX_SCHEDULE_ENTRIES, {
    message: `entries must have at most ${MAX_SCHEDULE_ENTRIES} entries`,
  })
  @ValidateNested({ each: true })
  @Type(() => RevenueScheduleEntryDto)
  @Rule(
    'isConsistentSchedule',
    (value, object) => scheduleEntriesProblem(value, object) === undefined,
    (value, object) => scheduleEntriesProblem(value, object) ?? 'invalid',
  )
  entries!: RevenueScheduleEntryDto[];
}
