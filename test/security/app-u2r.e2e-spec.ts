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

const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000aa';

/**
 * Usage to revenue: broken authentication, every operation closed, the operator actions (billing
 * runs, period closes, releasing a held event, meters) and the OpenAPI fuzz.
 */
describe('security: process-usage-to-revenue (/u2r/v1)', () => {
  const app = APPS.u2r;
  const h = useApp(app);
  describeBrokenAuthentication(app, h);
  describeFrameworkErrors(app, h);
  describeEveryOperationClosed(app, h);
  describeOperatorActions(app, h, 'u2r:operate', [
    {
      name: 'POST /billing-runs',
      method: 'POST',
      path: 'billing-runs',
      body: { period: 'not-a-period' },
      operatorStatus: 400,
    },
    {
      name: 'POST /periods/{period}/close (the revenue close)',
      method: 'POST',
      path: 'periods/not-a-period/close',
      operatorStatus: 400,
    },
    {
      name: 'POST /usage-periods/{period}/close',
      method: 'POST',
      path: 'usage-periods/not-a-period/close',
      operatorStatus: 400,
    },
    {
      name: 'POST /usage-events/{id}/release',
      method: 'POST',
      path: `usage-events/${UNKNOWN_ID}/release`,
      operatorStatus: 404,
    },
    {
      name: 'POST /meters',
      method: 'POST',
      path: 'meters',
      body: { code: 7 },
      operatorStatus: 400,
    },
  ]);
  describeWebhookGuards(app, h);
  describeFuzz(app, h, {
    // A batch is answered event by event (README: "the answer gives each event's fate"): invalid
    // events are rejected one by one in a 200, with a problem each, and none is accepted.
    alsoAccept: (op, res) => {
      if (op.method !== 'POST' || !op.path.endsWith('/usage-events') || res.status !== 200)
        return false;
      const body = res.body as {
        accepted?: number;
        events?: { fate?: string; problem?: { code?: string } }[];
      };
      return (
        body.accepted === 0 &&
        (body.events ?? []).length > 0 &&
        (body.events ?? []).every(
          (e) => e.fate === 'rejected' && typeof e.problem?.code === 'string',
        )
      );
    },
  });
});
