import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  BILLING_QUANTITY,
  BILLING_QUANTITY_MESSAGE,
  ServicePeriodDto,
  BILLING_SOURCE_REFERENCE,
} from './billing-common.dto';
import { METER_NAME, PriceComponentResponse } from './price.dto';

/**
 * Rated usage of one meter over a service period, to be billed on the subscription's next invoice
 * (Stripe: meter events aggregated into the upcoming invoice). `sourceRef` identifies the rated
 * usage it comes from: sending it again with the same content answers the line recorded; with other
 * content it is refused, so usage is never billed twice.
 */
export class CreateUsageLineRequest {
  @ApiProperty({
    description: 'The meter of a metered item of the subscription',
    example: 'api_calls',
  })
  @Matches(METER_NAME, {
    message:
      'meter must be 1–100 lower-case letters, digits, _ . or -, starting with a letter or digit',
  })
  meter!: string;

  @ApiProperty({
    description: `The rated quantity: a decimal string that ${BILLING_QUANTITY_MESSAGE}`,
    example: '125000',
  })
  @Matches(BILLING_QUANTITY, { message: `quantity ${BILLING_QUANTITY_MESSAGE}` })
  quantity!: string;

  @ApiProperty({ type: ServicePeriodDto, description: 'When the usage happened' })
  @IsObject({ message: 'period must be an object with from and to' })
  @ValidateNested()
  @Type(() => ServicePeriodDto)
  period!: ServicePeriodDto;

  @ApiProperty({
    description: 'The rated-usage record this comes from, unique per subscription',
    example: 'rated:2026-01:acme:api_calls',
  })
  @Matches(BILLING_SOURCE_REFERENCE, {
    message: 'sourceRef must be 1–200 letters, digits, . _ : / or -',
  })
  sourceRef!: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  description?: string;
}

export class UsageLineResponse {
  @ApiProperty({ format: 'uuid', description: 'The invoice line it becomes' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionItemId!: string;

  @ApiProperty({ format: 'uuid' })
  priceId!: string;

  @ApiProperty({ example: 'api_calls' })
  meter!: string;

  @ApiProperty({ example: '125000' })
  quantity!: string;

  @ApiProperty({ type: ServicePeriodDto })
  servicePeriod!: ServicePeriodDto;

  @ApiProperty()
  sourceRef!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({
    description:
      'What this line bills: the price of the running total for the meter and period, less what earlier lines of that period billed (each rounded half-up)',
    example: '205.00',
  })
  amount!: string;

  @ApiProperty({
    description: 'Running total of the meter for the period, this line included',
    example: '125000',
  })
  periodQuantity!: string;

  @ApiProperty({ description: 'Price of the running total, rounded', example: '205.00' })
  periodAmount!: string;

  @ApiProperty({ type: [PriceComponentResponse], description: 'How the running total was priced' })
  breakdown!: PriceComponentResponse[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The invoice it is on, once invoiced' })
  invoiceId?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
