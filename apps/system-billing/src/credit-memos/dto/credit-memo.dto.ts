import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CreditMemoResponse } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

// Credit memos speak the canonical billing model (libs/canonical/src/billing).
export {
  CreateCreditMemoRequest,
  CreditMemoLineRequest,
  CreditMemoResponse,
} from '@revgate/canonical';

export class ListCreditMemosQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId?: string;
}

export class CreditMemoPage extends PageOf(CreditMemoResponse) {}
