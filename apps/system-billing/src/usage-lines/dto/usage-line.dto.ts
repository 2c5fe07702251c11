// Usage lines speak the canonical billing model (libs/canonical/src/billing).
export { CreateUsageLineRequest, UsageLineResponse } from '@revgate/canonical';
