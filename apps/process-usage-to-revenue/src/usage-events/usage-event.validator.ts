import {
  isInstant,
  MAX_USAGE_BATCH,
  METER_CODE,
  METER_CODE_MESSAGE,
  REFERENCE,
  REFERENCE_RULE,
  UNSIGNED_DECIMAL,
  USAGE_EVENT_ID,
  usagePropertiesProblem,
  type UsagePropertyValue,
} from '@revgate/canonical';
import { U2rErrorCode } from '../u2r-error-code';

/** How far ahead of the server's clock an event's timestamp may be. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
export { MAX_USAGE_BATCH };

export interface CheckedUsage {
  kind: 'usage';
  id: string;
  subscriptionRef: string | null;
  customerRef: string | null;
  meterCode: string;
  quantity: string;
  /** The timestamp as an ISO instant in UTC, millisecond precision. */
  occurredAt: string;
  /** YYYY-MM of the timestamp's UTC day. */
  ownPeriod: string;
  properties: Record<string, UsagePropertyValue> | null;
}

export interface CheckedCancellation {
  kind: 'cancellation';
  id: string;
  cancels: string;
}

export interface EventProblem {
  code: string;
  detail: string;
  pointer: string;
}

export type CheckResult =
  | { ok: true; event: CheckedUsage | CheckedCancellation }
  | { ok: false; id?: string; problem: EventProblem };

const USAGE_KEYS = new Set([
  'id',
  'subscriptionId',
  'customerId',
  'meterCode',
  'quantity',
  'timestamp',
  'properties',
]);
const ID_MESSAGE = 'id must be 1–128 letters, digits, . _ : or -, starting with a letter or digit';

/** `2026-01-15T10:30:00.123456+02:00` → epoch milliseconds (the fraction cut to milliseconds). */
function epochMs(instant: string): number {
  return Date.parse(instant.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * Checks one event of a batch by the rules of the canonical UsageEventDto (the same patterns and
 * messages), by hand: class-validator costs more per event than the database does at 20,000
 * events a second. A usage event is `{id, subscriptionId and/or customerId, meterCode, quantity,
 * timestamp, properties?}`; a cancellation is `{id, cancels}` and nothing else. Unknown fields are
 * refused, as everywhere in the API.
 */
export function checkEvent(raw: unknown, index: number, nowMs: number): CheckResult {
  const at = (field: string): string => `/events/${index}${field ? `/${field}` : ''}`;
  const invalid = (field: string, detail: string, id?: string): CheckResult => ({
    ok: false,
    ...(id === undefined ? {} : { id }),
    problem: { code: U2rErrorCode.EVENT_INVALID, detail, pointer: at(field) },
  });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid('', 'an event must be a JSON object');
  const e = raw as Record<string, unknown>;
  if (typeof e.id !== 'string' || !USAGE_EVENT_ID.test(e.id)) return invalid('id', ID_MESSAGE);
  const id = e.id;
  if ('cancels' in e) {
    const extra = Object.keys(e).find((k) => k !== 'id' && k !== 'cancels');
    if (extra !== undefined)
      return invalid(extra, `a cancellation has only id and cancels; ${extra} is not allowed`, id);
    if (typeof e.cancels !== 'string' || !USAGE_EVENT_ID.test(e.cancels))
      return invalid('cancels', 'cancels must be the id of the event to cancel', id);
    if (e.cancels === id) return invalid('cancels', 'an event cannot cancel itself', id);
    return { ok: true, event: { kind: 'cancellation', id, cancels: e.cancels } };
  }
  for (const key of Object.keys(e))
    if (!USAGE_KEYS.has(key)) return invalid(key, `property ${key} should not exist`, id);
  const { subscriptionId, customerId } = e;
  if (subscriptionId === undefined && customerId === undefined)
    return invalid(
      'subscriptionId',
      'subscriptionId or customerId is required: the subscription or the customer the usage belongs to',
      id,
    );
  if (
    subscriptionId !== undefined &&
    (typeof subscriptionId !== 'string' || !REFERENCE.test(subscriptionId))
  )
    return invalid('subscriptionId', `subscriptionId must be ${REFERENCE_RULE}`, id);
  if (customerId !== undefined && (typeof customerId !== 'string' || !REFERENCE.test(customerId)))
    return invalid('customerId', `customerId must be ${REFERENCE_RULE}`, id);
  if (typeof e.meterCode !== 'string' || !METER_CODE.test(e.meterCode))
    return invalid('meterCode', METER_CODE_MESSAGE, id);
  if (typeof e.quantity !== 'string' || !UNSIGNED_DECIMAL.test(e.quantity))
    return invalid(
      'quantity',
      'quantity must be a non-negative decimal string such as "1250" or "0.5"',
      id,
    );
  if (!isInstant(e.timestamp))
    return invalid(
      'timestamp',
      'timestamp must be an ISO 8601 instant with a time zone offset, e.g. 2026-01-31T23:59:59Z',
      id,
    );
  const ms = epochMs(e.timestamp);
  if (ms > nowMs + MAX_FUTURE_MS)
    return {
      ok: false,
      id,
      problem: {
        code: U2rErrorCode.EVENT_IN_FUTURE,
        detail: `timestamp ${e.timestamp} is more than 5 minutes ahead of the server's clock (${new Date(nowMs).toISOString()})`,
        pointer: at('timestamp'),
      },
    };
  let properties: Record<string, UsagePropertyValue> | null = null;
  if (e.properties !== undefined) {
    const problem = usagePropertiesProblem(e.properties);
    if (problem !== undefined) return invalid('properties', problem, id);
    properties = e.properties as Record<string, UsagePropertyValue>;
  }
  const occurredAt = new Date(ms).toISOString();
  return {
    ok: true,
    event: {
      kind: 'usage',
      id,
      subscriptionRef: subscriptionId ?? null,
      customerRef: customerId ?? null,
      meterCode: e.meterCode,
      quantity: e.quantity,
      occurredAt,
      ownPeriod: occurredAt.slice(0, 7),
      properties,
    },
  };
}
