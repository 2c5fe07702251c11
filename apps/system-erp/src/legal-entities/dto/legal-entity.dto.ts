import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import {
  ACCOUNT_CODE,
  ACCOUNT_CODE_MESSAGE,
  LegalEntityDto,
  LegalEntityTaxRegistrationDto,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { RecordResponse, SyncPageQuery } from '../../common.dto';

const account = (role: string) =>
  Matches(ACCOUNT_CODE, { message: `${role} ${ACCOUNT_CODE_MESSAGE}` });

/** The accounts postings use when the request names none; each must be of its role's type. */
export class DefaultAccountsDto {
  @ApiPropertyOptional({ description: 'Receivable account (type receivable)', example: '1200' })
  @IsOptional()
  @account('receivable')
  receivable?: string;

  @ApiPropertyOptional({ description: 'Tax payable account (type tax_payable)', example: '2200' })
  @IsOptional()
  @account('taxPayable')
  taxPayable?: string;

  @ApiPropertyOptional({ description: 'Cash account payments go to (type cash)', example: '1000' })
  @IsOptional()
  @account('cash')
  cash?: string;

  @ApiPropertyOptional({
    description: 'Deferred revenue account of items without their own (type deferred_revenue)',
    example: '2400',
  })
  @IsOptional()
  @account('deferredRevenue')
  deferredRevenue?: string;
}

/**
 * A legal entity as PUT creates or changes it (the code is in the path). Default accounts name
 * accounts of the entity's chart, so they are set once the accounts exist (a second PUT).
 */
export class UpsertLegalEntityRequest extends OmitType(LegalEntityDto, ['code'] as const) {
  @ApiPropertyOptional({ type: DefaultAccountsDto })
  @IsOptional()
  @IsObject({ message: 'defaultAccounts must be an object' })
  @ValidateNested()
  @Type(() => DefaultAccountsDto)
  defaultAccounts?: DefaultAccountsDto;
}

export class LegalEntityResponse extends RecordResponse {
  @ApiProperty({ example: 'US01' })
  code!: string;

  @ApiProperty({ example: 'Revgate Inc.' })
  name!: string;

  @ApiProperty({ example: 'USD' })
  functionalCurrency!: string;

  @ApiProperty({ type: [String], example: ['USD', 'EUR'] })
  allowedCurrencies!: string[];

  @ApiProperty({ type: LegalEntityTaxRegistrationDto })
  taxRegistration!: LegalEntityTaxRegistrationDto;

  @ApiProperty({ example: 'US' })
  country!: string;

  @ApiProperty({ type: DefaultAccountsDto })
  defaultAccounts!: DefaultAccountsDto;
}

export class ListLegalEntitiesQuery extends SyncPageQuery {}

export class LegalEntityPage extends PageOf(LegalEntityResponse) {}
