import { ApiError } from '../errors/problem';
import { encodeCursor, keysetPage, keysetWindow } from './pagination';

const ID = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10';
const AT = '2026-03-01T12:34:56.789Z';

function expectInvalidCursor(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  expect(thrown).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
}

describe('keysetWindow', () => {
  it('passes limit, updatedSince and the legal entities through, with no cursor', () => {
    expect(keysetWindow({ limit: 50 })).toEqual({
      limit: 50,
      after: undefined,
      updatedSince: undefined,
      legalEntities: undefined,
    });
    const window = keysetWindow({ limit: 3, updatedSince: '2026-01-31T00:00:00Z' }, ['DE01']);
    expect(window).toEqual({
      limit: 3,
      after: undefined,
      updatedSince: new Date('2026-01-31T00:00:00Z'),
      legalEntities: ['DE01'],
    });
    expect(keysetWindow({ limit: 1 }, []).legalEntities).toEqual([]);
  });

  it('decodes a cursor made by toPage', () => {
    const page = keysetPage(
      { items: [{ id: ID, updatedAt: new Date(AT) }], hasMore: true },
      (x) => x,
    );
    expect(page.nextCursor).not.toBeNull();
    expect(keysetWindow({ limit: 3, cursor: page.nextCursor ?? '' }).after).toEqual({
      updatedAt: AT,
      id: ID,
    });
  });

  it.each([
    ['not base64url JSON', 'abc'],
    ['not an array', encodeCursor([]).replace(/./g, 'A')],
    ['too few parts', encodeCursor([AT])],
    ['too many parts', encodeCursor([AT, ID, 'x'])],
    ['a loose date Date.parse accepts', encodeCursor(['1', ID])],
    ['a date-only time', encodeCursor(['2026-03-01', ID])],
    ['an impossible date', encodeCursor(['2026-02-30T00:00:00.000Z', ID])],
    ['a time with an offset', encodeCursor(['2026-03-01T12:34:56.789+01:00', ID])],
    ['a six-digit year', encodeCursor(['+012026-03-01T12:34:56.789Z', ID])],
    ['no UUID', encodeCursor([AT, 'acme'])],
  ])('refuses a cursor with %s as 400 VALIDATION_FAILED', (_name, cursor) => {
    expectInvalidCursor(() => keysetWindow({ limit: 3, cursor }));
  });
});

describe('keysetPage', () => {
  const items = [
    { id: 'a', updatedAt: new Date('2026-01-01T00:00:00.000Z') },
    { id: 'b', updatedAt: new Date('2026-01-02T00:00:00.000Z') },
  ];

  it('maps the items and points the next cursor at the last one when there is more', () => {
    const page = keysetPage({ items, hasMore: true }, (x) => x.id.toUpperCase());
    expect(page.data).toEqual(['A', 'B']);
    expect(JSON.parse(Buffer.from(page.nextCursor ?? '', 'base64url').toString('utf8'))).toEqual([
      '2026-01-02T00:00:00.000Z',
      'b',
    ]);
  });

  it('ends with a null cursor on the last page, and on an empty one', () => {
    expect(keysetPage({ items, hasMore: false }, (x) => x).nextCursor).toBeNull();
    expect(keysetPage({ items: [], hasMore: true }, (x) => x)).toEqual({
      data: [],
      nextCursor: null,
    });
  });
});
