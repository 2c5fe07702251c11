import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeWebhookGuards,
  useApp,
} from './support/app-suite';

describe('security: system-tax (/tax/v1)', () => {
  const h = useApp(APPS.tax);
  describeBrokenAuthentication(APPS.tax, h);
  describeFrameworkErrors(APPS.tax, h);
  describeEveryOperationClosed(APPS.tax, h);
  describeWebhookGuards(APPS.tax, h);
  describeFuzz(APPS.tax, h);
});
