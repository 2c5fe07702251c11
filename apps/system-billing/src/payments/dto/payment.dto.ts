import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PAYMENT_STATUSES, PaymentResponse } from '@revgate/canonical';
import type { PaymentStatus } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

// Payments speak the canonical billing model (libs/canonical/src/billing).
export { PaymentResponse, RecordPaymentRequest, RefundPaymentRequest } from '@revgate/canonical';

export class ListPaymentsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, { message: `status must be one of ${PAYMENT_STATUSES.join(', ')}` })
  status?: PaymentStatus;
}

export class PaymentPage extends PageOf(PaymentResponse) {}
