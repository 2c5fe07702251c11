import type { SubmitEvent } from 'react';
import { api, data, field } from '../api';
import { go, useLoad } from '../hooks';
import { Async } from '../ui';

export function Reconciliation({ query }: { query: URLSearchParams }) {
  const period = query.get('period') ?? new Date().toISOString().slice(0, 7);
  const legalEntity = query.get('legalEntity') ?? undefined;
  const state = useLoad(
    () =>
      data(
        api.GET('/portal/v1/reconciliation', {
          params: { query: { period, ...(legalEntity ? { legalEntity } : {}) } },
        }),
      ),
    `${period}/${legalEntity ?? ''}`,
  );
  const choose = (e: SubmitEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    go('/reconciliation', {
      period: field(form, 'period'),
      legalEntity: field(form, 'legalEntity').trim().toUpperCase(),
    });
  };
  return (
    <section>
      <header className="page-head">
        <h1>Reconciliation</h1>
      </header>
      <form className="filters" onSubmit={choose}>
        <label>
          Period
          <input name="period" type="month" defaultValue={period} required />
        </label>
        <label>
          Legal entity
          <input name="legalEntity" defaultValue={legalEntity} placeholder="all" />
        </label>
        <button type="submit">Reconcile</button>
      </form>
      <Async state={state}>
        {(r) => (
          <>
            {r.unavailable.length > 0 && (
              <p className="problem">Not read: {r.unavailable.join(', ')}</p>
            )}
            <h2>Bookings ↔ invoices ↔ receivables</h2>
            <p>
              {r.bookings.bookings} bookings, {r.bookings.ordered} ordered, {r.bookings.invoiced}{' '}
              invoiced, {r.bookings.posted} posted to the ERP;{' '}
              <strong>{r.bookings.rowsWithVariances}</strong> with variances.
            </p>
            <table>
              <thead>
                <tr>
                  <th>Currency</th>
                  <th>Booked</th>
                  <th>Invoiced</th>
                  <th>Receivables</th>
                </tr>
              </thead>
              <tbody>
                {r.bookings.totals.map((t) => (
                  <tr key={t.currency}>
                    <td>{t.currency}</td>
                    <td>{t.booked}</td>
                    <td>{t.invoiced}</td>
                    <td className={t.invoiced === t.receivables ? 'ok' : 'bad'}>{t.receivables}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table>
              <thead>
                <tr>
                  <th>Deal</th>
                  <th>Entity</th>
                  <th>Booked</th>
                  <th>Order</th>
                  <th>Invoice</th>
                  <th>Receivable</th>
                  <th>Variances</th>
                </tr>
              </thead>
              <tbody>
                {r.bookings.rows.map((b) => (
                  <tr key={b.opportunityId}>
                    <td>
                      <a href={`#/trace?opportunityId=${b.opportunityId}`}>{b.opportunityName}</a>
                    </td>
                    <td>{b.legalEntity}</td>
                    <td>
                      {b.bookingAmount} {b.currency}
                    </td>
                    <td>{b.orderStatus ?? '—'}</td>
                    <td>{b.invoiceTotal ? `${b.invoiceNumber ?? ''} ${b.invoiceTotal}` : '—'}</td>
                    <td>
                      {b.receivableTotal ? `${b.receivableNumber ?? ''} ${b.receivableTotal}` : '—'}
                    </td>
                    <td className={b.variances.length ? 'bad' : 'ok'}>
                      {b.variances.length === 0
                        ? 'none'
                        : b.variances.map((v) => v.detail).join(' ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.usage && (
              <>
                <h2>Usage funnel</h2>
                <p>
                  {r.usage.eventsIngested.toLocaleString()} events → {r.usage.rows} rows →{' '}
                  {r.usage.rated} rated → {r.usage.invoiced} invoiced → {r.usage.posted} posted;{' '}
                  {r.usage.rowsWithVariances} with variances.
                </p>
                {r.usage.variances.length > 0 && (
                  <ul>
                    {r.usage.variances.map((v, i) => (
                      <li key={i}>
                        {v.meterCode} {v.subscriptionId ?? ''}: {v.cause} — {v.detail}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
            <h2>Revenue: billed = recognized + deferred</h2>
            <table>
              <thead>
                <tr>
                  <th>Entity</th>
                  <th>Currency</th>
                  <th>Billed</th>
                  <th>Recognized</th>
                  <th>Deferred</th>
                  <th>Balanced</th>
                </tr>
              </thead>
              <tbody>
                {r.revenue.map((v) => (
                  <tr key={`${v.legalEntity}${v.currency}`}>
                    <td>{v.legalEntity}</td>
                    <td>{v.currency}</td>
                    <td>{v.billed}</td>
                    <td>{v.recognized}</td>
                    <td>{v.deferred}</td>
                    <td className={v.balanced ? 'ok' : 'bad'}>
                      {v.balanced ? 'yes' : v.variances.join(' ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Async>
    </section>
  );
}
