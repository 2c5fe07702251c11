/**
 * How an invoice's lines become a tax document and take its answer back. Pure.
 *
 * The declared rules:
 * - A charge line (subscription, usage, one_time) goes to the tax system as one document line, under
 *   its own id, with its net amount: its amount plus the discount and credit lines that apply to it
 *   (appliesToLineId). Tax is therefore computed on what the customer is charged.
 * - The tax system rounds each line's tax half-up to the currency, once; each line with tax gets one
 *   tax line that applies to it, and the invoice's tax is the exact sum of its tax lines.
 * - subtotal = the sum of every line but tax; totalTax = the sum of the tax lines; total = subtotal +
 *   totalTax = the sum of every line. Every amount has exactly the currency's decimals.
 */
import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import type { InvoiceTaxStatus, InvoiceLineType } from '@revgate/canonical';
import type { NewInvoiceLine } from '../providers/billing-provider.port';
import type { TaxableLine, TaxOutcome } from '../providers/tax.port';

export const CHARGE_LINE_TYPES: readonly InvoiceLineType[] = ['subscription', 'usage', 'one_time'];
const REDUCTION_TYPES: readonly InvoiceLineType[] = ['discount', 'credit'];

export class NegativeTaxBaseError extends Error {
  override name = 'NegativeTaxBaseError';
  constructor(readonly taxCodes: string[]) {
    super(`the lines of tax code ${taxCodes.join(', ')} net below zero`);
  }
}

export interface InvoiceTotals {
  subtotal: string;
  totalTax: string;
  total: string;
}

/** The net amount of each charge line: its amount plus the reductions that apply to it. */
export function netAmounts(
  lines: readonly NewInvoiceLine[],
): Map<string, InstanceType<typeof MoneyDecimal>> {
  const net = new Map<string, InstanceType<typeof MoneyDecimal>>();
  for (const line of lines)
    if (CHARGE_LINE_TYPES.includes(line.type)) net.set(line.id, new MoneyDecimal(line.amount));
  for (const line of lines) {
    if (!REDUCTION_TYPES.includes(line.type)) continue;
    const target = line.appliesToLineId === undefined ? undefined : net.get(line.appliesToLineId);
    if (target === undefined || line.appliesToLineId === undefined)
      throw new Error(`${line.type} line ${line.id} applies to no charge line of the invoice`);
    net.set(line.appliesToLineId, target.plus(line.amount));
  }
  return net;
}

/**
 * A charge line that nets below zero (usage under a volume price can lower the period's amount)
 * hands its deficit to the other charge lines of its tax code, largest first, for tax only.
 * Returns the tax codes whose lines net below zero as a whole.
 */
function settleDeficits(
  lines: readonly NewInvoiceLine[],
  net: Map<string, InstanceType<typeof MoneyDecimal>>,
): string[] {
  const negative: string[] = [];
  for (const line of lines) {
    let deficit = net.get(line.id);
    if (deficit === undefined || !deficit.isNegative()) continue;
    net.set(line.id, new MoneyDecimal(0));
    const others = lines
      .filter((o) => o.id !== line.id && o.taxCode === line.taxCode && net.get(o.id)?.gt(0))
      .sort((a, b) => net.get(b.id)?.comparedTo(net.get(a.id) ?? 0) ?? 0);
    for (const other of others) {
      const available = net.get(other.id) ?? new MoneyDecimal(0);
      const taken = MoneyDecimal.min(available, deficit.negated());
      net.set(other.id, available.minus(taken));
      deficit = deficit.plus(taken);
      if (!deficit.isNegative()) break;
    }
    if (deficit.isNegative()) negative.push(line.taxCode ?? 'NT');
  }
  return negative;
}

/**
 * The document lines of an invoice's charge lines. Throws NegativeTaxBaseError when the lines of a
 * tax code net below zero: such an invoice is a credit, to be issued as a credit memo.
 */
