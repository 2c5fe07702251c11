import { ApiProperty } from '@nestjs/swagger';
import { GL_ACCOUNT_TYPES } from '@revgate/canonical';
import type { GlAccountType } from '@revgate/canonical';

export class TrialBalanceRowResponse {
  @ApiProperty({ example: '1200' })
  accountCode!: string;

  @ApiProperty({ example: 'Accounts receivable' })
  name!: string;

  @ApiProperty({ enum: GL_ACCOUNT_TYPES })
  type!: GlAccountType;

  @ApiProperty({ description: 'Balance before the period, debit positive', example: '0.00' })
  openingBalance!: string;

  @ApiProperty({ description: "The period's debits", example: '12480.00' })
  debit!: string;

  @ApiProperty({ description: "The period's credits", example: '0.00' })
  credit!: string;

  @ApiProperty({ description: 'opening + debit − credit', example: '12480.00' })
  closingBalance!: string;
}

export class TrialBalanceSectionResponse {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [TrialBalanceRowResponse] })
  rows!: TrialBalanceRowResponse[];

  @ApiProperty({ description: 'Equals totalCredit', example: '12480.00' })
  totalDebit!: string;

  @ApiProperty({ example: '12480.00' })
  totalCredit!: string;

  @ApiProperty({ description: 'Zero: the books balanced before the period', example: '0.00' })
  totalOpeningBalance!: string;

  @ApiProperty({ description: 'Zero: the books balance', example: '0.00' })
  totalClosingBalance!: string;
}

export class TrialBalanceResponse {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({
    type: [TrialBalanceSectionResponse],
    description:
      'One section per currency posted in (the ledger keeps each posting in its own currency; conversion to the functional currency is not simulated)',
  })
  sections!: TrialBalanceSectionResponse[];
}
