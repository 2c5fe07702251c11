import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageOf, SyncPageQuery } from '@revgate/platform';
import { DELIVERY_ORIGINS, DELIVERY_STATUSES } from '../../webhook-delivery.entity';

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Sent as Revgate-Delivery-Id' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ format: 'uuid', description: 'The event (envelope id, sent as Revgate-Event-Id)' })
  eventId!: string;

  @ApiProperty({ example: 'billing.invoice.finalized.v1' })
  eventType!: string;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: 'pending (due or retrying), delivered (a 2xx answer), dead (attempts exhausted)',
  })
  status!: string;

  @ApiProperty({ enum: DELIVERY_ORIGINS, description: 'relay: from the outbox; replay: asked for' })
  origin!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The delivery this one replays',
  })
  replayOf!: string | null;

  @ApiProperty({ description: 'Attempts made so far' })
  attempts!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the last answer' })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it is tried next (pending only)',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class WebhookDeliveryPage extends PageOf(WebhookDeliveryResponse) {}

export class ListWebhookDeliveriesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: 'status must be pending, delivered or dead' })
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ example: 'billing.invoice.finalized.v1', description: 'Exact event type' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, {
    message: 'eventType must be an event type such as billing.invoice.finalized.v1',
  })
  eventType?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Deliveries of one event' })
  @IsOptional()
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId?: string;
}
