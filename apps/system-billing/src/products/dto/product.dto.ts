import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingProductResponse,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { QueryBoolean, SyncPageQuery } from '../../common.dto';

export { BillingProductResponse, CreateBillingProductRequest } from '@revgate/canonical';

export class ListProductsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

export class BillingProductPage extends PageOf(BillingProductResponse) {}
