import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { UNSIGNED_DECIMAL } from '../money/money.dto';
import { IsInstant, Omittable, REFERENCE, REFERENCE_RULE, Rule } from '../erp/field-rules';

/** The producer's id of a usage event: the key it is deduplicated by. */
export const USAGE_EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** A meter's code, as the catalog names it: lower case, e.g. api_calls or storage.gb_hours. */
export const METER_CODE = /^[a-z][a-z0-9_.-]{0,63}$/;
export const METER_CODE_MESSAGE =
  'meterCode must be 1–64 lower-case letters, digits, _ . or -, starting with a letter (e.g. api_calls)';
export const MAX_USAGE_BATCH = 1000;

/** Bounds of an event's `properties`. */
export const USAGE_PROPERTIES_LIMITS = {
  maxKeys: 32,
  maxValueLength: 256,
  /** The UTF-8 size of the properties serialized as JSON. */
  maxBytes: 4096,
} as const;
const PROPERTY_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with an event's `properties`, or undefined when it is fine: a flat JSON object of at
 * most 32 keys (1–40 letters, digits, _ . -, not starting with a digit, dot or dash), each value a
 * string of at most 256 characters, a finite number or a boolean, and at most 4096 bytes as JSON.
 */
export function usagePropertiesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'properties must be a JSON object';
  }
  const { maxKeys, maxValueLength, maxBytes } = USAGE_PROPERTIES_LIMITS;
  const entries = Object.entries(value);
  if (entries.length > maxKeys) return `properties must have at most ${maxKeys} keys`;
  for (const [key, item] of entries) {
    if (!PROPERTY_KEY.test(key) || FORBIDDEN_KEYS.has(key)) {
      return `properties key "${key.slice(0, 50)}" must be 1–40 letters, digits, _ . or -, starting with a letter or _`;
    }
    if (typeof item === 'string') {
      if (item.length > maxValueLength) {
        return `properties.${key} must be at most ${maxValueLength} characters`;
      }
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return `properties.${key} must be a finite number`;
    } else if (typeof item !== 'boolean') {
      return `properties.${key} must be a string, a number or a boolean`;
    }
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > maxBytes) {
    return `properties must be at most ${maxBytes} bytes as JSON`;
  }
  return undefined;
}

export type UsagePropertyValue = string | number | boolean;

/**
 * One measurement of product usage, as telemetry sends it. Its `id` is the deduplication key: the
 * ledger keeps the first event with an id, and a resend with the same id changes nothing. Usage is
 * attributed to a subscription, or to a customer whose subscription to the meter is looked up.
 * An event belongs to the period holding the UTC day of its `timestamp`.
 */
export class UsageEventDto {
  @ApiProperty({
    description:
      'Producer-assigned, globally unique id of the event: the deduplication key. Resending the same id is harmless.',
    example: 'evt_01J9ZQ8K7M2X4T6V8N0P3R5S7U',
  })
  @Matches(USAGE_EVENT_ID, {
    message: 'id must be 1–128 letters, digits, . _ : or -, starting with a letter or digit',
  })
  id!: string;

  @ApiPropertyOptional({
    description:
      'The subscription the usage is billed under. Give it, the customer, or both (the subscription must then belong to the customer).',
    example: 'sub_3f2a9c',
  })
  @ValidateIf(
    (event: UsageEventDto) => event.subscriptionId !== undefined || event.customerId === undefined,
  )
  @IsDefined({
    message:
      'subscriptionId or customerId is required: the subscription or the customer the usage belongs to',
  })
  @Matches(REFERENCE, { message: `subscriptionId must be ${REFERENCE_RULE}` })
  subscriptionId?: string;

  @ApiPropertyOptional({
    description:
      "The customer the usage belongs to (their id or external id), when the producer doesn't know the subscription",
    example: 'ACME-001',
  })
  @Omittable()
  @Matches(REFERENCE, { message: `customerId must be ${REFERENCE_RULE}` })
  customerId?: string;

  @ApiProperty({ description: 'The meter measured, as the catalog names it', example: 'api_calls' })
  @Matches(METER_CODE, { message: METER_CODE_MESSAGE })
  meterCode!: string;

  @ApiProperty({
    description:
      'How much was used: a non-negative decimal string (up to 15 integer digits and 10 decimals), never a JSON number',
    example: '1250',
  })
  @Matches(UNSIGNED_DECIMAL, {
    message: 'quantity must be a non-negative decimal string such as "1250" or "0.5"',
  })
  quantity!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the usage happened: an ISO 8601 instant with an offset (Z or ±hh:mm)',
    example: '2026-01-15T10:30:00Z',
  })
  @IsInstant('timestamp')
  timestamp!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    maxProperties: USAGE_PROPERTIES_LIMITS.maxKeys,
    description:
      'Flat attributes rating may use (region, model, tier): at most 32 keys of 1–40 letters, digits, _ . -; values strings of at most 256 characters, numbers or booleans; at most 4096 bytes as JSON',
    example: { region: 'eu-west-1', endpoint: '/v1/orders' },
  })
  @Omittable()
  @Rule(
    'isUsageProperties',
    (value) => usagePropertiesProblem(value) === undefined,
    (value) => usagePropertiesProblem(value) ?? 'invalid',
  )
  properties?: Record<string, UsagePropertyValue>;
}

/** The ids that occur more than once in a list of events, in order of their second occurrence. */
function repeatedIds(events: unknown): string[] {
  if (!Array.isArray(events)) return [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const event of events) {
    const id: unknown =
      typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') continue;
    if (seen.has(id) && !repeated.includes(id)) repeated.push(id);
    seen.add(id);
  }
  return repeated;
}

/** Up to 1000 usage events sent together. Their ids are distinct within the batch. */
export class UsageEventBatchDto {
  @ApiProperty({
    type: [UsageEventDto],
    minItems: 1,
    maxItems: MAX_USAGE_BATCH,
    description: '1 to 1000 events, each id once',
  })
  @IsArray({ message: 'events must be an array of usage events' })
  @ArrayMinSize(1, { message: 'events must have at least one event' })
  @ArrayMaxSize(MAX_USAGE_BATCH, { message: `events must have at most ${MAX_USAGE_BATCH} events` })
  @ValidateNested({ each: true })
  @Type(() => UsageEventDto)
  @Rule(
    'uniqueEventIds',
    (value) => repeatedIds(value).length === 0,
    (value) =>
      `events must have distinct ids; repeated: ${repeatedIds(value).slice(0, 10).join(', ')}`,
  )
  events!: UsageEventDto[];
}
