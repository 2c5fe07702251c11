import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { isInstant } from '@revgate/canonical';

const FAULT_KINDS = ['error', 'unavailable'] as const;

/**
 * The sandbox ERP's governance, as PUT sets it: every field omitted is off (0, none). Setting it
 * starts the counters afresh.
 */
export class GovernanceSettingsRequest {
  @ApiPropertyOptional({
    description: 'Calls in flight at once; past it 429 ERP_CONCURRENCY_LIMITED. 0: no limit',
    example: 5,
    default: 0,
  })
  @IsOptional()
  @IsInt({ message: 'concurrencyLimit must be an integer' })
  @Min(0, { message: 'concurrencyLimit must be from 0 to 10000' })
  @Max(10000, { message: 'concurrencyLimit must be from 0 to 10000' })
  concurrencyLimit?: number;

  @ApiPropertyOptional({
    description:
      'Calls a second (a token bucket of that many); past it 429 ERP_RATE_LIMITED. 0: no limit',
    example: 50,
    default: 0,
  })
  @IsOptional()
  @IsInt({ message: 'ratePerSecond must be an integer' })
  @Min(0, { message: 'ratePerSecond must be from 0 to 100000' })
  @Max(100000, { message: 'ratePerSecond must be from 0 to 100000' })
  ratePerSecond?: number;

  @ApiPropertyOptional({ description: 'Added to every admitted call', example: 100, default: 0 })
  @IsOptional()
  @IsInt({ message: 'latencyMs must be an integer' })
  @Min(0, { message: 'latencyMs must be from 0 to 60000' })
  @Max(60000, { message: 'latencyMs must be from 0 to 60000' })
  latencyMs?: number;

  @ApiPropertyOptional({
    description: 'Share of admitted calls that fail after their latency, 0 to 1',
    example: 0.1,
    default: 0,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'faultRate must be a number' })
  @Min(0, { message: 'faultRate must be from 0 to 1' })
  @Max(1, { message: 'faultRate must be from 0 to 1' })
  faultRate?: number;

  @ApiPropertyOptional({
    description: 'Seed of the fault draws: the same seed fails the same calls',
    default: 1,
  })
  @IsOptional()
  @IsInt({ message: 'faultSeed must be an integer' })
  faultSeed?: number;

  @ApiPropertyOptional({ description: 'The next this many admitted calls fail', default: 0 })
  @IsOptional()
  @IsInt({ message: 'failNext must be an integer' })
  @Min(0, { message: 'failNext must be from 0 to 1000000' })
  @Max(1000000, { message: 'failNext must be from 0 to 1000000' })
  failNext?: number;

  @ApiPropertyOptional({
    enum: FAULT_KINDS,
    description:
      "How a fault answers: error, the ERP's own failure (502 ERP_PROVIDER_ERROR); unavailable, 503 ERP_UNAVAILABLE with Retry-After",
    default: 'error',
  })
  @IsOptional()
  @IsIn(FAULT_KINDS, { message: 'faultKind must be error or unavailable' })
  faultKind?: (typeof FAULT_KINDS)[number];

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'Until then every call is refused with 503 ERP_UNAVAILABLE and Retry-After',
  })
  @IsOptional()
  @ValidateIf((_o: object, v: unknown) => v !== null)
  @ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => isInstant(value),
      defaultMessage: () =>
        'maintenanceUntil must be an ISO 8601 instant with an offset, e.g. 2026-01-31T23:59:59Z',
    },
  })
  maintenanceUntil?: string | null;
}

export class GovernanceSettingsResponse {
  @ApiProperty()
  concurrencyLimit!: number;

  @ApiProperty()
  ratePerSecond!: number;

  @ApiProperty()
  latencyMs!: number;

  @ApiProperty()
  faultRate!: number;

  @ApiProperty()
  faultSeed!: number;

  @ApiProperty({ description: 'Faults still to come from failNext' })
  failNext!: number;

  @ApiProperty({ enum: FAULT_KINDS })
  faultKind!: (typeof FAULT_KINDS)[number];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  maintenanceUntil!: string | null;
}

export class GovernanceCountersResponse {
  @ApiProperty({ description: 'Every call the ERP saw, refused or not' })
  calls!: number;

  @ApiProperty({ description: 'Calls admitted past the limits' })
  admitted!: number;

  @ApiProperty()
  inFlight!: number;

  @ApiProperty({ description: 'The most calls in flight at once' })
  peakConcurrency!: number;

  @ApiProperty()
  rejectedConcurrency!: number;

  @ApiProperty()
  rejectedRate!: number;

  @ApiProperty()
  rejectedMaintenance!: number;

  @ApiProperty()
  faultsInjected!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Calls by port operation (postArDocument, getArDocument, …)',
  })
  byOperation!: Record<string, number>;
}

export class GovernanceResponse {
  @ApiProperty({ type: GovernanceSettingsResponse })
  settings!: GovernanceSettingsResponse;

  @ApiProperty({
    type: GovernanceCountersResponse,
    description: 'Since the settings were last set',
  })
  counters!: GovernanceCountersResponse;
}
