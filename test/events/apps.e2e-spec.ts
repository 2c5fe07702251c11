import { crmApp } from '../../apps/system-crm/src/crm.app';
import { taxApp } from '../../apps/system-tax/src/tax.app';
import type { EventsConfig } from '@revgate/events';
import type { AppSpec } from '@revgate/platform';
import { expectStatus } from './events-fixtures';
import { expectProblem, http, startTestApp } from '../support/test-app';

/** CRM and tax mount the same webhooks, each under its base path, scopes and event types. */
describe.each<{
  app: AppSpec<EventsConfig>;
  base: string;
  domain: string;
  own: string;
  foreign: string;
}>([
  { app: crmApp, base: 'crm/v1', domain: 'crm', own: 'crm.opportunity.*', foreign: 'tax.*' },
  { app: taxApp, base: 'tax/v1', domain: 'tax', own: 'tax.transaction.*', foreign: 'billing.*' },
])('$domain webhooks (e2e)', ({ app, base, domain, own, foreign }) => {
  it('takes subscriptions to its own events, with its own scopes', async () => {
    const t = await startTestApp(app);
    try {
      const url = `${t.url}/${base}/webhook-subscriptions`;
      const manage = t.token([`${domain}:webhooks:read`, `${domain}:webhooks:manage`]);
      const body = { url: 'https://93.184.215.14/hooks', eventTypes: [own] };
      const created = await http<{ id: string; secret: string }>('POST', url, {
        token: manage,
        body,
      });
      expectStatus(created, 201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const listed = await http<{ data: { id: string }[] }>('GET', url, {
        token: t.token([`${domain}:webhooks:read`]),
      });
      expect(listed.body.data.map((s) => s.id)).toEqual([created.body.id]);
      expectProblem(
        await http('POST', url, { token: manage, body: { ...body, eventTypes: [foreign] } }),
        422,
        'WEBHOOK_EVENT_TYPE_UNKNOWN',
      );
      expectProblem(
        await http('POST', url, { token: t.token(['billing:webhooks:manage']), body }),
        403,
        'AUTH_INSUFFICIENT_SCOPE',
      );
      expectProblem(
        await http('POST', url, {
          token: manage,
          body: { ...body, url: 'https://169.254.169.254/' },
        }),
        422,
        'WEBHOOK_URL_FORBIDDEN',
      );
    } finally {
      await t.close();
    }
  });
});
