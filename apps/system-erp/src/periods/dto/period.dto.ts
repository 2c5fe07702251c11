import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  ACCOUNTING_PERIOD_STATUSES,
  AccountingPeriodDto,
  LEGAL_ENTITY_CODE,
  LEGAL_ENTITY_MESSAGE,
} from '@revgate/canonical';
import type { AccountingPeriodStatus } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { RecordResponse, SyncPageQuery } from '../../common.dto';

export class PeriodResponse extends IntersectionType(AccountingPeriodDto, RecordResponse) {}

export class ListPeriodsQuery extends SyncPageQuery {
  @ApiPropertyOptional({ example: 'US01' })
  @IsOptional()
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity?: string;

  @ApiPropertyOptional({ enum: ACCOUNTING_PERIOD_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNTING_PERIOD_STATUSES, { message: 'status must be open or closed' })
  status?: AccountingPeriodStatus;
}

export class PeriodPage extends PageOf(PeriodResponse) {}
