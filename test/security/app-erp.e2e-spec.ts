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

/**
 * The ERP system API: broken authentication, every operation closed, period close and reopen
 * (erp:write — the ERP has no separate operator scope) and the sandbox's governance (erp:admin),
 * and the OpenAPI fuzz.
 */
describe('security: system-erp (/erp/v1)', () => {
  const app = APPS.erp;
  const h = useApp(app);
  describeBrokenAuthentication(app, h);
  describeFrameworkErrors(app, h);
  describeEveryOperationClosed(app, h);
  describeOperatorActions(app, h, 'erp:write', [
    {
      name: 'POST /periods/{legalEntity}/{period}/close',
      method: 'POST',
      path: 'periods/US01/not-a-period/close',
      operatorStatus: 400,
    },
    {
      name: 'POST /periods/{legalEntity}/{period}/reopen',
      method: 'POST',
      path: 'periods/US01/not-a-period/reopen',
      operatorStatus: 400,
    },
  ]);
  describeOperatorActions(app, h, 'erp:admin', [
    {
      name: 'PUT /sandbox/governance',
      method: 'PUT',
      path: 'sandbox/governance',
      body: { concurrencyLimit: 'many' },
      operatorStatus: 400,
    },
  ]);
  describeWebhookGuards(app, h);
  describeFuzz(app, h);
});
