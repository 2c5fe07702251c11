import rates from './rates.json';

/** The rate table kept as data in the repo, unvalidated: RateTable.parse checks it at start. */
export const SANDBOX_RATES: unknown = rates;
