import {
  correlationIdFrom,
  currentCorrelationId,
  outboundHeaders,
  runWithCorrelationId,
} from './correlation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdFrom', () => {
  it.each(['abc-123', 'order:42.retry_1', '6f1c7c1e-3d0a-4a4f-9d55-1c1f7f0e9a10', 'x'.repeat(128)])(
    'keeps the safe id %s',
    (id) => {
      expect(correlationIdFrom(id)).toBe(id);
    },
  );

  it('takes the first of repeated headers', () => {
    expect(correlationIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it.each([
    ['spaces', 'has spaces'],
    ['a newline (log injection)', 'abc\ninjected'],
    ['quotes', 'a"b'],
    ['too long', 'x'.repeat(129)],
    ['empty', ''],
    ['non-ASCII', 'héllo'],
    ['not a string', 42],
    ['absent', undefined],
    ['an empty array', []],
  ])('replaces %s with a new UUID', (_label, header) => {
    const id = correlationIdFrom(header);
    expect(id).toMatch(UUID);
    expect(correlationIdFrom(header)).not.toBe(id);
  });
});

describe('correlation context', () => {
  it('is visible inside the run, also after an await, and not outside', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    expect(outboundHeaders()).toEqual({});
    const seen = await runWithCorrelationId('req-1', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { id: currentCorrelationId(), headers: outboundHeaders() };
    });
    expect(seen).toEqual({ id: 'req-1', headers: { 'x-correlation-id': 'req-1' } });
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps concurrent runs apart', async () => {
    const run = (id: string, delay: number): Promise<string | undefined> =>
      runWithCorrelationId(id, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return currentCorrelationId();
      });
    expect(await Promise.all([run('a', 20), run('b', 1)])).toEqual(['a', 'b']);
  });
});
