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
