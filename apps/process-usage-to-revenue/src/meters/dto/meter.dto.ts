import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { METER_CODE, METER_CODE_MESSAGE } from '@revgate/canonical';
import { PageOf, PageQuery } from '@revgate/platform';
import { AGGREGATIONS, type Aggregation, LATE_POLICIES, type LatePolicy } from '../meter.entity';

const PROPERTY_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;
const UNIT = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,31}$/;

export class CreateMeterRequest {
  @ApiProperty({ description: 'The code events name the meter by', example: 'api_calls' })
  @Matches(METER_CODE, { message: METER_CODE_MESSAGE })
  code!: string;

  @ApiProperty({ example: 'API calls', maxLength: 200 })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiProperty({
    enum: AGGREGATIONS,
    description:
      "How a period's events become one quantity: sum of quantities, max quantity, count of events, unique_count of a property's distinct values, last (the latest event's quantity)",
  })
  @IsIn(AGGREGATIONS, { message: `aggregation must be one of ${AGGREGATIONS.join(', ')}` })
  aggregation!: Aggregation;

  @ApiPropertyOptional({
    description:
      'For unique_count (required there, refused otherwise): the property whose distinct values are counted',
    example: 'user_id',
  })
  @ValidateIf(
    (m: CreateMeterRequest) => m.aggregation === 'unique_count' || m.uniqueProperty !== undefined,
  )
  @Matches(PROPERTY_KEY, {
    message:
      'uniqueProperty must be a property name (1–40 letters, digits, _ . -) and is required for unique_count',
  })
  uniqueProperty?: string;

  @ApiProperty({ description: 'Unit of the quantity', example: 'calls' })
  @Matches(UNIT, { message: 'unit must be 1–32 letters, digits, spaces, . _ / or -' })
  unit!: string;

  @ApiPropertyOptional({
    enum: LATE_POLICIES,
    default: 'carry_forward',
    description:
      'What happens to an event whose period is closed: carry_forward (counted in the next open period) or hold (kept for review, released by an operator)',
  })
  @IsOptional()
  @IsIn(LATE_POLICIES, { message: `latePolicy must be one of ${LATE_POLICIES.join(', ')}` })
  latePolicy?: LatePolicy;
}

/** What may change on a meter; its code and aggregation are fixed once usage refers to them. */
export class UpdateMeterRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(UNIT, { message: 'unit must be 1–32 letters, digits, spaces, . _ / or -' })
  unit?: string;

  @ApiPropertyOptional({ enum: LATE_POLICIES })
  @IsOptional()
  @IsIn(LATE_POLICIES, { message: `latePolicy must be one of ${LATE_POLICIES.join(', ')}` })
  latePolicy?: LatePolicy;
}

export class MeterResponse {
  @ApiProperty({ example: 'api_calls' })
  code!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: AGGREGATIONS })
  aggregation!: Aggregation;

  @ApiPropertyOptional()
  uniqueProperty?: string;

  @ApiProperty()
  unit!: string;

  @ApiProperty({ enum: LATE_POLICIES })
  latePolicy!: LatePolicy;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class MeterPage extends PageOf(MeterResponse) {}

export class ListMetersQuery extends PageQuery {}
