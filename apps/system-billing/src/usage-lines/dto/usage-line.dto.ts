// Usage lines speak the canonical billing model (libs/canonical/src/billing).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { CreateUsageLineRequest, UsageLineResponse } from '@revgate/canonical';
import { ItemProblem } from '@revgate/platform';

export { CreateUsageLineRequest, UsageLineResponse } from '@revgate/canonical';

/** Lines one batch request may record. */
export const MAX_BATCH_USAGE_LINES = 1000;

/** A usage line of a batch: the subscription it goes to, and the line as for one subscription. */
export class BatchUsageLine extends CreateUsageLineRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId!: string;
}

export class RecordUsageLinesRequest {
  @ApiProperty({
    type: [BatchUsageLine],
    minItems: 1,
    maxItems: MAX_BATCH_USAGE_LINES,
    description: 'The lines to record, each as POST /subscriptions/{id}/usage-lines would',
  })
  @IsArray({ message: 'lines must be an array' })
  @ArrayMinSize(1, { message: 'lines must hold at least one line' })
  @ArrayMaxSize(MAX_BATCH_USAGE_LINES, {
    message: `lines must hold at most ${MAX_BATCH_USAGE_LINES} lines; send several batches`,
  })
  @ValidateNested({ each: true })
  @Type(() => BatchUsageLine)
  lines!: BatchUsageLine[];
}

export const USAGE_LINE_OUTCOMES = ['created', 'existing', 'refused'] as const;
export type UsageLineOutcome = (typeof USAGE_LINE_OUTCOMES)[number];

export class UsageLineResult {
  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ example: 'u2r:2026-01:api_calls' })
  sourceRef!: string;

  @ApiProperty({
    enum: USAGE_LINE_OUTCOMES,
    description:
      'created; existing (the same sourceRef with the same content was recorded before); refused (see problem)',
  })
  outcome!: UsageLineOutcome;

  @ApiPropertyOptional({ type: UsageLineResponse })
  line?: UsageLineResponse;

  @ApiPropertyOptional({
    type: ItemProblem,
    description:
      'When refused: the problem the line alone would have got (BILLING_SUBSCRIPTION_NOT_FOUND, BILLING_USAGE_REFERENCE_CONFLICT, BILLING_USAGE_PERIOD_INVALID, BILLING_METER_NOT_ON_SUBSCRIPTION, …); nothing was recorded for it',
  })
  problem?: ItemProblem;
}

export class RecordUsageLinesResponse {
  @ApiProperty({ type: [UsageLineResult], description: 'One per line, in order' })
  results!: UsageLineResult[];

  @ApiProperty({ example: 998 })
  created!: number;

  @ApiProperty({ example: 1 })
  existing!: number;

  @ApiProperty({ example: 1 })
  refused!: number;
}
