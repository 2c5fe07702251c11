/** Request bodies for the CRM system API, the reference app of the platform tests. */

export interface NewAccount {
  legalName: string;
  billingAddress: { line1: string; city: string; country: string };
  currency: string;
  legalEntity: string;
  externalId?: string;
}

export function newAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    legalName: 'Acme Corporation',
    billingAddress: { line1: '1 Market Street', city: 'San Francisco', country: 'US' },
    currency: 'USD',
    legalEntity: 'US01',
    ...overrides,
  };
}

export interface AccountBody {
  id: string;
  legalName: string;
  legalEntity: string;
  version: number;
}

export interface PageBody<T> {
  data: T[];
  nextCursor: string | null;
}
