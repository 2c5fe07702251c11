import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  GL_ACCOUNT_TYPES,
  GlAccountDto,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import type { GlAccountType } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { RecordResponse, SyncPageQuery } from '../../common.dto';

/** An account as PUT creates or changes it (legal entity and code are in the path). */
export class UpsertAccountRequest extends OmitType(GlAccountDto, [
  'legalEntity',
  'code',
] as const) {}

export class AccountResponse extends IntersectionType(GlAccountDto, RecordResponse) {}

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
