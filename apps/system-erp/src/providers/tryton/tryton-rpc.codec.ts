import { MoneyDecimal } from '@revgate/canonical';
import Decimal from 'decimal.js';

/**
 * Tryton's JSON-RPC carries the values JSON has no type for as tagged objects, both ways:
 * `{"__class__": "Decimal", "decimal": "100.00"}`, `{"__class__": "date", year, month, day}`,
 * `{"__class__": "datetime", year, month, day, hour, minute, second, microsecond}`,
 * `{"__class__": "time", hour, minute, second, microsecond}`, `{"__class__": "timedelta", seconds}` and
 * `{"__class__": "bytes", "base64": "..."}`. Numerics never travel as JSON floats: Tryton refuses a
 * float for a Numeric field ("The number of digits ... exceeds the limit").
 */

/** A calendar date without a time zone (Tryton `fields.Date`), as an ISO string YYYY-MM-DD. */
export class TrytonDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;

  constructor(iso: string) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const probe = new Date(Date.UTC(2000, month - 1, day));
    probe.setUTCFullYear(year);
    if (
      month < 1 ||
      year < 1 ||
      probe.getUTCFullYear() !== year ||
      probe.getUTCMonth() !== month - 1 ||
      probe.getUTCDate() !== day
    ) {
      throw new RangeError(`"${iso}" is not a calendar date`);
    }
    this.year = year;
    this.month = month;
    this.day = day;
  }

  static of(year: number, month: number, day: number): TrytonDate {
    return new TrytonDate(
      `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    );
  }

  get iso(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`;
  }

  toString(): string {
    return this.iso;
  }
}

/** A naive date and time (Tryton `fields.DateTime`, UTC by Tryton's convention). */
export class TrytonDateTime {
  constructor(
    readonly date: TrytonDate,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
  ) {}

  /** The instant as Tryton stores it: naive, in UTC. */
  static of(instant: Date): TrytonDateTime {
    return new TrytonDateTime(
      TrytonDate.of(instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate()),
      instant.getUTCHours(),
      instant.getUTCMinutes(),
      instant.getUTCSeconds(),
      instant.getUTCMilliseconds() * 1000,
    );
  }

  /** The instant, reading the naive value as UTC (what Tryton stores). */
  toDate(): Date {
    const d = new Date(
      Date.UTC(
        2000,
        this.date.month - 1,
        this.date.day,
        this.hour,
        this.minute,
        this.second,
        Math.floor(this.microsecond / 1000),
      ),
    );
    d.setUTCFullYear(this.date.year);
    return d;
  }
}

/** A time of day (Tryton `fields.Time`). */
export class TrytonTime {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
  ) {}
}

/** A duration (Tryton `fields.TimeDelta`), in seconds. */
export class TrytonTimeDelta {
  constructor(readonly seconds: number) {}
}

/** Encodes one value for the wire: the JSON.stringify replacer's work, without the key. */
function encodeValue(value: unknown): unknown {
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new RangeError(`${value.toString()} cannot be sent to Tryton`);
    // toFixed() without digits: every digit, never the exponent notation (1e-7) of toString().
    return { __class__: 'Decimal', decimal: value.toFixed() };
  }
  if (value instanceof TrytonDate) {
    return { __class__: 'date', year: value.year, month: value.month, day: value.day };
  }
  if (value instanceof TrytonDateTime) {
    return {
      __class__: 'datetime',
      year: value.date.year,
      month: value.date.month,
      day: value.date.day,
      hour: value.hour,
      minute: value.minute,
      second: value.second,
      microsecond: value.microsecond,
    };
  }
  if (value instanceof TrytonTime) {
    return {
      __class__: 'time',
      hour: value.hour,
      minute: value.minute,
      second: value.second,
      microsecond: value.microsecond,
    };
  }
  if (value instanceof TrytonTimeDelta) return { __class__: 'timedelta', seconds: value.seconds };
  if (Buffer.isBuffer(value)) return { __class__: 'bytes', base64: value.toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`${String(value)} cannot be sent to Tryton`);
  }
  if (typeof value === 'bigint') return { __class__: 'Decimal', decimal: value.toString() };
  return value;
}

/** The body of a JSON-RPC request: exactly id, method and params (Tryton's 1.0 dialect). */
export function encodeRequest(id: number, method: string, params: readonly unknown[]): string {
  // A replacer sees Buffer after its toJSON ran; convert those (and the rest) up front instead.
  return JSON.stringify({ id, method, params: encodeDeep(params) });
}

function encodeDeep(value: unknown): unknown {
  const encoded = encodeValue(value);
  if (encoded !== value) return encoded;
  if (Array.isArray(value)) return value.map(encodeDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = encodeDeep(item);
    }
    return out;
  }
  return value;
}

const num = (record: Record<string, unknown>, key: string): number => {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Tryton sent a ${String(record.__class__)} without an integer ${key}`);
  }
  return value;
};

/** JSON.parse reviver: turns the tagged objects back into values. */
function revive(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  switch (record.__class__) {
    case 'Decimal': {
      if (typeof record.decimal !== 'string') throw new TypeError('Decimal without a string');
      return new MoneyDecimal(record.decimal);
    }
    case 'date':
      return TrytonDate.of(num(record, 'year'), num(record, 'month'), num(record, 'day'));
    case 'datetime':
      return new TrytonDateTime(
        TrytonDate.of(num(record, 'year'), num(record, 'month'), num(record, 'day')),
        num(record, 'hour'),
        num(record, 'minute'),
        num(record, 'second'),
        num(record, 'microsecond'),
      );
    case 'time':
      return new TrytonTime(
        num(record, 'hour'),
        num(record, 'minute'),
        num(record, 'second'),
        num(record, 'microsecond'),
      );
    case 'timedelta': {
      if (typeof record.seconds !== 'number') throw new TypeError('timedelta without seconds');
      return new TrytonTimeDelta(record.seconds);
    }
    case 'bytes': {
      if (typeof record.base64 !== 'string') throw new TypeError('bytes without base64');
      return Buffer.from(record.base64, 'base64');
    }
    default:
      return value;
  }
}

/** Parses a response body, reviving Decimals, dates and the other tagged values. */
export function decodeBody(text: string): unknown {
  return JSON.parse(text, revive);
}
