import { createHash } from 'node:crypto';
import { MoneyDecimal } from '../money/money';
import { UNSIGNED_DECIMAL } from '../money/money.dto';

/** What rating needs of a usage event from the ledger. */
export interface UsageEventAmount {
  readonly id: string;
  readonly quantity: string;
}

/**
 * The fingerprint of a set of usage events, which a RatedUsage carries so that "rated = the sum of
 * these events" can be checked against the ledger at any time.
 */
export interface UsageEventsSummary {
  readonly eventCount: number;
  /** The smallest and the largest id, in code-unit order (SQL: ORDER BY id COLLATE "C"). */
  readonly firstEventId: string;
  readonly lastEventId: string;
  /** The exact sum of the quantities, a decimal string without trailing zeros ("12.5"). */
  readonly quantity: string;
  /** See usageChecksum. */
  readonly checksum: string;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * SHA-256, in lower-case hex, of the events sorted by id in code-unit order, one line each:
 * `<id>\t<quantity>\n`, the quantity in its shortest decimal form ("1.50" → "1.5", "007" → "7").
 * It depends on the set of events only, not on their order or on how a quantity was written.
 */
export function usageChecksum(events: readonly UsageEventAmount[]): string {
  const hash = createHash('sha256');
  for (const event of [...events].sort((a, b) => byCodeUnits(a.id, b.id))) {
    hash.update(`${event.id}\t${new MoneyDecimal(event.quantity).toFixed()}\n`, 'utf8');
  }
  return hash.digest('hex');
}

/**
 * Count, id range, exact total quantity and checksum of a set of events. Refuses an empty set, an id
 * seen twice (the ledger deduplicates by id) and a quantity that is not a non-negative decimal string.
 */
export function summarizeUsageEvents(events: readonly UsageEventAmount[]): UsageEventsSummary {
  if (events.length === 0) throw new RangeError('a usage summary needs at least one event');
  const ids = events.map((e) => e.id).sort(byCodeUnits);
  ids.forEach((id, i) => {
    if (i > 0 && ids[i - 1] === id) throw new RangeError(`usage event ${id} occurs twice`);
  });
  const bad = events.find((e) => !UNSIGNED_DECIMAL.test(e.quantity));
  if (bad) {
    throw new RangeError(
      `usage event ${bad.id} has quantity "${bad.quantity}", not a non-negative decimal`,
    );
  }
  const quantity = events.reduce((sum, e) => sum.plus(e.quantity), new MoneyDecimal(0));
  return {
    eventCount: events.length,
    firstEventId: ids[0] ?? '',
    lastEventId: ids[ids.length - 1] ?? '',
    quantity: quantity.toFixed(),
    checksum: usageChecksum(events),
  };
}

/**
 * True when a rated quantity and its source fingerprint are exactly those of `events` (the ledger's
 * events of that subscription, meter and period): same count, id range, checksum and total.
 */
export function ratedUsageMatchesEvents(
  rated: {
    readonly quantity: string;
    readonly source: Omit<UsageEventsSummary, 'quantity'>;
  },
  events: readonly UsageEventAmount[],
): boolean {
  if (events.length === 0) return false;
  const summary = summarizeUsageEvents(events);
  return (
    summary.eventCount === rated.source.eventCount &&
    summary.firstEventId === rated.source.firstEventId &&
    summary.lastEventId === rated.source.lastEventId &&
    summary.checksum === rated.source.checksum &&
    UNSIGNED_DECIMAL.test(rated.quantity) &&
    new MoneyDecimal(rated.quantity).equals(summary.quantity)
  );
}
