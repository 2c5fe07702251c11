import { requestHash } from './request-hash';

describe('requestHash', () => {
  const body = {
    legalName: 'Acme',
    billingAddress: { line1: '1 Main', city: 'SF', country: 'US' },
    tags: ['a', 'b'],
  };

  it('is a hex SHA-256', () => {
    expect(requestHash('POST', '/crm/v1/accounts', body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores the order of keys, at every depth', () => {
    const reordered = {
      tags: ['a', 'b'],
      billingAddress: { country: 'US', city: 'SF', line1: '1 Main' },
      legalName: 'Acme',
    };
    expect(requestHash('POST', '/crm/v1/accounts', reordered)).toBe(
      requestHash('POST', '/crm/v1/accounts', body),
    );
  });

  it('ignores the case of the method', () => {
    expect(requestHash('post', '/x', body)).toBe(requestHash('POST', '/x', body));
  });

  it('treats no body and a null body alike', () => {
    expect(requestHash('POST', '/x', undefined)).toBe(requestHash('POST', '/x', null));
  });

  it.each([
    ['a changed value', { ...body, legalName: 'Acme Inc' }],
    ['a changed nested value', { ...body, billingAddress: { ...body.billingAddress, city: 'LA' } }],
    ['another array order', { ...body, tags: ['b', 'a'] }],
    ['an extra field', { ...body, extra: true }],
    ['a number instead of a string', { ...body, legalName: 1 }],
    ['no body', undefined],
  ])('changes with %s', (_label, other) => {
    expect(requestHash('POST', '/crm/v1/accounts', other)).not.toBe(
      requestHash('POST', '/crm/v1/accounts', body),
    );
  });

  it('changes with the method and the path (query included)', () => {
    const base = requestHash('POST', '/crm/v1/accounts', body);
    expect(requestHash('PUT', '/crm/v1/accounts', body)).not.toBe(base);
    expect(requestHash('POST', '/crm/v1/products', body)).not.toBe(base);
    expect(requestHash('POST', '/crm/v1/accounts?dryRun=true', body)).not.toBe(base);
  });

  it('cannot be fooled by moving text between the path and the body', () => {
    expect(requestHash('POST', '/a', 'b')).not.toBe(requestHash('POST', '/a"', 'b'));
    expect(requestHash('POST', '/a', { x: 1 })).not.toBe(requestHash('POST /a', '', { x: 1 }));
  });
});
