import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { CORRELATION_ID_PATTERN as CORRELATION_ID, PageOf, SyncPageQuery } from '@revgate/platform';
import { COMPENSATION_STEPS, ORDER_STATUSES, ORDER_STEPS, STEP_STATUSES } from '../order-model';
import type { OrderStatus, StepStatus } from '../order-model';

const LEGAL_ENTITY = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;

export class CreateOrderRequest {
  @ApiProperty({ format: 'uuid', description: 'The closed-won CRM opportunity' })
  @IsUUID('all', { message: 'opportunityId must be a UUID' })
  opportunityId!: string;
}

export class OperatorActionRequest {
  @ApiPropertyOptional({
    maxLength: 1000,
    description: 'Why (kept in the audit log and shown with the order)',
    example: 'Tax registration added in the CRM',
  })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  reason?: string;
}

export class ResolveOrderRequest {
  @ApiProperty({
    maxLength: 1000,
    description: 'Why the order is closed without going on (required; audited)',
    example: 'Invoiced by hand in the ERP, see ticket FIN-123',
  })
  @IsString({ message: 'reason must be a string' })
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  reason!: string;
}

export class ListOrdersQuery extends SyncPageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY, { message: 'legalEntity must be a legal entity code such as US01' })
  legalEntity?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'opportunityId must be a UUID' })
  opportunityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The order whose billing invoice this is' })
  @IsOptional()
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId?: string;

  @ApiPropertyOptional({ description: 'The order of this correlation id (the per-deal trace key)' })
  @IsOptional()
  @Matches(CORRELATION_ID, {
    message: 'correlationId must be 1 to 128 letters, digits, dots, colons, dashes or underscores',
  })
  correlationId?: string;

  @ApiPropertyOptional({ description: 'Orders waiting with this exception code' })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{2,60}$/, {
    message: 'exceptionCode must be an error code such as Q2C_PRODUCT_UNMAPPED',
  })
  exceptionCode?: string;
}

export class OrderStepResponse {
  @ApiProperty({
    enum: [...ORDER_STEPS, ...COMPENSATION_STEPS],
    description: 'The steps in order; the compensation steps once a cancelled order undid its work',
  })
  name!: string;

  @ApiProperty({ example: 'Create the subscription' })
  title!: string;

  @ApiProperty({ enum: STEP_STATUSES })
  status!: StepStatus;

  @ApiPropertyOptional({ format: 'date-time' })
  startedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiProperty({ description: 'Times the step was started' })
  attempts!: number;

  @ApiPropertyOptional({ description: 'What it did, or why it failed' })
  detail?: string;
}

export class OrderRefsResponse {
  @ApiPropertyOptional({ format: 'uuid' }) crmAccountId?: string;
  @ApiPropertyOptional() erpCustomerExternalId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) billingCustomerId?: string;
  @ApiPropertyOptional({ type: [String] }) billingPriceIds?: string[];
  @ApiPropertyOptional({ format: 'uuid' }) subscriptionId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) invoiceId?: string;
  @ApiPropertyOptional({ example: 'US01-2026-000042' }) invoiceNumber?: string;
  @ApiPropertyOptional() taxTransactionCode?: string;
  @ApiPropertyOptional() erpInvoiceId?: string;
  @ApiPropertyOptional() erpInvoiceNumber?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Id of the ContractActivated event' })
  contractEventId?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "Where each billing product's revenue posts: billing product id → ERP item code",
  })
  erpItems?: Record<string, string>;
}

export class OrderExceptionResponse {
  @ApiProperty({ example: 'Q2C_TAX_REGISTRATION_MISSING' })
  code!: string;

  @ApiProperty({ description: 'The step that waits (see steps)' })
  step!: string;

  @ApiProperty({ example: 'The account has no tax registration' })
  title!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ description: 'What to fix before retrying' })
  whatToFix!: string;

  @ApiPropertyOptional({ enum: ['crm', 'billing', 'tax', 'erp'] })
  system?: string;

  @ApiPropertyOptional({ description: "The refusing system's own code" })
  systemCode?: string;

  @ApiProperty({
    description:
      'An outage: the order tries again by itself at retryAt; otherwise it waits for an operator',
  })
  transient!: boolean;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  retryAt?: string;
}

export class OrderActionResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ description: 'Who (token subject)' })
  actor!: string;

  @ApiProperty({ example: 'order.retried' })
  action!: string;

  @ApiPropertyOptional()
  reason?: string;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  opportunityId!: string;

  @ApiProperty({ description: 'The key of the per-deal trace across every system' })
  correlationId!: string;

  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;

  @ApiPropertyOptional({ enum: ORDER_STEPS })
  currentStep?: string;

  @ApiPropertyOptional({ example: 'US01' })
  legalEntity?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  accountId?: string;

  @ApiPropertyOptional({ example: 'USD' })
  currency?: string;

  @ApiProperty({ type: [OrderStepResponse], description: 'Every step, in order' })
  steps!: OrderStepResponse[];

  @ApiProperty({ type: OrderRefsResponse, description: 'The ids made or found in each system' })
  refs!: OrderRefsResponse;

  @ApiPropertyOptional({ type: OrderExceptionResponse, description: 'Why the order waits' })
  exception?: OrderExceptionResponse;

  @ApiPropertyOptional({
    type: OrderExceptionResponse,
    description: 'The last exception the order waited on (kept once it went on)',
  })
  lastError?: OrderExceptionResponse;

  @ApiProperty({ description: 'Step starts in all, retries included' })
  attempts!: number;

  @ApiProperty({
    type: [OrderActionResponse],
    description: 'Operator actions on the order (audited)',
  })
  actions!: OrderActionResponse[];

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

export class OrderPage extends PageOf(OrderResponse) {}
