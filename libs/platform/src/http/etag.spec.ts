import { ApiError } from '../errors/problem';
import { etagFor, expectedVersion, staleWrite } from './etag';

describe('etags', () => {
  it('makes a strong tag of the version', () => {
    expect(etagFor(1)).toBe('"v1"');
    expect(etagFor(42)).toBe('"v42"');
  });

  it('reads back the version of a tag it issued', () => {
    expect(expectedVersion(etagFor(7))).toBe(7);
    expect(expectedVersion(` ${etagFor(123456789)} `)).toBe(123456789);
  });

  it('expects no particular version without If-Match or with *', () => {
    expect(expectedVersion(undefined)).toBeUndefined();
    expect(expectedVersion('*')).toBeUndefined();
    expect(expectedVersion(' * ')).toBeUndefined();
  });

  it.each(['v1', '"1"', '"v"', '"v-1"', '"v1", "v2"', '"v1234567890"', '', 'W/"x1"', 'W/"v1"'])(
    'answers 412 to the tag %j',
    (tag) => {
      let error: unknown;
      try {
        expectedVersion(tag);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
      expect((error as ApiError).detail).toContain(tag);
    },
  );

  it('describes a stale write with the current tag', () => {
    const error = staleWrite('account', 3);
    expect(error).toMatchObject({
      status: 412,
      code: 'PRECONDITION_FAILED',
      extensions: { currentETag: '"v3"' },
    });
    expect(error.detail).toContain('account');
    expect(error.detail).toContain('"v3"');
  });
});
