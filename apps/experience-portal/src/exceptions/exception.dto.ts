import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageOf, PageQuery } from '@revgate/platform';
import { AuditEntryResponse } from '../audit/audit.dto';

export const FLOWS = ['quote-to-cash'] as const;
export type Flow = (typeof FLOWS)[number];
export const EXCEPTION_STATUSES = ['open', 'retried', 'cleared', 'resolved', 'cancelled'] as const;
export const WORK_TYPES = ['order', 'amendment'] as const;

export class ListExceptionsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: FLOWS,
    description:
      'The flow the work belongs to (usage-to-revenue refusals show as variances in the reconciliation)',
  })
  @IsOptional()
  @IsIn(FLOWS, { message: `flow must be one of ${FLOWS.join(', ')}` })
  flow?: Flow;

  @ApiPropertyOptional({ enum: EXCEPTION_STATUSES, description: 'open: waiting for someone' })
  @IsOptional()
  @IsIn(EXCEPTION_STATUSES, { message: `status must be one of ${EXCEPTION_STATUSES.join(', ')}` })
  status?: (typeof EXCEPTION_STATUSES)[number];

  @ApiPropertyOptional({ enum: WORK_TYPES })
  @IsOptional()
  @IsIn(WORK_TYPES, { message: `workType must be one of ${WORK_TYPES.join(', ')}` })
  workType?: (typeof WORK_TYPES)[number];

  @ApiPropertyOptional({ example: 'Q2C_PRODUCT_UNMAPPED' })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{2,60}$/, {
    message: 'code must be an error code such as Q2C_PRODUCT_UNMAPPED',
  })
  code?: string;

  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{1,19}$/, {
    message: 'legalEntity must be a legal entity code such as US01',
  })
  legalEntity?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The order that waits' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ description: 'Raised at least this many minutes ago (age)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanMinutes must be a whole number of minutes' })
  @Min(0, { message: 'olderThanMinutes must be 0 or more' })
  @Max(5_256_000, { message: 'olderThanMinutes must be at most ten years' })
  olderThanMinutes?: number;
}

export class PortalExceptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: FLOWS }) flow!: Flow;
  @ApiProperty({ enum: WORK_TYPES }) workType!: string;
  @ApiProperty({ format: 'uuid', description: 'The order or amendment that waits' })
  workId!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) opportunityId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The CRM account (customer)' })
  accountId?: string;
  @ApiPropertyOptional({ example: 'US01' }) legalEntity?: string;
  @ApiPropertyOptional({ example: '2026-11' }) period?: string;
  @ApiProperty({ example: 'map_products' }) step!: string;
  @ApiProperty({ example: 'Q2C_PRODUCT_UNMAPPED' }) code!: string;
  @ApiProperty({ description: 'What happened, in business terms' }) title!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'What to fix before retrying' }) whatToFix!: string;
  @ApiPropertyOptional({ enum: ['crm', 'billing', 'tax', 'erp'] }) system?: string;
  @ApiPropertyOptional({ description: "The refusing system's own code" }) systemCode?: string;
  @ApiProperty({ description: 'An outage the work retries by itself' }) transient!: boolean;
  @ApiProperty({ enum: EXCEPTION_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ description: 'Minutes since it was raised' }) ageMinutes!: number;
  @ApiPropertyOptional({ format: 'date-time' }) retryAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ description: 'Who closed it (token subject)' }) closedBy?: string;
  @ApiPropertyOptional() closeReason?: string;
  @ApiProperty({ description: "The key of the deal's trace" }) correlationId!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PortalExceptionPage extends PageOf(PortalExceptionResponse) {}

export class ExceptionStepView {
  @ApiProperty() name!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['pending', 'running', 'done', 'failed', 'skipped'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional() detail?: string;
}

export class OperatorActionView {
  @ApiProperty({ description: 'Who (token subject)' }) actor!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional() reason?: string;
}

export class ExceptionOrderView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() status!: string;
  @ApiPropertyOptional() currentStep?: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids in each system' })
  refs!: Record<string, unknown>;
}

export class ExceptionDetailResponse {
  @ApiProperty({ type: PortalExceptionResponse }) exception!: PortalExceptionResponse;
  @ApiProperty({ type: ExceptionOrderView, description: 'The order: its status and current step' })
  order!: ExceptionOrderView;
  @ApiProperty({ type: [ExceptionStepView], description: "The order's steps, in order" })
  steps!: ExceptionStepView[];
  @ApiProperty({
    type: [OperatorActionView],
    description: 'Operator actions on the order, as the process API keeps them (who, when, why)',
  })
  actions!: OperatorActionView[];
  @ApiProperty({
    type: [AuditEntryResponse],
    description: 'Actions taken on this exception in the portal (who, when, why)',
  })
  audit!: AuditEntryResponse[];
}

export class PortalActionRequest {
  @ApiProperty({
    description: 'Why (kept in the audit log, shown with the exception and the order)',
    example: 'Product mapped in q2c, see ticket FIN-123',
    maxLength: 900,
  })
  @IsString({ message: 'reason must be a string' })
  @IsNotEmpty({ message: 'reason must not be empty' })
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(900, { message: 'reason must be at most 900 characters' })
  reason!: string;
}

export class PortalActionResponse {
  @ApiProperty({ type: PortalExceptionResponse, description: 'The exception after the action' })
  exception!: PortalExceptionResponse;
  @ApiProperty({ type: AuditEntryResponse }) audit!: AuditEntryResponse;
}
