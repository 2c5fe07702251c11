import {
  MAX_USAGE_BATCH,
  METER_CODE,
  METER_CODE_MESSAGE,
  REFERENCE,
  REFERENCE_RULE,
  UNSIGNED_DECIMAL,
  USAGE_EVENT_ID,
  usagePropertiesProblem,
  USAGE_PROPERTIES_LIMITS,
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

const DIGIT_0 = 48;

/** The value of the `count` ASCII digits of `s` from `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year, unlike Date.UTC's 0–99). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * An ISO 8601 instant with an offset (the canonical `isInstant`: `YYYY-MM-DDThh:mm:ss`, an optional
 * fraction of 1–9 digits, `Z` or `±hh:mm`; a day that exists, hours to 23, minutes and seconds to
 * 59) → epoch milliseconds, the fraction cut to milliseconds as `Date.parse` reads it; NaN when it
 * is not one. Read character by character: it runs once per event of every batch.
 */
export function instantMs(s: string): number {
  const n = s.length;
  if (n < 20) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hours = digits(s, 11, 2);
  const minutes = digits(s, 14, 2);
  const seconds = digits(s, 17, 2);
  if (
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hours < 0 ||
    hours > 23 ||
    minutes < 0 ||
    minutes > 59 ||
    seconds < 0 ||
    seconds > 59
  )
    return NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // .
    const from = ++i;
    while (i < n && i - from < 10) {
      const d = s.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      if (i - from < 3) ms += d * (i - from === 0 ? 100 : i - from === 1 ? 10 : 1);
      i++;
    }
    if (i === from || i - from > 9) return NaN;
  }
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90) {
    // Z
    if (i + 1 !== n) return NaN;
  } else if (zone === 43 || zone === 45) {
    // + or -
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return NaN;
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
  } else return NaN;
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 +
    ms
  );
}

/** True when `s` is already what `toISOString` writes (UTC, milliseconds): no need to rewrite it. */
function isIsoUtcMs(s: string): boolean {
  return s.length === 24 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90;
}

function invalid(index: number, field: string, detail: string, id?: string): CheckResult {
  const pointer = field ? `/events/${index}/${field}` : `/events/${index}`;
  const problem = { code: U2rErrorCode.EVENT_INVALID, detail, pointer };
  return id === undefined ? { ok: false, problem } : { ok: false, id, problem };
}

// The canonical properties rules (usagePropertiesProblem), restated for a quick yes.
const PROPERTY_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** More UTF-8 bytes than a JSON number takes (-1.2345678901234567e-308 is 24). */
const NUMBER_BYTES = 32;

/**
 * True only when `value` surely passes `usagePropertiesProblem`: a plain object within its limits,
 * whose JSON (bounded without writing it: at most 6 bytes a UTF-16 unit, an escape) surely fits in
 * its byte limit. False means "ask usagePropertiesProblem", which also words the problem.
 */
function surelyFineProperties(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { maxKeys, maxValueLength, maxBytes } = USAGE_PROPERTIES_LIMITS;
  const keys = Object.keys(value);
  if (keys.length > maxKeys) return false;
  let bytes = 2; // {}
  for (const key of keys) {
    if (!PROPERTY_KEY.test(key) || FORBIDDEN_KEYS.has(key)) return false;
    const item = (value as Record<string, unknown>)[key];
    bytes += key.length + 4; // "key":,
    if (typeof item === 'string') {
      if (item.length > maxValueLength) return false;
      bytes += 2 + 6 * item.length;
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return false;
      bytes += NUMBER_BYTES;
    } else if (typeof item === 'boolean') bytes += 5;
    else return false;
  }
  return bytes <= maxBytes;
}

/**
 * Checks one event of a batch by the rules of the canonical UsageEventDto (the same patterns and
 * messages), by hand: class-validator costs more per event than the database does at 20,000
 * events a second. A usage event is `{id, subscriptionId and/or customerId, meterCode, quantity,
 * timestamp, properties?}`; a cancellation is `{id, cancels}` and nothing else. Unknown fields are
 * refused, as everywhere in the API.
 */
