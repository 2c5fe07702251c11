import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { ACCOUNT_CODE } from './journal-entry.dto';

/**
 * What an account is for. The first five are the roles postings look accounts up by (an AR invoice
 * debits a receivable account and credits revenue or deferred revenue and tax payable; a payment
 * debits cash); the others are the rest of a chart. Debit-normal: receivable, cash, asset, expense.
 */
export const GL_ACCOUNT_TYPES = [
  'receivable',
  'revenue',
  'deferred_revenue',
  'tax_payable',
  'cash',
  'asset',
  'liability',
  'equity',
  'expense',
] as const;
export type GlAccountType = (typeof GL_ACCOUNT_TYPES)[number];

export const ACCOUNT_CODE_MESSAGE =
  'must be 1–40 letters, digits, . : _ or -, starting with a letter or digit';

/** A general-ledger account of one legal entity's chart (Tryton account.account, NetSuite account). */
export class GlAccountDto {
  @ApiProperty({
    description: 'Code of the legal entity whose chart has the account',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ description: 'Account code, unique in the chart', example: '4000' })
  @Matches(ACCOUNT_CODE, { message: `code ${ACCOUNT_CODE_MESSAGE}` })
  code!: string;

  @ApiProperty({ example: 'Subscription revenue', maxLength: 255 })
  @IsString({ message: 'name must be a string' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(255, { message: 'name must be at most 255 characters' })
  name!: string;

  @ApiProperty({ enum: GL_ACCOUNT_TYPES, example: 'revenue' })
  @IsIn(GL_ACCOUNT_TYPES, { message: `type must be one of ${GL_ACCOUNT_TYPES.join(', ')}` })
  type!: GlAccountType;
}
