import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  GL_ACCOUNT_TYPES,
  GlAccountDto,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import type { GlAccountType } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { SyncPageQuery } from '../../common.dto';

/** An account as PUT creates or changes it (legal entity and code are in the path). */
export class UpsertAccountRequest extends OmitType(GlAccountDto, [
  'legalEntity',
  'code',
] as const) {}

export class AccountResponse extends GlAccountDto {
  @ApiProperty({ description: "The ERP's id of the account" })
  id!: string;

  @ApiProperty({ description: 'Row version; the ETag is "v<version>"' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ListAccountsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ enum: GL_ACCOUNT_TYPES })
  @IsOptional()
  @IsIn(GL_ACCOUNT_TYPES, { message: `type must be one of ${GL_ACCOUNT_TYPES.join(', ')}` })
  type?: GlAccountType;
}

export class AccountPage extends PageOf(AccountResponse) {}
