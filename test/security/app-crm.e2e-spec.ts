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
 * system-crm (/crm/v1): broken authentication on its list route, router-level errors as problems,
 * every operation of its spec closed (401 / 403), its webhook subscriptions' guards, and the
 * OpenAPI fuzz.
 */
describe('security: system-crm (/crm/v1)', () => {
  const h = useApp(APPS.crm);
  describeBrokenAuthentication(APPS.crm, h);
  describeFrameworkErrors(APPS.crm, h);
  describeEveryOperationClosed(APPS.crm, h);
  describeWebhookGuards(APPS.crm, h);
  describeFuzz(APPS.crm, h);
});
