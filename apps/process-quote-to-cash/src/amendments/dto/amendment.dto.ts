import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { OrderExceptionResponse, OrderStepResponse } from '../../orders/dto/order.dto';
import { WORK_STATUSES, type WorkStatus } from '../../work/tracked';
import { AMENDMENT_TYPES, type AmendmentType } from '../amendment-model';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;
const DATED: readonly string[] = [
  'upgrade',
  'downgrade',
  'quantity_change',
  'add_item',
  'cancel_now',
];
const TO_PRODUCT: readonly string[] = ['upgrade', 'downgrade', 'add_item'];

export class CreateAmendmentRequest {
  @ApiProperty({ enum: AMENDMENT_TYPES })
  @IsIn(AMENDMENT_TYPES, { message: `type must be one of ${AMENDMENT_TYPES.join(', ')}` })
  type!: AmendmentType;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'When the change takes effect (the start of that day); required for upgrade, downgrade, quantity_change, add_item and cancel_now',
    example: '2026-12-15',
  })
  @ValidateIf(
    (r: CreateAmendmentRequest) => DATED.includes(r.type) || r.effectiveDate !== undefined,
  )
  @Matches(DATE_ONLY, { message: 'effectiveDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'effectiveDate must be a real calendar date' })
  effectiveDate?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The CRM product the contract moves to (upgrade, downgrade) or adds (add_item); mapped to its billing price and ERP item',
  })
  @ValidateIf(
    (r: CreateAmendmentRequest) => TO_PRODUCT.includes(r.type) || r.crmProductId !== undefined,
  )
  @IsUUID('all', { message: 'crmProductId must be a UUID' })
  crmProductId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The subscription item changed (upgrade, downgrade, quantity_change); defaults to the only licensed item',
  })
  @IsOptional()
  @IsUUID('all', { message: 'itemId must be a UUID' })
  itemId?: string;

  @ApiPropertyOptional({
    example: '15',
    description: 'The new quantity (required for quantity_change)',
  })
  @ValidateIf(
    (r: CreateAmendmentRequest) => r.type === 'quantity_change' || r.quantity !== undefined,
  )
  @Matches(QUANTITY, { message: 'quantity must be a positive decimal string (up to 6 decimals)' })
  quantity?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 120,
    description: 'renewal: billing periods added to the term',
  })
  @ValidateIf((r: CreateAmendmentRequest) => r.type === 'renewal' || r.periods !== undefined)
  @IsInt({ message: 'periods must be an integer from 1 to 120' })
  @Min(1, { message: 'periods must be an integer from 1 to 120' })
  @Max(120, { message: 'periods must be an integer from 1 to 120' })
  periods?: number;

  @ApiPropertyOptional({ enum: ['create_prorations', 'none'], default: 'create_prorations' })
  @IsOptional()
  @IsIn(['create_prorations', 'none'], {
    message: 'prorationBehavior must be create_prorations or none',
  })
  prorationBehavior?: 'create_prorations' | 'none';
}

export class AmendmentRefsResponse {
  @ApiPropertyOptional({ format: 'uuid' }) billingAmendmentId?: string;
  @ApiPropertyOptional({ enum: ['invoice_lines', 'credit_memo', 'none'] }) outcome?: string;
  @ApiPropertyOptional({ description: 'Net amount: positive is owed by the customer' })
  total?: string;
  @ApiPropertyOptional({ format: 'uuid' }) invoiceId?: string;
  @ApiPropertyOptional() invoiceNumber?: string;
  @ApiPropertyOptional({ format: 'uuid' }) creditMemoId?: string;
  @ApiPropertyOptional() creditMemoNumber?: string;
  @ApiPropertyOptional() erpDocumentId?: string;
  @ApiPropertyOptional() erpDocumentNumber?: string;
  @ApiPropertyOptional({ format: 'uuid' }) contractEventId?: string;
}

export class AmendmentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ enum: AMENDMENT_TYPES })
  type!: string;

  @ApiProperty({ type: CreateAmendmentRequest, description: 'What was asked' })
  request!: CreateAmendmentRequest;

  @ApiProperty()
  correlationId!: string;

  @ApiProperty({ enum: WORK_STATUSES })
  status!: WorkStatus;

  @ApiPropertyOptional()
  currentStep?: string;

  @ApiProperty({ type: [OrderStepResponse] })
  steps!: OrderStepResponse[];

  @ApiProperty({ type: AmendmentRefsResponse })
  refs!: AmendmentRefsResponse;

  @ApiPropertyOptional({ type: OrderExceptionResponse })
  exception?: OrderExceptionResponse;

  @ApiPropertyOptional({ type: OrderExceptionResponse })
  lastError?: OrderExceptionResponse;

  @ApiProperty()
  attempts!: number;

  @ApiProperty()
  createdBy!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  completedAt?: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AmendmentList {
  @ApiProperty({ type: [AmendmentResponse], description: "The order's amendments, oldest first" })
  data!: AmendmentResponse[];
}
