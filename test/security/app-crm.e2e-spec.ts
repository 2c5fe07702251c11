import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeWebhookGuards,
  useApp,
} from './support/app-suite';

/** The CRM system API: broken authentication, every operation closed, the OpenAPI fuzz. */
describe('security: system-crm (/crm/v1)', () => {
  const h = useApp(APPS.crm);
  describeBrokenAuthentication(APPS.crm, h);
  describeFrameworkErrors(APPS.crm, h);
  describeEveryOperationClosed(APPS.crm, h);
  describeWebhookGuards(APPS.crm, h);
  describeFuzz(APPS.crm, h);
});
