import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeWebhookGuards,
  useApp,
} from './support/app-suite';

/**
 * system-billing (/billing/v1): broken authentication on its list route, router-level errors as problems,
 * every operation of its spec closed (401 / 403), its webhook subscriptions' guards, and the
 * OpenAPI fuzz.
 */
describe('security: system-billing (/billing/v1)', () => {
  const h = useApp(APPS.billing);
  describeBrokenAuthentication(APPS.billing, h);
  describeFrameworkErrors(APPS.billing, h);
  describeEveryOperationClosed(APPS.billing, h);
  describeWebhookGuards(APPS.billing, h);
  describeFuzz(APPS.billing, h);
});
