import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { LEGAL_ENTITY_CODE, LEGAL_ENTITY_MESSAGE } from '../tax/tax-document.dto';
import { isAccountingPeriod, periodEnd, periodStart } from './calendar';
import { IsAccountingPeriod, IsCalendarDate, Rule } from './field-rules';

export const ACCOUNTING_PERIOD_STATUSES = ['open', 'closed'] as const;
export type AccountingPeriodStatus = (typeof ACCOUNTING_PERIOD_STATUSES)[number];

/** The sibling `period`, when it is well formed. */
const periodIn = (object: object): string | undefined => {
  const period = (object as { period?: unknown }).period;
  return isAccountingPeriod(period) ? period : undefined;
};

/** periodStart / periodEnd, or undefined past 9999-12 (whose end has no four-digit year). */
const boundaryOf = (boundary: (period: string) => string, period: string): string | undefined => {
  try {
    return boundary(period);
  } catch {
    return undefined;
  }
};

const boundaryMessage = (
  rule: string,
  period: string | undefined,
  boundary: (period: string) => string,
): string =>
  period === undefined
    ? `${rule} the period`
    : `${rule} ${period}: ${boundaryOf(boundary, period) ?? 'beyond 9999-12-31'}`;

/**
 * A legal entity's accounting period: a calendar month. Only an open period takes postings; a
 * posting dated in a closed one is refused (late usage follows the declared late-usage policy).
 */
export class AccountingPeriodDto {
  @ApiProperty({
    description: 'Code of the legal entity whose books the period belongs to',
    example: 'US01',
  })
  @Matches(LEGAL_ENTITY_CODE, { message: LEGAL_ENTITY_MESSAGE })
  legalEntity!: string;

  @ApiProperty({ description: 'The period: a calendar month, YYYY-MM', example: '2026-01' })
  @IsAccountingPeriod('period')
  period!: string;

  @ApiProperty({
    format: 'date',
    description: 'First day of the period (inclusive): the first of the month',
    example: '2026-01-01',
  })
  @IsCalendarDate('start')
  @Rule(
    'isPeriodStart',
    (value, object) => {
      const period = periodIn(object);
      return period === undefined || value === boundaryOf(periodStart, period);
    },
    (_value, object) =>
      boundaryMessage('start must be the first day of', periodIn(object), periodStart),
  )
  start!: string;

  @ApiProperty({
    format: 'date',
    description: 'First day after the period (exclusive): the first of the next month',
    example: '2026-02-01',
  })
  @IsCalendarDate('end')
  @Rule(
    'isPeriodEnd',
    (value, object) => {
      const period = periodIn(object);
      return period === undefined || value === boundaryOf(periodEnd, period);
    },
    (_value, object) =>
      boundaryMessage('end must be the first day after', periodIn(object), periodEnd),
  )
  end!: string;

  @ApiProperty({
    enum: ACCOUNTING_PERIOD_STATUSES,
    description: 'open: takes postings; closed: takes none',
    example: 'open',
  })
  @IsIn(ACCOUNTING_PERIOD_STATUSES, { message: 'status must be open or closed' })
  status!: AccountingPeriodStatus;
}
