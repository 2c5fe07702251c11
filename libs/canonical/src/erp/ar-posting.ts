import { Money, MoneyDecimal, roundMoney } from '../money/money';

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

/** The parts of a billing credit memo line that decide its posting. */
export interface CreditLineLike {
  type: string;
  description: string;
  amount: string;
  servicePeriod?: { from: string; to: string };
}

/**
 * The lines of the AR credit memo that receives a billing credit memo (declared rule): the memo's
 * credit lines summed per ERP item (`itemCodeOf` gives each line's, by its position in the memo),
 * an item whose lines net to zero left out, and the memo's tax spread over the items in proportion
 * to their amounts (exactly: largest remainder), so the posting's total is the memo's. A line
 * without an item, or an item that nets below zero, is listed instead.
 */
export function arCreditMemoLines(
  lines: readonly CreditLineLike[],
  currency: string,
  itemCodeOf: (line: CreditLineLike, index: number) => string | undefined,
): ArPostingLines {
  const problems: string[] = [];
  const items = new Map<
    string,
    { amount: InstanceType<typeof MoneyDecimal>; description: string; from?: string; to?: string }
  >();
  let tax = new MoneyDecimal(0);
  lines.forEach((line, index) => {
    if (line.type === 'tax') {
      tax = tax.plus(line.amount);
      return;
    }
    const item = itemCodeOf(line, index);
    if (item === undefined) {
      problems.push(`line "${line.description}" has no ERP item`);
      return;
    }
    const entry = items.get(item) ?? { amount: new MoneyDecimal(0), description: line.description };
    entry.amount = entry.amount.plus(line.amount);
    if (line.servicePeriod) {
      entry.from =
        entry.from === undefined || line.servicePeriod.from < entry.from
          ? line.servicePeriod.from
          : entry.from;
      entry.to =
        entry.to === undefined || line.servicePeriod.to > entry.to
          ? line.servicePeriod.to
          : entry.to;
    }
    items.set(item, entry);
  });
  for (const [item, entry] of items)
    if (entry.amount.isNegative()) problems.push(`the lines of item ${item} net below zero`);
  if (problems.length) return { ok: false, problems };
  const kept = [...items.entries()].filter(([, e]) => !e.amount.isZero());
  const total = kept.reduce((sum, [, e]) => sum.plus(e.amount), new MoneyDecimal(0)).plus(tax);
  if (kept.length === 0) return { ok: true, lines: [], total: roundMoney(total, currency) };
  const taxes = Money.of(tax, currency).allocate(kept.map(([, e]) => e.amount.toFixed()));
  return {
    ok: true,
    total: roundMoney(total, currency),
    lines: kept.map(([itemCode, e], i) => ({
      itemCode,
      description: e.description.slice(0, 255),
      quantity: '1',
      amount: roundMoney(e.amount, currency),
      taxAmount: taxes[i]?.toString() ?? roundMoney(0, currency),
      ...(e.from !== undefined && e.to !== undefined
        ? { servicePeriod: { start: e.from, end: e.to } }
        : {}),
    })),
  };
}
