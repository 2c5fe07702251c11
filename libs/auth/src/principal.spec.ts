import { ApiError } from '@revgate/platform';
import { canSeeEntity, principalFromClaims } from './principal';

describe('principalFromClaims', () => {
  it('reads subject, scopes and limits', () => {
    const principal = principalFromClaims({
      sub: 'erp-sync',
      scope: 'crm:read  crm:write',
      legal_entities: ['DE01', 'US01'],
      customer_id: 'c-1',
    });
    expect(principal).toEqual({
      subject: 'erp-sync',
      scopes: new Set(['crm:read', 'crm:write']),
      legalEntities: ['DE01', 'US01'],
      customerId: 'c-1',
    });
  });

  it('leaves a caller without limit claims unrestricted', () => {
    const principal = principalFromClaims({ sub: 'ops', scope: 'crm:read' });
    expect(principal.legalEntities).toBeUndefined();
    expect(principal.customerId).toBeUndefined();
    expect(canSeeEntity(principal, 'US01')).toBe(true);
  });

  it('gives no scopes when the scope claim is absent or not a string', () => {
    expect(principalFromClaims({ sub: 'a' }).scopes.size).toBe(0);
    expect(principalFromClaims({ sub: 'a', scope: ['crm:read'] }).scopes.size).toBe(0);
  });

  it('limits a caller with an empty legal entity list to nothing', () => {
    const principal = principalFromClaims({ sub: 'a', legal_entities: [] });
    expect(principal.legalEntities).toEqual([]);
    expect(canSeeEntity(principal, 'US01')).toBe(false);
  });

  function refusal(claims: Record<string, unknown>): ApiError {
    try {
      principalFromClaims(claims);
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
    throw new Error(`accepted ${JSON.stringify(claims)}`);
  }

  it.each([
    ['a single string', 'DE01'],
    ['an object', { DE01: true }],
    ['a number', 1],
    ['null', null],
    ['an array with non-strings', ['DE01', 7]],
  ])(
    'refuses a legal entity claim given as %s rather than read it as "all entities"',
    (_label, claim) => {
      const error = refusal({ sub: 'a', scope: 'crm:read', legal_entities: claim });
      expect(error).toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
      expect(error.detail).toContain('legal_entities');
    },
  );

  it.each([[42], [''], [null]])(
    'refuses the customer claim %j rather than read it as "any customer"',
    (claim) => {
      const error = refusal({ sub: 'a', scope: 'crm:read', customer_id: claim });
      expect(error).toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
      expect(error.detail).toContain('customer_id');
    },
  );

  it.each([[undefined], [''], [7]])(
    'refuses the subject %j, which would share idempotency keys and audit entries',
    (sub) => {
      const error = refusal({ sub, scope: 'crm:read' });
      expect(error).toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
      expect(error.detail).toContain('sub');
    },
  );
});

describe('canSeeEntity', () => {
  it('allows only the listed entities', () => {
    const principal = principalFromClaims({ sub: 'a', legal_entities: ['DE01'] });
    expect(canSeeEntity(principal, 'DE01')).toBe(true);
    expect(canSeeEntity(principal, 'US01')).toBe(false);
  });
});
