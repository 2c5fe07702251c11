import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFuzz,
  useApp,
} from './support/app-suite';

describe('security: tax', () => {
  const h = useApp(APPS.tax);
  describeBrokenAuthentication(APPS.tax, h);
  describeEveryOperationClosed(APPS.tax, h);
  describeFuzz(APPS.tax, h);
});
