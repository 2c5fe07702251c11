import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyDto, UNSIGNED_DECIMAL } from '../money/money.dto';
import { DateRangeDto } from '../erp/date-range.dto';
import { IsInstant, REFERENCE, REFERENCE_RULE, RoundedMoney, Rule } from '../erp/field-rules';
import { METER_CODE, METER_CODE_MESSAGE, USAGE_EVENT_ID } from './usage-event.dto';

const EVENT_ID_MESSAGE = (field: string): string =>
  `${field} must be a usage event id: 1–128 letters, digits, . _ : or -`;

/**
 * Which ledger events a rating covers, so that rated = the sum of the events is provable: recompute
 * summarizeUsageEvents over the ledger's events and compare.
 */
export class RatedUsageSourceDto {
  @ApiProperty({ description: 'How many events were rated (at least one)', example: 3, minimum: 1 })
  @IsInt({ message: 'eventCount must be a whole number' })
  @Min(1, { message: 'eventCount must be at least 1' })
  @Max(1_000_000_000, { message: 'eventCount must be at most 1000000000' })
  eventCount!: number;

  @ApiProperty({
    description: 'The smallest event id, in code-unit order (SQL: ORDER BY id COLLATE "C")',
    example: 'evt_0001',
  })
  @Matches(USAGE_EVENT_ID, { message: EVENT_ID_MESSAGE('firstEventId') })
  firstEventId!: string;

  @ApiProperty({
    description:
      'The largest event id, in the same order: equal to firstEventId for one event, after it otherwise',
    example: 'evt_0003',
  })
  @Matches(USAGE_EVENT_ID, { message: EVENT_ID_MESSAGE('lastEventId') })
  @Rule(
    'isEventRange',
    (value, object) => {
      const { firstEventId: first, eventCount: count } = object as {
        firstEventId?: unknown;
        eventCount?: unknown;
      };
      if (typeof value !== 'string' || typeof first !== 'string') return true; // their own rules
      if (count === 1) return first === value;
      return typeof count === 'number' ? first < value : first <= value;
    },
    'lastEventId must equal firstEventId for one event and come after it for more',
  )
  lastEventId!: string;

  @ApiProperty({
    description:
      'SHA-256 (lower-case hex) of the events sorted by id in code-unit order, one line each: "<id>\\t<quantity>\\n", the quantity in its shortest decimal form ("1.50" → "1.5")',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Matches(/^[0-9a-f]{64}$/, {
    message: 'checksum must be 64 lower-case hexadecimal digits (SHA-256)',
  })
  checksum!: string;
}

/**
 * Usage of one meter under one subscription over one rating period, priced: what the billing run
 * turns into a usage line. `quantity` is the exact sum of the source events' quantities; `amount` is
 * what the price makes of it (tiers, included quantity, overage), rounded to the currency.
 */
export class RatedUsageDto {
  @ApiProperty({ format: 'uuid', description: "Revgate's id of the rating" })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ description: 'The subscription the usage is billed under', example: 'sub_3f2a9c' })
  @Matches(REFERENCE, { message: `subscriptionId must be ${REFERENCE_RULE}` })
  subscriptionId!: string;

  @ApiProperty({ description: 'The meter rated', example: 'api_calls' })
  @Matches(METER_CODE, { message: METER_CODE_MESSAGE })
  meterCode!: string;

  @ApiProperty({
    type: DateRangeDto,
    description:
      "The rating (billing) period, whole UTC days: start inclusive, end exclusive. An event is in it when its timestamp's UTC day is.",
  })
  @IsObject({ message: 'period must be an object with start and end' })
  @ValidateNested()
  @Type(() => DateRangeDto)
  period!: DateRangeDto;

  @ApiProperty({
    description: "Total quantity: the exact sum of the source events' quantities, a decimal string",
    example: '1250.5',
  })
  @Matches(UNSIGNED_DECIMAL, {
    message: 'quantity must be a non-negative decimal string such as "1250.5"',
  })
  quantity!: string;

  @ApiProperty({ type: RatedUsageSourceDto })
  @IsObject({
    message: 'source must be an object with eventCount, firstEventId, lastEventId and checksum',
  })
  @ValidateNested()
  @Type(() => RatedUsageSourceDto)
  source!: RatedUsageSourceDto;

  @ApiProperty({
    description: 'The price the usage was rated with',
    example: 'price_api_calls_tiered',
  })
  @Matches(REFERENCE, { message: `priceId must be ${REFERENCE_RULE}` })
  priceId!: string;

  @ApiProperty({
    type: MoneyDto,
    description:
      "What the price makes of the quantity: not negative, rounded to the currency's minor units",
  })
  @IsObject({ message: 'amount must be an object with amount and currency' })
  @ValidateNested()
  @Type(() => MoneyDto)
  @RoundedMoney('amount', { nonNegative: true })
  amount!: MoneyDto;

  @ApiProperty({
    format: 'date-time',
    description: 'When the usage was rated',
    example: '2026-02-01T00:05:00Z',
  })
  @IsInstant('ratedAt')
  ratedAt!: string;
}
