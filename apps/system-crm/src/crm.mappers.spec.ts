import { toAccountResponse, toOpportunityResponse } from './crm.mappers';
import { CrmAccount, CrmOpportunity } from './providers/crm-provider.port';

const ID = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10';
const AT = '2026-03-01T12:34:56.789Z';

describe('response mappers', () => {
  it('copies an account and writes instants as ISO strings', () => {
    const account: CrmAccount = {
      id: ID,
      legalName: 'Acme',
      billingAddress: { line1: '1 Main', city: 'SF', country: 'US' },
      currency: 'USD',
      legalEntity: 'US01',
      version: 3,
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      updatedAt: new Date(AT),
    };
    const response = toAccountResponse(account);
    expect(response).toEqual({ ...account, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: AT });
    expect(response.billingAddress).not.toBe(account.billingAddress);
  });

  it('maps an opportunity, its billing status and its history', () => {
    const opportunity: CrmOpportunity = {
      id: ID,
      accountId: ID,
      legalEntity: 'US01',
      name: 'Deal',
      stage: 'closed_won',
      currency: 'USD',
      amount: '10.00',
      lines: [
        {
          id: ID,
          productId: ID,
          quantity: '1',
          unitPrice: '10',
          discountPercent: '0',
          termMonths: 12,
          startDate: '2027-01-01',
          totalPrice: '10.00',
        },
      ],
      billingStatus: { status: 'active', subscriptionId: 'sub_1', updatedAt: new Date(AT) },
      stageHistory: [{ stage: 'closed_won', changedAt: new Date(AT), changedBy: 'alice' }],
      version: 2,
      createdAt: new Date(AT),
      updatedAt: new Date(AT),
    };
    expect(toOpportunityResponse(opportunity)).toEqual({
      ...opportunity,
      billingStatus: { status: 'active', subscriptionId: 'sub_1', updatedAt: AT },
      stageHistory: [{ stage: 'closed_won', changedAt: AT, changedBy: 'alice' }],
      createdAt: AT,
      updatedAt: AT,
    });
    expect(
      toOpportunityResponse({ ...opportunity, billingStatus: { status: 'not_started' } })
        .billingStatus,
    ).toEqual({ status: 'not_started', updatedAt: undefined });
  });
});
