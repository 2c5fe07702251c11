import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches, ValidateNested } from 'class-validator';
import {
  ACCOUNTING_PERIOD,
  JournalEntryDto,
  JournalLineDto,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
  MAX_JOURNAL_LINES,
  MIN_JOURNAL_LINES,
} from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { LedgerLineResponse, RecordResponse, SyncPageQuery } from '../../common.dto';

/**
 * A journal entry to post: the canonical JournalEntryDto, except that a balance that does not add
 * up is the ERP's refusal (422 ERP_JOURNAL_UNBALANCED), not a malformed request.
 */
export class PostJournalEntryRequest extends OmitType(JournalEntryDto, ['lines'] as const) {
  @ApiProperty({
    type: [JournalLineDto],
    description:
      'At least two lines; each has exactly one of debit and credit positive; the debits must add up to exactly the credits',
    minItems: MIN_JOURNAL_LINES,
    maxItems: MAX_JOURNAL_LINES,
  })
  @IsArray({ message: 'lines must be an array of journal lines' })
  @ArrayMaxSize(MAX_JOURNAL_LINES, {
    message: `lines must have at most ${MAX_JOURNAL_LINES} lines`,
  })
  @ValidateNested({ each: true })
  @Type(() => JournalLineDto)
  lines!: JournalLineDto[];
}

export class JournalEntryResponse extends RecordResponse {
  @ApiProperty({ example: 'JE-US01-000003' })
  number!: string;

  @ApiProperty({ example: 'REVREC-US01-2026-01-USD' })
  externalId!: string;

  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  memo!: string;

  @ApiProperty({ type: [LedgerLineResponse] })
  lines!: LedgerLineResponse[];

  @ApiProperty({ example: '1000.00' })
  totalDebit!: string;

  @ApiProperty({ example: '1000.00' })
  totalCredit!: string;
}

export class ListJournalEntriesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: '2026-01' })
  @IsOptional()
  @Matches(ACCOUNTING_PERIOD, { message: 'period must be written YYYY-MM, e.g. 2026-01' })
  period?: string;
}

export class JournalEntryPage extends PageOf(JournalEntryResponse) {}
