import { APPS } from './support/apps';
import {
  describeBrokenAuthentication,
  describeEveryOperationClosed,
  describeFrameworkErrors,
  describeFuzz,
  describeOperatorActions,
  useApp,
} from './support/app-suite';

const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000cc';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The experience API (/portal/v1), its upstreams at a closed port: broken authentication on its
 * audit log (the list it answers from its own schema), every operation closed (the customer
 * billing view held to the token's customer), the operator actions on exceptions
 * (portal:operate), and the OpenAPI fuzz — invalid input only, since a valid request would be
 * read from the other APIs (503 PORTAL_UPSTREAM_UNAVAILABLE here); nothing reaches
 * portal.audit_log.
 */
describe('security: experience-portal (/portal/v1)', () => {
  const app = APPS.portal;
  const h = useApp(app);
  describeBrokenAuthentication(app, h);
  describeFrameworkErrors(app, h);
  describeEveryOperationClosed(app, h);
  // Past the scope check an operator's blank reason is refused (400) before quote-to-cash is asked.
  describeOperatorActions(app, h, 'portal:operate', [
    {
      name: 'POST /exceptions/{id}/retry',
      method: 'POST',
      path: `exceptions/${UNKNOWN_ID}/retry`,
      body: { reason: '   ' },
      operatorStatus: 400,
    },
    {
      name: 'POST /exceptions/{id}/resolve',
      method: 'POST',
      path: `exceptions/${UNKNOWN_ID}/resolve`,
      body: { reason: 'x', extra: 1 },
      operatorStatus: 400,
    },
  ]);
  describeFuzz(app, h, { wellFormedPath: (name, value) => name === 'id' && UUID.test(value) });
});