export function checkEvent(raw: unknown, index: number, nowMs: number): CheckResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid(index, '', 'an event must be a JSON object');
  const e = raw as Record<string, unknown>;
  const id = e.id;
  if (typeof id !== 'string' || !USAGE_EVENT_ID.test(id)) return invalid(index, 'id', ID_MESSAGE);
  if ('cancels' in e) {
    const extra = Object.keys(e).find((k) => k !== 'id' && k !== 'cancels');
    if (extra !== undefined)
      return invalid(
        index,
        extra,
        `a cancellation has only id and cancels; ${extra} is not allowed`,
        id,
      );
    if (typeof e.cancels !== 'string' || !USAGE_EVENT_ID.test(e.cancels))
      return invalid(index, 'cancels', 'cancels must be the id of the event to cancel', id);
    if (e.cancels === id) return invalid(index, 'cancels', 'an event cannot cancel itself', id);
    return { ok: true, event: { kind: 'cancellation', id, cancels: e.cancels } };
  }
  for (const key of Object.keys(e))
    if (!USAGE_KEYS.has(key)) return invalid(index, key, `property ${key} should not exist`, id);
  const { subscriptionId, customerId, meterCode, quantity, timestamp } = e;
  if (subscriptionId === undefined && customerId === undefined)
    return invalid(
      index,
      'subscriptionId',
      'subscriptionId or customerId is required: the subscription or the customer the usage belongs to',
      id,
    );
  if (
    subscriptionId !== undefined &&
    (typeof subscriptionId !== 'string' || !REFERENCE.test(subscriptionId))
  )
    return invalid(index, 'subscriptionId', `subscriptionId must be ${REFERENCE_RULE}`, id);
  if (customerId !== undefined && (typeof customerId !== 'string' || !REFERENCE.test(customerId)))
    return invalid(index, 'customerId', `customerId must be ${REFERENCE_RULE}`, id);
  if (typeof meterCode !== 'string' || !METER_CODE.test(meterCode))
    return invalid(index, 'meterCode', METER_CODE_MESSAGE, id);
  if (typeof quantity !== 'string' || !UNSIGNED_DECIMAL.test(quantity))
    return invalid(
      index,
      'quantity',
      'quantity must be a non-negative decimal string such as "1250" or "0.5"',
      id,
    );
  const ms = typeof timestamp === 'string' ? instantMs(timestamp) : NaN;
  if (typeof timestamp !== 'string' || Number.isNaN(ms))
    return invalid(
      index,
      'timestamp',
      'timestamp must be an ISO 8601 instant with a time zone offset, e.g. 2026-01-31T23:59:59Z',
      id,
    );
  if (ms > nowMs + MAX_FUTURE_MS)
    return {
      ok: false,
      id,
      problem: {
        code: U2rErrorCode.EVENT_IN_FUTURE,
        detail: `timestamp ${timestamp} is more than 5 minutes ahead of the server's clock (${new Date(nowMs).toISOString()})`,
        pointer: `/events/${index}/timestamp`,
      },
    };
  let properties: Record<string, UsagePropertyValue> | null = null;
  if (e.properties !== undefined) {
    if (!surelyFineProperties(e.properties)) {
      const problem = usagePropertiesProblem(e.properties);
      if (problem !== undefined) return invalid(index, 'properties', problem, id);
    }
    properties = e.properties as Record<string, UsagePropertyValue>;
  }
  const occurredAt = isIsoUtcMs(timestamp) ? timestamp : new Date(ms).toISOString();
  return {
    ok: true,
    event: {
      kind: 'usage',
      id,
      subscriptionRef: subscriptionId ?? null,
      customerRef: customerId ?? null,
      meterCode,
      quantity,
      occurredAt,
      ownPeriod: occurredAt.slice(0, 7),
      properties,
    },
  };
}
