import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiError } from '../errors/problem';
import { decodeCursor, encodeCursor, PageQuery } from './pagination';

function decodeError(cursor: string, parts: number): ApiError {
  try {
    decodeCursor(cursor, parts);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error(`decodeCursor accepted ${cursor}`);
}

describe('cursors', () => {
  it.each([
    [['2025-01-01T00:00:00.000Z', '6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10']],
    [['a"b\\c', 'Grüße, 東京 🚀', '']],
    [['only']],
  ])('round-trips %j', (key) => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // what PageQuery accepts
    expect(decodeCursor(cursor, key.length)).toEqual(key);
  });

  it.each([
    ['garbage', 'not-a-cursor', 2],
    ['base64url of non-JSON', Buffer.from('{oops', 'utf8').toString('base64url'), 1],
    ['a JSON object', Buffer.from('{"a":"b"}', 'utf8').toString('base64url'), 1],
    ['the wrong number of parts', encodeCursor(['a', 'b', 'c']), 2],
    ['non-string parts', Buffer.from('[1,2]', 'utf8').toString('base64url'), 2],
    ['empty', '', 1],
  ])('rejects %s with a 400 naming the cursor', (_label, cursor, parts) => {
    const error = decodeError(cursor, parts);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(error.detail).toMatch(/cursor/);
    expect(error.extensions).toEqual({
      errors: [{ pointer: 'cursor', detail: expect.stringMatching(/cursor/) as unknown }],
    });
  });
});

describe('PageQuery', () => {
  const validate = (query: Record<string, unknown>): { value: PageQuery; errors: string[] } => {
    const value = plainToInstance(PageQuery, query);
    return { value, errors: validateSync(value).map((e) => e.property) };
  };

  it('defaults the limit to 50', () => {
    expect(validate({})).toEqual({
      value: expect.objectContaining({ limit: 50 }) as unknown,
      errors: [],
    });
  });

  it('reads the limit from its query string form', () => {
    expect(validate({ limit: '200' }).value.limit).toBe(200);
  });

  it.each([['0'], ['201'], ['1.5'], ['ten']])('refuses limit=%s', (limit) => {
    expect(validate({ limit }).errors).toEqual(['limit']);
  });

  it('accepts a cursor it issued and refuses other characters', () => {
    expect(validate({ cursor: encodeCursor(['x', 'y']) }).errors).toEqual([]);
    expect(validate({ cursor: 'abc=' }).errors).toEqual(['cursor']);
    expect(validate({ cursor: 'a'.repeat(513) }).errors).toEqual(['cursor']);
  });
});
