import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageOf, SyncPageQuery } from '@revgate/platform';
import { EVENT_TYPE_PATTERN, EVENT_TYPE_PATTERN_MESSAGE } from '../../event-type-pattern';

/** Accepts a date-time with a zone (RFC 3339), as the database reads it the same everywhere. */
export const INSTANT_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** 1 to 50 distinct event types or wildcards (the schema, then the checks). */
const EVENT_TYPE_LIST = {
  type: 'array',
  items: { type: 'string', maxLength: 200, pattern: EVENT_TYPE_PATTERN.source },
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
} as const;

const IsEventTypeList = (): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsString({ each: true }),
    Matches(EVENT_TYPE_PATTERN, { each: true, message: EVENT_TYPE_PATTERN_MESSAGE }),
    MaxLength(200, { each: true }),
  );

/** An optional field that, when sent, must be a value (null is refused, not let through). */
const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

export class CreateWebhookSubscriptionRequest {
  @ApiProperty({
    example: 'https://hooks.example.com/revgate',
    maxLength: 2048,
    description:
      'Where deliveries are POSTed: https, a public address (checked now and at every delivery), no credentials',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    ...EVENT_TYPE_LIST,
    example: ['billing.invoice.finalized.v1', 'billing.payment.*'],
    description: 'Exact versioned event types, prefix wildcards (`billing.invoice.*`) or `*`',
  })
  @IsEventTypeList()
  eventTypes!: string[];

  @ApiPropertyOptional({ example: 'ERP posting service', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'A disabled subscription gets no deliveries' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookSubscriptionRequest {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional(EVENT_TYPE_LIST)
  @IsOmittable()
  @IsEventTypeList()
  eventTypes?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    description:
      'false stops deliveries: no new ones are made, pending ones wait until it is enabled again',
  })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateWebhookSecretRequest {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 168,
    description:
      'How long the replaced secret keeps signing alongside the new one (WEBHOOK_SECRET_GRACE_HOURS by default, 24); 0 stops it at once (a leaked secret)',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(168)
  previousSecretExpiresInHours?: number;
}

export class ReplayWebhookEventsRequest {
  @ApiProperty({
    format: 'date-time',
    description: 'Events that occurred at or after this instant',
  })
  @IsString()
  @Matches(INSTANT_PATTERN, {
    message: 'from must be a date-time with a zone, e.g. 2026-01-31T00:00:00Z',
  })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'and before this one' })
  @IsString()
  @Matches(INSTANT_PATTERN, {
    message: 'to must be a date-time with a zone, e.g. 2026-02-01T00:00:00Z',
  })
  to!: string;
}

export class WebhookSubscriptionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/revgate' })
  url!: string;

  @ApiProperty({ type: [String], example: ['billing.invoice.*'] })
  eventTypes!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the secret was last rotated',
  })
  secretRotatedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Until when the replaced secret still signs deliveries (null: no second signature)',
  })
  previousSecretExpiresAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ example: 1 })
  version!: number;
}

export class WebhookSubscriptionWithSecretResponse extends WebhookSubscriptionResponse {
  @ApiProperty({
    example: 'whsec_3q2-7wEXAMPLEj4p2nHbC0yQk5xJrZk0aG1d8u9vN2sWm4',
    description:
      'The signing secret, shown this once: keep it to verify Revgate-Signature. A replay of this request (Idempotency-Key) answers without it',
  })
  secret!: string;
}

export class WebhookSubscriptionPage extends PageOf(WebhookSubscriptionResponse) {}

export class ListWebhookSubscriptionsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ description: 'Only enabled (true) or disabled (false) subscriptions' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class WebhookReplayResponse {
  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({
    description: 'New deliveries made, one per event of the range the subscription wants',
  })
  deliveries!: number;
}
