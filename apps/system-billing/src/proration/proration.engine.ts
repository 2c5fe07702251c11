/**
 * Proration engine: the lines a subscription amendment puts on an invoice or a credit memo.
 *
 * The declared rule (day-based):
 * - A billing period [start, end) is a run of whole UTC calendar days, end exclusive, of N = end − start
 *   days: 28 to 31 for a month (29 in a leap February), 365 or 366 for a year, any N ≥ 1.
 * - A change effective on day D (start ≤ D < end) takes effect at the start of D: the old terms served
 *   [start, D), the new terms serve [D, end). Unused days u = end − D, so 1 ≤ u ≤ N, and the unused
 *   fraction is f = u / N: 1 on the first day, 1/N on the last day. A date outside [start, end) is
 *   refused (BILLING_PRORATION_DATE_OUTSIDE_PERIOD): a change at the period end is a renewal or an
 *   at-period-end change, never a proration.
 * - An item's period price is unitAmount × quantity, unitAmount being the price of one unit for one
 *   whole period (per period, not per day: February and March cost the same).
 * - credit = −round(oldPeriodPrice × u / N) and charge = round(newPeriodPrice × u / N), each line rounded
 *   on its own, half-up to the currency's minor unit, from the exact product (multiplied before it is
 *   divided; the input envelope keeps the one inexact step, ÷ N, far below the rounding step).
 * - Operations: item_change (upgrade, downgrade, quantity change) → credit for the old item and charge
 *   for the new one over [D, end); cancel_now → the credit alone; cancel_at_period_end → no line;
 *   renewal → one charge of the full period price for the next period, no proration;
 *   co_term_addition → a charge for the new item over [D, end).
 * - Rounding bound: every line is within ½ minor unit of its exact amount, so
 *   |credit + charge − (new − old) × f| ≤ 1 minor unit, and, both sides being whole minor units less
 *   than 1½ apart, credit + charge differs from round((new − old) × f) by at most 1 minor unit. The
 *   same holds for a split: round(P × used / N) + round(P × unused / N) is within 1 minor unit of
 *   round(P).
 */
import type Decimal from 'decimal.js';
import { DEFAULT_ROUNDING, isCurrency, Money, MoneyDecimal } from '@revgate/canonical';
import { parseDay, type DayNumber } from './calendar';
import { ProrationError, ProrationErrorCode } from './proration.error';
import type {
  Amendment,
  BillingPeriod,
  ProrationItem,
  ProrationLine,
  ProrationRequest,
  ProrationResult,
  ServicePeriod,
  UnusedFraction,
} from './proration.types';

/* Input envelope (as the pricing engine's): exact products, and a period price below 10^15. */
const QUANTITY_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;
const UNIT_AMOUNT_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,10})?$/;
const MAX_PERIOD_PRICE = new MoneyDecimal(10).pow(15);

interface Period {
  readonly start: DayNumber;
  readonly end: DayNumber;
  readonly days: number;
  readonly text: BillingPeriod;
}

interface Item {
  readonly quantity: string;
  readonly unitAmount: Money;
  readonly periodPrice: Money;
}

/** Computes the proration lines of one amendment. */
export function prorate(request: ProrationRequest): ProrationResult {
  const currency = parseCurrency(request.currency);
  const period = parsePeriod(request.period, 'period');
  const lines = amendmentLines(request.amendment, period, currency);
  return {
    currency,
    lines,
    total: Money.sum(
      lines.map((line) => line.amount),
      currency,
    ),
  };
}

/** The unused part of `period` from `effectiveDate` on (see the rule above). */
export function unusedFraction(period: BillingPeriod, effectiveDate: string): UnusedFraction {
  const parsed = parsePeriod(period, 'period');
  const day = parseEffectiveDate(effectiveDate, parsed, 'effectiveDate');
  return { unusedDays: parsed.end - day, periodDays: parsed.days };
}

/**
 * A charge for `item` over `span`, a part of `period` ([from, to) with start ≤ from ≤ to ≤ end):
 * round(periodPrice × days(span) / days(period)). The building block of every prorated line.
 */
export function chargeForSpan(
  currency: string,
  period: BillingPeriod,
  span: ServicePeriod,
  item: ProrationItem,
): ProrationLine {
  const parsedCurrency = parseCurrency(currency);
  const parsedPeriod = parsePeriod(period, 'period');
  const from = parseDay(span.from, 'span.from');
  const to = parseDay(span.to, 'span.to');
  if (from > to) throw periodError('span', `${span.from} is after ${span.to}`);
  if (from < parsedPeriod.start || to > parsedPeriod.end) {
    throw outsidePeriod('span', `${span.from}–${span.to}`, parsedPeriod);
  }
  return line('charge', span, to - from, parsedPeriod, parseItem(item, parsedCurrency, 'item'));
}

