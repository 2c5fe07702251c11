import { ApiProperty } from '@nestjs/swagger';
import { EndsAfterStart, IsCalendarDate } from './field-rules';

/**
 * Whole calendar days, half-open: `start` inclusive, `end` exclusive (the first day after the range).
 * January 2026 is { start: "2026-01-01", end: "2026-02-01" }; its length is end − start = 31 days.
 */
export class DateRangeDto {
  @ApiProperty({
    format: 'date',
    description: 'First day of the range (inclusive), YYYY-MM-DD',
    example: '2026-01-01',
  })
  @IsCalendarDate('start')
  start!: string;

  @ApiProperty({
    format: 'date',
    description: 'First day after the range (exclusive), YYYY-MM-DD; after start',
    example: '2026-02-01',
  })
  @IsCalendarDate('end')
  @EndsAfterStart()
  end!: string;
}