export function taxableLines(
  lines: readonly NewInvoiceLine[],
  itemCodes: ReadonlyMap<string, string> = new Map(),
): TaxableLine[] {
  const net = netAmounts(lines);
  const negative = settleDeficits(
    lines.filter((l) => CHARGE_LINE_TYPES.includes(l.type)),
    net,
  );
  if (negative.length) throw new NegativeTaxBaseError(negative);
  return lines
    .filter((l) => CHARGE_LINE_TYPES.includes(l.type))
    .map((l) => {
      const amount = net.get(l.id) ?? new MoneyDecimal(0);
      const quantity =
        l.quantity !== undefined && new MoneyDecimal(l.quantity).gt(0) ? l.quantity : '1';
      const itemCode = l.productId === undefined ? undefined : itemCodes.get(l.productId);
      return {
        number: l.id,
        amount: amount.toFixed(),
        quantity,
        taxCode: l.taxCode ?? 'NT',
        ...(itemCode === undefined ? {} : { itemCode }),
        description: l.description,
      };
    });
}

function percent(rate: string): string {
  return new MoneyDecimal(rate).times(100).toFixed();
}

/**
 * The invoice's lines with the tax system's answer: earlier tax lines dropped, each charge line
 * marked with its taxability, and one tax line per charge line that has tax, right after it.
 */
export function withTax(
  lines: readonly NewInvoiceLine[],
  outcome: TaxOutcome,
  currency: string,
  newId: () => string,
  transactionCode?: string,
): NewInvoiceLine[] {
  const byNumber = new Map(outcome.lines.map((l) => [l.number, l]));
  const result: NewInvoiceLine[] = [];
  for (const line of lines) {
    if (line.type === 'tax') continue;
    if (!CHARGE_LINE_TYPES.includes(line.type)) {
      result.push(line);
      continue;
    }
    const tax = byNumber.get(line.id);
    if (!outcome.calculated || !tax) {
      result.push({
        ...line,
        taxStatus: 'not_calculated',
        taxRate: undefined,
        taxability: undefined,
        jurisdiction: undefined,
      });
      continue;
    }
    result.push({
      ...line,
      taxStatus: 'calculated',
      taxRate: tax.rate,
      taxability: tax.taxability,
      jurisdiction: { ...tax.jurisdiction },
    });
    if (new MoneyDecimal(tax.tax).isZero()) continue;
    result.push({
      id: newId(),
      customerId: line.customerId,
      subscriptionId: line.subscriptionId,
      invoiceId: line.invoiceId,
      type: 'tax',
      description:
        `${tax.jurisdiction.taxName}, ${tax.jurisdiction.name}, ${percent(tax.rate)}% on ${line.description}`.slice(
          0,
          500,
        ),
      amount: roundMoney(tax.tax, currency),
      proration: false,
      source: {
        kind: 'tax',
        ...(transactionCode === undefined ? {} : { reference: transactionCode }),
      },
      appliesToLineId: line.id,
      taxRate: tax.rate,
      taxability: tax.taxability,
      jurisdiction: { ...tax.jurisdiction },
    });
  }
  return result;
}

/** The sums of an invoice's lines (see the rule above). */
export function invoiceTotals(
  lines: readonly { type: InvoiceLineType; amount: string }[],
  currency: string,
): InvoiceTotals {
  let subtotal = new MoneyDecimal(0);
  let tax = new MoneyDecimal(0);
  for (const line of lines) {
    if (line.type === 'tax') tax = tax.plus(line.amount);
    else subtotal = subtotal.plus(line.amount);
  }
  return {
    subtotal: roundMoney(subtotal, currency),
    totalTax: roundMoney(tax, currency),
    total: roundMoney(subtotal.plus(tax), currency),
  };
}

/** The invoice's tax status for a tax answer at a stage of its life. */
export function taxStatusOf(outcome: TaxOutcome, committed: boolean): InvoiceTaxStatus {
  if (!outcome.calculated) return 'not_calculated';
  return committed ? 'committed' : 'estimated';
}
