// Amendments speak the canonical billing model (libs/canonical/src/billing).
export { AmendmentResponse, CreateAmendmentRequest } from '@revgate/canonical';
