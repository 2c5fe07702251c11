import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  SUBSCRIPTION_STATUSES,
  SubscriptionResponse,
} from '@revgate/canonical';
import type { SubscriptionStatus } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

export { CreateSubscriptionRequest, SubscriptionResponse } from '@revgate/canonical';

export class ListSubscriptionsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES, {
    message: `status must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`,
  })
  status?: SubscriptionStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

export class SubscriptionPage extends PageOf(SubscriptionResponse) {}
