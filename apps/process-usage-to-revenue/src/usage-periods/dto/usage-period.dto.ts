import { IsOptional, IsString, Length } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class UsagePeriodResponse {
  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({
    enum: ['open', 'closed'],
    description: "closed: new events of the period follow their meter's late-usage policy",
  })
  status!: 'open' | 'closed';

  @ApiPropertyOptional({ format: 'date-time' })
  closedAt?: string;

  @ApiPropertyOptional({ description: 'Who closed it (a caller, or a billing run)' })
  closedBy?: string;
}

export class UsageSummaryQuery {
  @ApiPropertyOptional({
    description: 'Only the usage of this subscription (the id events name)',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @Length(1, 128, { message: 'subscriptionId must be 1 to 128 characters' })
  subscriptionId?: string;
}

export class MeterUsageSummary {
  @ApiProperty({ example: 'api_calls' }) meterCode!: string;
  @ApiProperty({ description: 'Usage events that count (not held, not cancelled)' })
  events!: number;
  @ApiProperty({ example: '1250.5', description: 'Their total quantity (decimal string)' })
  quantity!: string;
  @ApiProperty({ description: 'Events held for review (not counted)' }) held!: number;
}

export class UsageSummaryResponse {
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiPropertyOptional() subscriptionId?: string;
  @ApiProperty({ type: [MeterUsageSummary], description: 'Per meter, by meter code' })
  meters!: MeterUsageSummary[];
}
