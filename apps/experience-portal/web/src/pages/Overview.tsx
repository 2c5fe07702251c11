import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { api, data, type Schemas } from '../api';
import { go, useLoad } from '../hooks';
import { Async, Status, Tile } from '../ui';

ChartJS.register(CategoryScale, LinearScale, BarElement, ArcElement, Tooltip, Legend);

const PALETTE = ['#2f6fed', '#e8833a', '#3aa675', '#c94f4f', '#8c62d9', '#d4b106', '#5b8c99'];
const seconds = (s: number | undefined): string => (s === undefined ? '—' : `${s.toFixed(1)} s`);

export function Overview() {
  const state = useLoad(() => data(api.GET('/portal/v1/overview')), 'overview');
  return (
    <section>
      <header className="page-head">
        <h1>Overview</h1>
        <button type="button" onClick={state.reload} disabled={state.loading}>
          Refresh
        </button>
      </header>
      <Async state={state}>{(o) => <OverviewBody o={o} />}</Async>
    </section>
  );
}

function OverviewBody({ o }: { o: Schemas['OverviewResponse'] }) {
  const down = o.sources.filter((s) => !s.ok);
  const maxLag = Math.max(0, ...o.outbox.map((a) => a.outboxLagSeconds));
  return (
    <>
      {down.length > 0 && (
        <div className="problem" role="status">
          Not read: {down.map((s) => `${s.source} (${s.detail ?? 'no answer'})`).join('; ')}
        </div>
      )}
      <div className="tiles">
        <Tile label="Orders completed (24 h)" value={o.quoteToCash.completedLast24h} />
        <Tile label="Orders in progress" value={o.quoteToCash.inProgress} />
        <Tile
          label="Open exceptions"
          value={o.exceptions.open}
          tone={o.exceptions.open > 0 ? 'bad' : 'ok'}
        />
        <Tile label="Waiting to retry" value={o.retryQueue.workWaitingToRetry} />
        <Tile
          label="Failed syncs"
          value={o.failedSyncs.waitingForOperator + o.failedSyncs.webhookDeliveriesDead}
          tone={o.failedSyncs.webhookDeliveriesDead > 0 ? 'bad' : undefined}
        />
        <Tile label="Invoice → ERP p50" value={seconds(o.invoiceToPosting.p50Seconds)} />
        <Tile label="Invoice → ERP p95" value={seconds(o.invoiceToPosting.p95Seconds)} />
        <Tile
          label="Outbox lag (max)"
          value={seconds(maxLag)}
          tone={maxLag > 60 ? 'bad' : undefined}
        />
        <Tile
          label="Usage events this period"
          value={o.usageToRevenue?.eventsThisPeriod.toLocaleString() ?? '—'}
        />
      </div>
      <div className="charts">
        <figure>
          <figcaption>Orders completed per hour (last 24 h)</figcaption>
          <Bar
            data={{
              labels: o.quoteToCash.completedPerHour.map(
                (h) => new Date(h.hour).getHours().toString().padStart(2, '0') + 'h',
              ),
              datasets: [
                {
                  label: 'Orders',
                  data: o.quoteToCash.completedPerHour.map((h) => h.count),
                  backgroundColor: PALETTE[0],
                },
              ],
            }}
            options={{
              responsive: true,
              animation: false,
              plugins: { legend: { display: false } },
            }}
          />
        </figure>
        <figure>
          <figcaption>Open exceptions by code</figcaption>
          {o.exceptions.byCode.length === 0 ? (
            <p className="muted">None open.</p>
          ) : (
            <Doughnut
              data={{
                labels: o.exceptions.byCode.map((c) => c.code),
                datasets: [
                  {
                    data: o.exceptions.byCode.map((c) => c.count),
                    backgroundColor: o.exceptions.byCode.map(
                      (_, i) => PALETTE[i % PALETTE.length] ?? '#999',
                    ),
                  },
                ],
              }}
              options={{
                responsive: true,
                animation: false,
                onClick: (_e, elements) => {
                  const i = elements[0]?.index;
                  const code = i === undefined ? undefined : o.exceptions.byCode[i]?.code;
                  if (code) go('/exceptions', { code, status: 'open' });
                },
              }}
            />
          )}
        </figure>
        <figure>
          <figcaption>Open exceptions by age</figcaption>
          <Bar
            data={{
              labels: o.exceptions.byAge.map((a) => a.bucket.replace(/_/g, ' ')),
              datasets: [
                {
                  label: 'Exceptions',
                  data: o.exceptions.byAge.map((a) => a.count),
                  backgroundColor: PALETTE[1],
                },
              ],
            }}
            options={{
              responsive: true,
              animation: false,
              plugins: { legend: { display: false } },
            }}
          />
        </figure>
      </div>
      <h2>Upstreams: breakers and budgets</h2>
      <table>
        <thead>
          <tr>
            <th>Caller</th>
            <th>Upstream</th>
            <th>Breaker</th>
            <th>In flight / budget</th>
            <th>Queued</th>
            <th>Calls</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {o.upstreams.map((u) => (
            <tr key={`${u.app}:${u.upstream}`}>
              <td>{u.app}</td>
              <td>{u.upstream}</td>
              <td>
                <Status value={u.breaker} />
              </td>
              <td>
                {u.inFlight}
                {u.budget !== undefined ? ` / ${u.budget}` : ''}
              </td>
              <td>{u.queued}</td>
              <td>{u.calls}</td>
              <td>{u.failures}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Generated {new Date(o.generatedAt).toLocaleString()}
        {o.truncated ? ' — partial: a list was longer than the scan limit' : ''}. Webhook deliveries
        pending: {o.retryQueue.webhookDeliveriesPending}, dead:{' '}
        {o.failedSyncs.webhookDeliveriesDead}.
      </p>
    </>
  );
}
