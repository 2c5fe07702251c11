// A quote speaks the canonical tax model as it is (libs/canonical/src/tax).
export { TaxQuoteRequest, TaxQuoteResponse } from '@revgate/canonical';
