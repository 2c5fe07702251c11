import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsArray,
} from 'class-validator';
import { PageOf } from '@revgate/platform';
import {
  CURRENCY_MESSAGE,
  CURRENCY_PATTERN,
  EXTERNAL_ID_MESSAGE,
  EXTERNAL_ID_PATTERN,
  SyncPageQuery,
} from '../../common.dto';
import { BILLING_STATUSES, OPPORTUNITY_STAGES } from '../../providers/crm-provider.port';
import type { BillingStatusValue, OpportunityStage } from '../../providers/crm-provider.port';

const QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;
const PRICE = /^\d{1,15}(\.\d{1,6})?$/;
const PERCENT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class OpportunityLineRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'productId must be a UUID' })
  productId!: string;

  @ApiProperty({ description: 'Positive decimal string, up to 6 decimals', example: '10' })
  @Matches(QUANTITY, {
    message: 'quantity must be a positive decimal string with up to 6 decimals, e.g. "10" or "2.5"',
  })
  quantity!: string;

  @ApiProperty({
    description: 'Price per unit for the term, decimal string, up to 6 decimals',
    example: '1200.00',
  })
  @Matches(PRICE, {
    message:
      'unitPrice must be a non-negative decimal string with up to 6 decimals, e.g. "1200.00"',
  })
  unitPrice!: string;

  @ApiPropertyOptional({
    description: 'Percent, 0–100, decimal string',
    example: '10',
    default: '0',
  })
  @IsOptional()
  @Matches(PERCENT, {
    message: 'discountPercent must be a decimal string from 0 to 100, e.g. "12.5"',
  })
  discountPercent?: string;

  @ApiProperty({ minimum: 1, maximum: 120, example: 12 })
  @IsInt({ message: 'termMonths must be a whole number of months' })
  @Min(1)
  @Max(120)
  termMonths!: number;

  @ApiProperty({ format: 'date', example: '2026-01-01' })
  @Matches(DATE_ONLY, { message: 'startDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'startDate must be a real calendar date' })
  startDate!: string;
}

export class CreateOpportunityRequest {
  @ApiPropertyOptional({ example: 'OPP-2026-001' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId!: string;

  @ApiProperty({ example: 'Acme — platform renewal 2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'closeDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'closeDate must be a real calendar date' })
  closeDate?: string;

  @ApiPropertyOptional({
    description: 'Defaults to the account currency; must equal it',
    example: 'USD',
  })
  @IsOptional()
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  @IsISO4217CurrencyCode({ message: CURRENCY_MESSAGE })
  currency?: string;

  @ApiProperty({ type: [OpportunityLineRequest] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OpportunityLineRequest)
  lines!: OpportunityLineRequest[];
}

export class ReplaceLinesRequest {
  @ApiProperty({ type: [OpportunityLineRequest] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OpportunityLineRequest)
  lines!: OpportunityLineRequest[];
}

export class ChangeStageRequest {
  @ApiProperty({ enum: OPPORTUNITY_STAGES })
  @IsIn(OPPORTUNITY_STAGES, { message: `stage must be one of ${OPPORTUNITY_STAGES.join(', ')}` })
  stage!: OpportunityStage;
}

export class UpdateBillingStatusRequest {
  @ApiProperty({ enum: BILLING_STATUSES })
  @IsIn(BILLING_STATUSES, { message: `status must be one of ${BILLING_STATUSES.join(', ')}` })
  status!: BillingStatusValue;

  @ApiPropertyOptional({ description: 'Billing subscription id' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, {
    message: 'subscriptionId must be 1–100 letters, digits, . _ : -',
  })
  subscriptionId?: string;

  @ApiPropertyOptional({ description: 'Billing invoice id' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: 'invoiceId must be 1–100 letters, digits, . _ : -' })
  invoiceId?: string;

  @ApiPropertyOptional({ description: 'ERP receivable id' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: 'erpInvoiceId must be 1–100 letters, digits, . _ : -' })
  erpInvoiceId?: string;

  @ApiPropertyOptional({ description: 'What a finance user should know, e.g. why billing failed' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  detail?: string;
}

export class ListOpportunitiesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ enum: OPPORTUNITY_STAGES })
  @IsOptional()
  @IsIn(OPPORTUNITY_STAGES, { message: `stage must be one of ${OPPORTUNITY_STAGES.join(', ')}` })
  stage?: OpportunityStage;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId?: string;
}

export class OpportunityLineResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ example: '10' })
  quantity!: string;

  @ApiProperty({ example: '1200' })
  unitPrice!: string;

  @ApiProperty({ example: '10' })
  discountPercent!: string;

  @ApiProperty()
  termMonths!: number;

  @ApiProperty({ format: 'date' })
  startDate!: string;

  @ApiProperty({
    description: 'quantity × unitPrice × (1 − discount/100), rounded half-up to the currency',
    example: '10800.00',
  })
  totalPrice!: string;
}

export class BillingStatusResponse {
  @ApiProperty({ enum: BILLING_STATUSES })
  status!: BillingStatusValue;

  @ApiPropertyOptional()
  subscriptionId?: string;

  @ApiPropertyOptional()
  invoiceId?: string;

  @ApiPropertyOptional()
  erpInvoiceId?: string;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updatedAt?: string;
}

export class StageChangeResponse {
  @ApiProperty({ enum: OPPORTUNITY_STAGES })
  stage!: OpportunityStage;

  @ApiProperty({ format: 'date-time' })
  changedAt!: string;

  @ApiProperty({ description: 'Subject of the token that made the change' })
  changedBy!: string;
}

export class OpportunityResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional()
  externalId?: string;

  @ApiProperty({ format: 'uuid' })
  accountId!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: OPPORTUNITY_STAGES })
  stage!: OpportunityStage;

  @ApiPropertyOptional({ format: 'date' })
  closeDate?: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ description: "Sum of the lines' totals", example: '10800.00' })
  amount!: string;

  @ApiProperty({ type: [OpportunityLineResponse] })
  lines!: OpportunityLineResponse[];

  @ApiProperty({ type: BillingStatusResponse })
  billingStatus!: BillingStatusResponse;

  @ApiProperty({ type: [StageChangeResponse] })
  stageHistory!: StageChangeResponse[];

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class OpportunityPage extends PageOf(OpportunityResponse) {}
