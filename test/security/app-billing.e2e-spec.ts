import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeWebhookGuards,
  useApp,
} from './support/app-suite';

describe('security: system-billing (/billing/v1)', () => {
  const h = useApp(APPS.billing);
  describeBrokenAuthentication(APPS.billing, h);
  describeFrameworkErrors(APPS.billing, h);
  describeEveryOperationClosed(APPS.billing, h);
  describeWebhookGuards(APPS.billing, h);
  describeFuzz(APPS.billing, h);
});
