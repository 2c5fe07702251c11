import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { INVOICE_STATUSES, InvoiceResponse } from '@revgate/canonical';
import type { InvoiceStatus } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

// Invoices speak the canonical billing model (libs/canonical/src/billing).
export {
  CreateInvoiceRequest,
  InvoiceResponse,
  OneTimeLineRequest,
  VoidInvoiceRequest,
} from '@revgate/canonical';

export class ListInvoicesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string;

  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES, { message: `status must be one of ${INVOICE_STATUSES.join(', ')}` })
  status?: InvoiceStatus;
}

export class InvoicePage extends PageOf(InvoiceResponse) {}
