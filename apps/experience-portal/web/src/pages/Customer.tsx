import { api, data } from '../api';
import { useLoad } from '../hooks';
import { Async, Status } from '../ui';

export function Customer({ id }: { id: string }) {
  const state = useLoad(
    () => data(api.GET('/portal/v1/customers/{id}/billing', { params: { path: { id } } })),
    id,
  );
  return (
    <section>
      <Async state={state}>
        {(c) => (
          <>
            <header className="page-head">
              <h1>{c.customer.name}</h1>
              <span className="muted">
                {c.customer.legalEntity} · {c.customer.currency}
              </span>
            </header>
            <h2>Subscriptions</h2>
            <table>
              <thead>
                <tr>
                  <th>Subscription</th>
                  <th>Status</th>
                  <th>Interval</th>
                  <th>Billed through</th>
                </tr>
              </thead>
              <tbody>
                {c.subscriptions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.id}</td>
                    <td>
                      <Status value={s.status} />
                    </td>
                    <td>{s.billingInterval}</td>
                    <td>{s.billedThrough ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Invoices</h2>
            <table>
              <thead>
                <tr>
                  <th>Number</th>
                  <th>Status</th>
                  <th>Issued</th>
                  <th>Due</th>
                  <th>Total</th>
                  <th>Open</th>
                </tr>
              </thead>
              <tbody>
                {c.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>{i.number ?? i.id}</td>
                    <td>
                      <Status value={i.status} />
                    </td>
                    <td>{i.issueDate ?? '—'}</td>
                    <td>{i.dueDate ?? '—'}</td>
                    <td>
                      {i.total} {i.currency}
                    </td>
                    <td>{i.amountRemaining}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Payments</h2>
            {c.payments.length === 0 ? (
              <p className="muted">No payments yet.</p>
            ) : (
              <ul>
                {c.payments.map((p) => (
                  <li key={p.id}>
                    {new Date(p.createdAt).toLocaleDateString()}: {p.amount} {p.currency} (
                    {p.status})
                  </li>
                ))}
              </ul>
            )}
            <h2>Usage to date{c.usage ? ` (${c.usage.period})` : ''}</h2>
            {!c.usage ? (
              <p className="muted">Usage is not available right now.</p>
            ) : (
              <ul>
                {c.usage.subscriptions.flatMap((s) =>
                  s.meters.map((m) => (
                    <li key={`${s.subscriptionId}${m.meterCode}`}>
                      {m.meterCode}: {m.quantity} ({m.events} events)
                    </li>
                  )),
                )}
              </ul>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
