import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeOperatorActions,
  describeWebhookGuards,
  useApp,
} from './support/app-suite';

const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000bb';

/**
 * Quote to cash: broken authentication, every operation closed, the operator actions on
 * exceptions and product mappings, and the OpenAPI fuzz.
 */
describe('security: process-quote-to-cash (/q2c/v1)', () => {
  const app = APPS.q2c;
  const h = useApp(app);
  describeBrokenAuthentication(app, h);
  describeFrameworkErrors(app, h);
  describeEveryOperationClosed(app, h);
  describeOperatorActions(app, h, 'q2c:operate', [
    {
      name: 'POST /exceptions/{id}/retry',
      method: 'POST',
      path: `exceptions/${UNKNOWN_ID}/retry`,
      body: { reason: 'fixed in the CRM' },
      operatorStatus: 404,
    },
    {
      name: 'POST /exceptions/{id}/resolve',
      method: 'POST',
      path: `exceptions/${UNKNOWN_ID}/resolve`,
      body: { reason: 'invoiced by hand' },
      operatorStatus: 404,
    },
    {
      name: 'POST /exceptions/{id}/cancel',
      method: 'POST',
      path: `exceptions/${UNKNOWN_ID}/cancel`,
      body: { reason: 'deal withdrawn' },
      operatorStatus: 404,
    },
    {
      name: 'POST /product-mappings',
      method: 'POST',
      path: 'product-mappings',
      body: { currency: 'usd' },
      operatorStatus: 400,
    },
    {
      name: 'DELETE /product-mappings/{id}',
      method: 'DELETE',
      path: `product-mappings/${UNKNOWN_ID}`,
      operatorStatus: 404,
    },
  ]);
  describeWebhookGuards(app, h);
  describeFuzz(app, h);
});
