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
 * system-tax (/tax/v1): broken authentication on its list route, router-level errors as problems,
 * every operation of its spec closed (401 / 403), its webhook subscriptions' guards, and the
 * OpenAPI fuzz.
 */
describe('security: system-tax (/tax/v1)', () => {
  const h = useApp(APPS.tax);
  describeBrokenAuthentication(APPS.tax, h);
  describeFrameworkErrors(APPS.tax, h);
  describeEveryOperationClosed(APPS.tax, h);
  describeWebhookGuards(APPS.tax, h);
  describeFuzz(APPS.tax, h);
});
