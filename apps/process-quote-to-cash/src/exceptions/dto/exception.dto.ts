import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { PageOf, SyncPageQuery } from '@revgate/platform';
import { EXCEPTION_STATUSES, WORK_TYPES } from '../exception.entity';
import type { ExceptionStatus, WorkType } from '../exception.entity';

export class ListExceptionsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ enum: EXCEPTION_STATUSES, description: 'open: waiting for someone' })
  @IsOptional()
  @IsIn(EXCEPTION_STATUSES, { message: `status must be one of ${EXCEPTION_STATUSES.join(', ')}` })
  status?: ExceptionStatus;

  @ApiPropertyOptional({ enum: WORK_TYPES })
  @IsOptional()
  @IsIn(WORK_TYPES, { message: `workType must be one of ${WORK_TYPES.join(', ')}` })
  workType?: WorkType;

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

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId?: string;

  @ApiPropertyOptional({ description: 'Raised at least this many minutes ago (age)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanMinutes must be a whole number of minutes' })
  @Min(0, { message: 'olderThanMinutes must be 0 or more' })
  @Max(5_256_000, { message: 'olderThanMinutes must be at most ten years' })
  olderThanMinutes?: number;
}

export class ExceptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: WORK_TYPES }) workType!: WorkType;
  @ApiProperty({ format: 'uuid', description: 'The order or amendment that waits' })
  workId!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) opportunityId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The CRM account (customer)' })
  accountId?: string;
  @ApiPropertyOptional({ example: 'US01' }) legalEntity?: string;
  @ApiPropertyOptional({ example: '2026-11', description: 'The accounting period it concerns' })
  period?: string;
  @ApiProperty({ example: 'map_products' }) step!: string;
  @ApiProperty({ example: 'Q2C_PRODUCT_UNMAPPED' }) code!: string;
  @ApiProperty({ description: 'What happened, in business terms' }) title!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'What to fix before retrying' }) whatToFix!: string;
  @ApiPropertyOptional({ enum: ['crm', 'billing', 'tax', 'erp'] }) system?: string;
  @ApiPropertyOptional({ description: "The refusing system's own code" }) systemCode?: string;
  @ApiProperty({ description: 'An outage the work retries by itself' }) transient!: boolean;
  @ApiProperty({ enum: EXCEPTION_STATUSES }) status!: ExceptionStatus;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) retryAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({ description: 'Who closed it (token subject)' }) closedBy?: string;
  @ApiPropertyOptional() closeReason?: string;
  @ApiProperty({ description: "The key of the deal's trace" }) correlationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ExceptionPage extends PageOf(ExceptionResponse) {}
