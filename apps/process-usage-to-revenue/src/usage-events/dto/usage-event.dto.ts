import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  ACCOUNTING_PERIOD,
  MAX_USAGE_BATCH,
  METER_CODE,
  METER_CODE_MESSAGE,
  REFERENCE,
  REFERENCE_RULE,
  UsageEventDto,
  USAGE_EVENT_ID,
} from '@revgate/canonical';
import { PageOf, PageQuery } from '@revgate/platform';
import { DISPOSITIONS, type Disposition, EVENT_KINDS, type EventKind } from '../usage-event.entity';

/** A usage event, or a cancellation of one: `{ id, cancels }` with nothing else. */
export class UsageEventInput extends UsageEventDto {
  @ApiPropertyOptional({
    description:
      'Makes this event a cancellation of an earlier one (send only id and cancels): the ledger never changes an event, a correction is a cancellation plus a new event',
    example: 'evt_01J9ZQ8K7M2X4T6V8N0P3R5S7U',
  })
  cancels?: string;
}

export class IngestUsageRequest {
  @ApiProperty({
    type: [UsageEventInput],
    minItems: 1,
    maxItems: MAX_USAGE_BATCH,
    description: `1 to ${MAX_USAGE_BATCH} events; each gets its own fate`,
  })
  events!: UsageEventInput[];
}

export const FATES = ['accepted', 'duplicate', 'rejected'] as const;
export type Fate = (typeof FATES)[number];

export class EventProblemResponse {
  @ApiProperty({ example: 'U2R_METER_UNKNOWN' })
  code!: string;

  @ApiProperty({ example: 'meter storage_gb is not defined' })
  detail!: string;

  @ApiProperty({ example: '/events/3/meterCode' })
  pointer!: string;
}

export class UsageEventFateResponse {
  @ApiProperty({ description: 'Position of the event in the batch', example: 0 })
  index!: number;

  @ApiPropertyOptional({ description: 'The event id, when it had a valid one' })
  id?: string;

  @ApiProperty({
    enum: FATES,
    description:
      'accepted: stored now. duplicate: an event with this id is already in the ledger (or earlier in this batch); nothing changed. rejected: not stored, see problem',
  })
  fate!: Fate;

  @ApiPropertyOptional({
    description: 'When accepted: the period it counts in',
    example: '2026-01',
  })
  period?: string;

  @ApiPropertyOptional({
    enum: DISPOSITIONS,
    description:
      "When accepted: on_time, carried_forward (its period was closed; counted in the next open one, per the meter's policy) or held (its period was closed; held for review)",
  })
  disposition?: Disposition;

  @ApiPropertyOptional({
    enum: ['ledger', 'batch'],
    description:
      'When duplicate: whether the first event with the id is in the ledger or earlier in this batch',
  })
  duplicateOf?: 'ledger' | 'batch';

  @ApiPropertyOptional({ type: EventProblemResponse, description: 'When rejected: why' })
  problem?: EventProblemResponse;
}

export class IngestUsageResponse {
  @ApiProperty({ example: 998 })
  accepted!: number;

  @ApiProperty({ example: 1 })
  duplicates!: number;

  @ApiProperty({ example: 1 })
  rejected!: number;

  @ApiProperty({ description: 'Of the accepted: carried to the next open period', example: 0 })
  carriedForward!: number;

  @ApiProperty({ description: 'Of the accepted: held for review', example: 0 })
  held!: number;

  @ApiProperty({ type: [UsageEventFateResponse], description: 'One per event, in order' })
  events!: UsageEventFateResponse[];
}

export class LedgerEventResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: EVENT_KINDS })
  kind!: EventKind;

  @ApiPropertyOptional({ description: 'For a cancellation: the event it cancels' })
  cancels?: string;

  @ApiPropertyOptional()
  subscriptionId?: string;

  @ApiPropertyOptional()
  customerId?: string;

  @ApiProperty({ example: 'api_calls' })
  meterCode!: string;

  @ApiProperty({ example: '1250' })
  quantity!: string;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ example: '2026-01', description: 'The period it counts in' })
  period!: string;

  @ApiProperty({ example: '2026-01', description: "The period of its timestamp's UTC day" })
  ownPeriod!: string;

  @ApiProperty({ enum: DISPOSITIONS })
  disposition!: Disposition;

  @ApiPropertyOptional({
    description: 'For a held event an operator released: where it now counts',
  })
  releasedInto?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  properties?: Record<string, string | number | boolean>;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;
}

export class LedgerEventPage extends PageOf(LedgerEventResponse) {}

export class ListUsageEventsQuery extends PageQuery {
  @ApiProperty({ description: 'The period the events count in', example: '2026-01' })
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period!: string;

  @ApiPropertyOptional({ enum: DISPOSITIONS })
  @IsOptional()
  @IsIn(DISPOSITIONS, { message: `disposition must be one of ${DISPOSITIONS.join(', ')}` })
  disposition?: Disposition;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(REFERENCE, { message: `subscriptionId must be ${REFERENCE_RULE}` })
  subscriptionId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(METER_CODE, { message: METER_CODE_MESSAGE })
  meterCode?: string;
}

export const EVENT_ID_PATTERN = USAGE_EVENT_ID;