function amendmentLines(amendment: Amendment, period: Period, currency: string): ProrationLine[] {
  switch (amendment.type) {
    case 'item_change': {
      const rest = remainder(amendment.effectiveDate, period);
      const from = parseItem(amendment.from, currency, 'amendment.from');
      const to = parseItem(amendment.to, currency, 'amendment.to');
      return [
        line('credit', rest.span, rest.days, period, from),
        line('charge', rest.span, rest.days, period, to),
      ];
    }
    case 'cancel_now': {
      const rest = remainder(amendment.effectiveDate, period);
      const item = parseItem(amendment.item, currency, 'amendment.item');
      return [line('credit', rest.span, rest.days, period, item)];
    }
    case 'cancel_at_period_end':
      parseItem(amendment.item, currency, 'amendment.item');
      return [];
    case 'renewal':
      return [renewalLine(amendment.nextPeriod, amendment.item, period, currency)];
    case 'co_term_addition': {
      const rest = remainder(amendment.effectiveDate, period);
      const item = parseItem(amendment.item, currency, 'amendment.item');
      return [line('charge', rest.span, rest.days, period, item)];
    }
    default:
      return rejectAmendment(amendment);
  }
}

/** The unused days [D, end) of the period from an effective date D. */
function remainder(effectiveDate: string, period: Period): { span: ServicePeriod; days: number } {
  const day = parseEffectiveDate(effectiveDate, period, 'amendment.effectiveDate');
  return { span: { from: effectiveDate, to: period.text.end }, days: period.end - day };
}

function renewalLine(
  nextPeriod: BillingPeriod,
  item: ProrationItem,
  current: Period,
  currency: string,
): ProrationLine {
  const next = parsePeriod(nextPeriod, 'amendment.nextPeriod');
  if (next.start !== current.end) {
    throw periodError(
      'amendment.nextPeriod.start',
      `a renewal starts where the current period ends (${current.text.end}), not on ${nextPeriod.start}`,
    );
  }
  const span = { from: nextPeriod.start, to: nextPeriod.end };
  return line('charge', span, next.days, next, parseItem(item, currency, 'amendment.item'));
}

/** One prorated line: ±round(periodPrice × days / periodDays), half-up, sign by kind. */
function line(
  kind: ProrationLine['kind'],
  servicePeriod: ServicePeriod,
  days: number,
  period: Period,
  item: Item,
): ProrationLine {
  const amount = item.periodPrice.times(days).dividedBy(period.days).round(DEFAULT_ROUNDING);
  return {
    kind,
    servicePeriod,
    quantity: item.quantity,
    unitAmount: item.unitAmount,
    days,
    periodDays: period.days,
    amount: kind === 'credit' ? amount.negated() : amount,
  };
}

function parseCurrency(value: unknown): string {
  if (typeof value !== 'string' || !isCurrency(value)) {
    throw new ProrationError(
      ProrationErrorCode.CURRENCY_INVALID,
      'currency',
      `must be an ISO 4217 currency code, got ${describe(value)}`,
    );
  }
  return value;
}

function parsePeriod(period: BillingPeriod, path: string): Period {
  const start = parseDay(period.start, `${path}.start`);
  const end = parseDay(period.end, `${path}.end`);
  if (end <= start) {
    throw periodError(
      path,
      `end ${period.end} must be after start ${period.start} (end is exclusive)`,
    );
  }
  return { start, end, days: end - start, text: period };
}

function parseEffectiveDate(value: string, period: Period, path: string): DayNumber {
  const day = parseDay(value, path);
  if (day < period.start || day >= period.end) throw outsidePeriod(path, value, period);
  return day;
}

function parseItem(item: ProrationItem, currency: string, path: string): Item {
  const quantity = parseDecimal(
    item.quantity,
    QUANTITY_PATTERN,
    `${path}.quantity`,
    ProrationErrorCode.QUANTITY_INVALID,
    'a non-negative decimal string with up to 12 integer digits and 6 decimals',
  );
  const unitAmount = Money.of(
    parseDecimal(
      item.unitAmount,
      UNIT_AMOUNT_PATTERN,
      `${path}.unitAmount`,
      ProrationErrorCode.AMOUNT_INVALID,
      'a non-negative decimal string with up to 9 integer digits and 10 decimals',
    ),
    currency,
  );
  const periodPrice = unitAmount.times(quantity);
  if (periodPrice.amount.gte(MAX_PERIOD_PRICE)) {
    throw new ProrationError(
      ProrationErrorCode.AMOUNT_INVALID,
      path,
      'unitAmount × quantity must stay below 10^15 per period',
    );
  }
  return { quantity: item.quantity, unitAmount, periodPrice };
}

function parseDecimal(
  value: unknown,
  pattern: RegExp,
  path: string,
  code: ProrationErrorCode,
  expected: string,
): Decimal {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ProrationError(code, path, `must be ${expected}, got ${describe(value)}`);
  }
  return new MoneyDecimal(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : typeof value;
}

function periodError(path: string, detail: string): ProrationError {
  return new ProrationError(ProrationErrorCode.PERIOD_INVALID, path, detail);
}

function outsidePeriod(path: string, what: string, period: Period): ProrationError {
  return new ProrationError(
    ProrationErrorCode.DATE_OUTSIDE_PERIOD,
    path,
    `${what} is outside the billing period [${period.text.start}, ${period.text.end})`,
  );
}

/** Reached only by input that bypassed the types (a JSON body cast to Amendment). */
function rejectAmendment(amendment: never): never {
  const type = (amendment as { type?: unknown }).type;
  throw new ProrationError(
    ProrationErrorCode.AMENDMENT_INVALID,
    'amendment.type',
    `must be item_change, cancel_now, cancel_at_period_end, renewal or co_term_addition, got ${describe(type)}`,
  );
}
