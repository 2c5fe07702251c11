import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CURRENCY_CODE, LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '@revgate/canonical';
import {
  CLOSE_STATUSES,
  JOURNAL_STATUSES,
  type CloseStatus,
  type JournalStatus,
} from '../revenue.entities';

export class RevenueJournalLine {
  @ApiProperty({ example: '2400' })
  accountCode!: string;

  @ApiPropertyOptional({ example: '1250.00' })
  debit?: string;

  @ApiPropertyOptional({ example: '1250.00' })
  credit?: string;

  @ApiProperty({ example: 'platform' })
  productFamily!: string;
}

export class RevenueProblem {
  @ApiProperty({ example: 'ERP_PERIOD_CLOSED' })
  code!: string;

  @ApiProperty()
  detail!: string;
}

export class RevenueJournalResponse {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({
    description: "The journal's external id in the ERP",
    example: 'revenue:2026-01:US01:USD',
  })
  externalId!: string;

  @ApiProperty({
    enum: JOURNAL_STATUSES,
    description:
      'pending (to post), posted, refused by the ERP (see problem), nothing_to_post (no deferred revenue to release)',
  })
  status!: JournalStatus;

  @ApiProperty({
    description: 'Deferred revenue released to revenue in the period (negative: the other way)',
    example: '1250.00',
  })
  amount!: string;

  @ApiProperty({ type: [RevenueJournalLine] })
  lines!: RevenueJournalLine[];

  @ApiPropertyOptional({ description: "The ERP's journal entry number", example: 'JE-000042' })
  erpNumber?: string;

  @ApiPropertyOptional({ type: RevenueProblem })
  problem?: RevenueProblem;

  @ApiPropertyOptional({ format: 'date-time' })
  postedAt?: string;
}

export class RevenueCloseResponse {
  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ enum: CLOSE_STATUSES })
  status!: CloseStatus;

  @ApiProperty({
    description: 'How many times the close was started (a failed close may be started again)',
  })
  attempt!: number;

  @ApiProperty({ type: [RevenueJournalResponse] })
  journals!: RevenueJournalResponse[];

  @ApiPropertyOptional()
  error?: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  completedAt?: string;
}

export class WaterfallQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(CURRENCY_CODE, { message: 'currency must be an ISO 4217 code, e.g. USD' })
  currency?: string;
}

export class WaterfallEntry {
  @ApiProperty({ example: '2026-02' })
  period!: string;

  @ApiProperty({ example: '1000.00' })
  amount!: string;
}

export class WaterfallFamily {
  @ApiProperty({ example: 'platform' })
  productFamily!: string;

  @ApiProperty()
  billed!: string;

  @ApiProperty()
  recognized!: string;

  @ApiProperty()
  closingDeferred!: string;
}

export class RevenueWaterfallRow {
  @ApiProperty({ example: 'US01' })
  legalEntity!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ description: 'Deferred revenue at the start of the period' })
  openingDeferred!: string;

  @ApiProperty({ description: 'Posted to the ERP in the period (invoice lines, net of discounts)' })
  billed!: string;

  @ApiProperty({ description: 'Recognized in the period' })
  recognized!: string;

  @ApiProperty({
    description: 'Deferred revenue at the end of the period: opening + billed − recognized',
  })
  closingDeferred!: string;

  @ApiProperty({ description: 'Billed up to the end of the period' })
  billedToDate!: string;

  @ApiProperty({ description: 'Recognized up to the end of the period' })
  recognizedToDate!: string;

  @ApiProperty({ description: 'billedToDate = recognizedToDate + closingDeferred' })
  balanced!: boolean;

  @ApiProperty({
    type: [WaterfallEntry],
    description: 'The closing deferred revenue by the period it will be recognized in',
  })
  schedule!: WaterfallEntry[];

  @ApiProperty({ type: [WaterfallFamily] })
  families!: WaterfallFamily[];
}

export class RevenueWaterfallResponse {
  @ApiProperty({ example: '2026-01' })
  period!: string;

  @ApiProperty({ type: [RevenueWaterfallRow] })
  rows!: RevenueWaterfallRow[];
}
