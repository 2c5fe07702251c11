import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import {
  BILLING_EXTERNAL_ID,
  BILLING_EXTERNAL_ID_MESSAGE,
  BillingCustomerResponse,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

// Customers speak the canonical billing model (libs/canonical/src/billing).
export { BillingCustomerResponse, CreateBillingCustomerRequest } from '@revgate/canonical';

export class ListCustomersQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: 'ACME-001' })
  @IsOptional()
  @Matches(BILLING_EXTERNAL_ID, { message: BILLING_EXTERNAL_ID_MESSAGE })
  externalId?: string;
}

export class BillingCustomerPage extends PageOf(BillingCustomerResponse) {}
