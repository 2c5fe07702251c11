import { MoneyDecimal, roundMoney } from '../money/money';

/** The parts of a billing document line that decide its posting (the billing API's line). */
export interface BillingLineLike {
  id: string;
  type: string;
  description: string;
  productId?: string;
  quantity?: string;
  amount: string;
  servicePeriod?: { from: string; to: string };
  appliesToLineId?: string;
  taxCode?: string;
}

/** A line of an AR document as the ERP API takes it (ArDocumentLineDto). */
export interface ArPostingLine {
  itemCode: string;
  description: string;
  quantity: string;
  amount: string;
  taxAmount: string;
  taxCode?: string;
  servicePeriod?: { start: string; end: string };
}

export type ArPostingLines =
  { ok: true; lines: ArPostingLine[]; total: string } | { ok: false; problems: string[] };

const CHARGES = new Set(['subscription', 'usage', 'one_time']);
const REDUCTIONS = new Set(['discount', 'credit']);

/**
 * The lines of the AR invoice that receives a billing invoice (declared rule): one line per charge
 * line (subscription, usage, one-time), its item from `itemCodeOf`, its amount the charge's net —
 * the charge plus the discount and credit lines that apply to it — and its tax the tax lines that
 * apply to it, so the posting's subtotal, tax and total are the invoice's. A charge that nets below
 * zero hands its deficit to the other charges of its item, largest first (the ERP takes no negative
 * line). What cannot be posted as it stands — a line of a product without an item, a reduction or
 * tax line that applies to no charge, an item whose lines net below zero — is listed, and nothing
 * is returned to post.
 */
export function arInvoiceLines(
  lines: readonly BillingLineLike[],
  currency: string,
  itemCodeOf: (line: BillingLineLike) => string | undefined,
): ArPostingLines {
  const problems: string[] = [];
  const charges = lines.filter((l) => CHARGES.has(l.type));
  const net = new Map(charges.map((l) => [l.id, new MoneyDecimal(l.amount)]));
  const tax = new Map(charges.map((l) => [l.id, new MoneyDecimal(0)]));
  for (const line of lines) {
    const into = REDUCTIONS.has(line.type) ? net : line.type === 'tax' ? tax : undefined;
    if (!into) continue;
    const target = line.appliesToLineId === undefined ? undefined : into.get(line.appliesToLineId);
    if (target === undefined || line.appliesToLineId === undefined) {
      problems.push(`${line.type} line "${line.description}" applies to no charge line`);
      continue;
    }
    into.set(line.appliesToLineId, target.plus(line.amount));
  }
  const items = new Map<string, string>();
  for (const line of charges) {
    const item = itemCodeOf(line);
    if (item === undefined)
      problems.push(
        `line "${line.description}" is of product ${line.productId ?? '(none)'}, which has no ERP item`,
      );
    else items.set(line.id, item);
  }
  for (const line of charges) {
    let deficit = net.get(line.id) ?? new MoneyDecimal(0);
    if (!deficit.isNegative()) continue;
    net.set(line.id, new MoneyDecimal(0));
    const item = items.get(line.id);
    const others = charges
      .filter((o) => o.id !== line.id && items.get(o.id) === item && net.get(o.id)?.gt(0))
      .sort((a, b) => (net.get(b.id) ?? new MoneyDecimal(0)).comparedTo(net.get(a.id) ?? 0));
    for (const other of others) {
      const available = net.get(other.id) ?? new MoneyDecimal(0);
      const taken = MoneyDecimal.min(available, deficit.negated());
      net.set(other.id, available.minus(taken));
      deficit = deficit.plus(taken);
      if (!deficit.isNegative()) break;
    }
    if (deficit.isNegative())
      problems.push(`the lines of item ${item ?? '(none)'} net below zero: that is a credit memo`);
  }
  if (problems.length) return { ok: false, problems };
  let total = new MoneyDecimal(0);
  const posted = charges.map((line): ArPostingLine => {
    const amount = net.get(line.id) ?? new MoneyDecimal(0);
    const lineTax = tax.get(line.id) ?? new MoneyDecimal(0);
    total = total.plus(amount).plus(lineTax);
    const quantity =
      line.quantity !== undefined && new MoneyDecimal(line.quantity).gt(0) ? line.quantity : '1';
    return {
      itemCode: items.get(line.id) ?? '',
      description: line.description.slice(0, 255),
      quantity: new MoneyDecimal(quantity).toFixed(),
      amount: roundMoney(amount, currency),
      taxAmount: roundMoney(lineTax, currency),
      ...(line.taxCode === undefined ? {} : { taxCode: line.taxCode }),
      ...(line.servicePeriod
        ? { servicePeriod: { start: line.servicePeriod.from, end: line.servicePeriod.to } }
        : {}),
    };
  });
  return { ok: true, lines: posted, total: roundMoney(total, currency) };
}
