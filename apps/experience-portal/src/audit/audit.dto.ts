import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageOf, SyncPageQuery } from '@revgate/platform';

export class ListAuditQuery extends SyncPageQuery {
  @ApiPropertyOptional({ description: 'Who acted (token subject)' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'actor must be 1 to 200 characters' })
  actor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'What was acted on (an exception id)' })
  @IsOptional()
  @IsUUID('all', { message: 'targetId must be a UUID' })
  targetId?: string;
}

export class AuditEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Who acted (token subject)' }) actor!: string;
  @ApiProperty({ enum: ['retry', 'resolve'] }) action!: string;
  @ApiProperty({ enum: ['exception'] }) targetType!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty({ description: 'Why' }) reason!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What it concerned (order, code, legal entity) and the status it led to',
  })
  detail!: Record<string, unknown>;
  @ApiProperty() correlationId!: string;
}

export class AuditPage extends PageOf(AuditEntryResponse) {}
