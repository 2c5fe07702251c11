import { MoneyDecimal } from '@revgate/canonical';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  decodeBody,
  encodeRequest,
  TrytonDate,
  TrytonDateTime,
  TrytonTime,
  TrytonTimeDelta,
} from './tryton-rpc.codec';

const paramsOf = (body: string): unknown => (JSON.parse(body) as { params: unknown }).params;
const roundTrip = (value: unknown): unknown =>
  (decodeBody(encodeRequest(1, 'm', [value])) as { params: unknown[] }).params[0];

describe('Tryton JSON-RPC codec', () => {
  it('sends exactly id, method and params', () => {
    expect(JSON.parse(encodeRequest(7, 'model.party.party.search', [[], {}]))).toEqual({
      id: 7,
      method: 'model.party.party.search',
      params: [[], {}],
    });
  });

  it('sends decimals as tagged strings with every digit and no exponent', () => {
    expect(paramsOf(encodeRequest(1, 'm', [new MoneyDecimal('100.10')]))).toEqual([
      { __class__: 'Decimal', decimal: '100.1' },
    ]);
    expect(paramsOf(encodeRequest(1, 'm', [new Decimal('1e-7'), new Decimal('-2.5e21')]))).toEqual([
      { __class__: 'Decimal', decimal: '0.0000001' },
      { __class__: 'Decimal', decimal: '-2500000000000000000000' },
    ]);
    expect(() => encodeRequest(1, 'm', [new Decimal(NaN)])).toThrow(RangeError);
    expect(() => encodeRequest(1, 'm', [Infinity])).toThrow(RangeError);
  });

  it('sends dates, datetimes, times, durations and bytes as Tryton tags, deep inside params', () => {
    const params = paramsOf(
      encodeRequest(1, 'm', [
        [['create', [{ invoice_date: new TrytonDate('2026-03-31'), skip: undefined }]]],
        new TrytonDateTime(new TrytonDate('2026-01-02'), 3, 4, 5, 600),
        new TrytonTime(23, 59, 58, 1),
        new TrytonTimeDelta(90),
        Buffer.from('revgate'),
      ]),
    );
    expect(params).toEqual([
      [['create', [{ invoice_date: { __class__: 'date', year: 2026, month: 3, day: 31 } }]]],
      {
        __class__: 'datetime',
        year: 2026,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 600,
      },
      { __class__: 'time', hour: 23, minute: 59, second: 58, microsecond: 1 },
      { __class__: 'timedelta', seconds: 90 },
      { __class__: 'bytes', base64: Buffer.from('revgate').toString('base64') },
    ]);
  });

  it('reads what Tryton sends back', () => {
    const body =
      '{"id":1,"result":[{"total":{"__class__":"Decimal","decimal":"550.50"},' +
      '"date":{"__class__":"date","year":2026,"month":11,"day":23},"quantity":3.0,"name":"x",' +
      '"party.":{"id":2,"code":"C1"},"other":{"__class__":"unknown","v":1}}]}';
    const decoded = decodeBody(body) as { result: Record<string, unknown>[] };
    const row = decoded.result[0] ?? {};
    expect(Decimal.isDecimal(row.total)).toBe(true);
    expect((row.total as Decimal).toFixed(2)).toBe('550.50');
    expect(row.date).toBeInstanceOf(TrytonDate);
    expect((row.date as TrytonDate).iso).toBe('2026-11-23');
    expect(row.quantity).toBe(3);
    expect(row['party.']).toEqual({ id: 2, code: 'C1' });
    expect(row.other).toEqual({ __class__: 'unknown', v: 1 });
  });

  it('refuses tags that miss their fields', () => {
    expect(() => decodeBody('{"__class__":"Decimal","decimal":1}')).toThrow(TypeError);
    expect(() => decodeBody('{"__class__":"date","year":2026,"month":"1","day":1}')).toThrow(
      TypeError,
    );
    expect(() => decodeBody('{"__class__":"date","year":2026,"month":2,"day":30}')).toThrow(
      RangeError,
    );
  });

  it('keeps every decimal exactly through a round trip', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 12 }),
        (units, scale) => {
          const value = new MoneyDecimal(units.toString()).dividedBy(
            new MoneyDecimal(10).pow(scale),
          );
          const back = roundTrip(value);
          return Decimal.isDecimal(back) && back.equals(value);
        },
      ),
    );
  });

  it('keeps every calendar date through a round trip and refuses impossible ones', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const back = roundTrip(new TrytonDate(iso));
          return back instanceof TrytonDate && back.iso === iso;
        },
      ),
    );
    for (const bad of [
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '0000-01-01',
      '2026-1-1',
      '20260101',
    ]) {
      expect(() => new TrytonDate(bad)).toThrow(RangeError);
    }
    expect(new TrytonDate('2024-02-29').iso).toBe('2024-02-29');
  });
});
