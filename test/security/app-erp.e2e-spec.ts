import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFuzz,
  useApp,
} from './support/app-suite';

describe('security: erp', () => {
  const h = useApp(APPS.erp);
  describeBrokenAuthentication(APPS.erp, h);
  describeEveryOperationClosed(APPS.erp, h);
  describeFuzz(APPS.erp, h);
});
