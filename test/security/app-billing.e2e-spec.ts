import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFuzz,
  useApp,
} from './support/app-suite';

describe('security: billing', () => {
  const h = useApp(APPS.billing);
  describeBrokenAuthentication(APPS.billing, h);
  describeEveryOperationClosed(APPS.billing, h);
  describeFuzz(APPS.billing, h);
});
