import { type DateRange, periodEnd } from '@revgate/canonical';
import { ErpError, ErpErrorCode } from '../erp-error-code';
import type { DefaultAccounts } from './erp-provider.port';

/**
 * Revenue or deferred revenue (declared rule, the same for every adapter): a line whose service
 * period ends after the end of the period it is posted in — billed in advance, such as an annual
 * subscription invoiced in January or February's service invoiced in January — goes whole to
 * deferred revenue, and revenue recognition journals release it period by period (the first one
 * included). A line without a service period, or one that ends within its posting period (billed
 * in arrears, usage), is revenue when posted.
 */
export function isDeferred(servicePeriod: DateRange | undefined, postingPeriod: string): boolean {
  return servicePeriod !== undefined && servicePeriod.end > periodEnd(postingPeriod);
}

/**
 * The account a line's revenue goes to: the item's revenue account, or when the line is deferred
 * the item's deferred revenue account, else the entity's default one.
 */
export function revenueAccountFor(
  line: { servicePeriod?: DateRange },
  lineIndex: number,
  item: { code: string; revenueAccount: string; deferredRevenueAccount?: string },
  postingPeriod: string,
  defaults: DefaultAccounts,
): { accountCode: string; deferred: boolean } {
  if (!isDeferred(line.servicePeriod, postingPeriod))
    return { accountCode: item.revenueAccount, deferred: false };
  const deferredAccount = item.deferredRevenueAccount ?? defaults.deferredRevenue;
  if (deferredAccount === undefined)
    throw new ErpError(
      ErpErrorCode.DEFAULT_ACCOUNT_MISSING,
      `lines[${lineIndex}] is billed ahead of its service period, which ends after ${postingPeriod}, so its revenue is deferred; item ${item.code} has no deferred revenue account and the legal entity no default one.`,
      { pointers: [`/lines/${lineIndex}/servicePeriod`] },
    );
  return { accountCode: deferredAccount, deferred: true };
}
