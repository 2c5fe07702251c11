import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ErpCustomerDto, LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { RecordResponse, SyncPageQuery } from '../../common.dto';

/** A customer as PUT creates or changes it (legal entity and external id are in the path). */
export class UpsertCustomerRequest extends OmitType(ErpCustomerDto, [
  'legalEntity',
  'externalId',
] as const) {}

export class CustomerResponse extends IntersectionType(ErpCustomerDto, RecordResponse) {}

export class ListCustomersQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;
}

export class CustomerPage extends PageOf(CustomerResponse) {}
