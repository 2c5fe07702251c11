import type { SubmitEvent } from 'react';
import { api, data, field } from '../api';
import { go, useLoad } from '../hooks';
import { Async, Status, when } from '../ui';

const KEYS = ['correlationId', 'orderId', 'invoiceId', 'opportunityId'] as const;
type Key = (typeof KEYS)[number];

export function Trace({ query }: { query: URLSearchParams }) {
  const key = KEYS.find((k) => query.get(k));
  const value = key ? (query.get(key) ?? '') : '';
  const search = (e: SubmitEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const k = field(form, 'key') as Key;
    go('/trace', { [k]: field(form, 'value').trim() });
  };
  return (
    <section>
      <header className="page-head">
        <h1>Per-deal trace</h1>
      </header>
      <form className="filters" onSubmit={search}>
        <label>
          Find by
          <select name="key" defaultValue={key ?? 'opportunityId'}>
            {KEYS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          Id
          <input name="value" defaultValue={value} required />
        </label>
        <button type="submit">Trace</button>
      </form>
      {key && <TraceView k={key} value={value} />}
    </section>
  );
}

function TraceView({ k, value }: { k: Key; value: string }) {
  const state = useLoad(
    () => data(api.GET('/portal/v1/trace', { params: { query: { [k]: value } } })),
    `${k}=${value}`,
  );
  return (
    <Async state={state}>
      {(t) => (
        <>
          <div className="card">
            <h2>
              Order {t.orderId} <Status value={t.orderStatus} />
            </h2>
            <p className="muted">Correlation id {t.correlationId}</p>
            {t.unavailable.length > 0 && (
              <p className="problem">Not read: {t.unavailable.join(', ')}</p>
            )}
            <div className="systems">
              {(['crm', 'billing', 'tax', 'erp'] as const).map((s) => (
                <dl key={s} className="facts">
                  <dt className="system-name">{s.toUpperCase()}</dt>
                  <dd />
                  {Object.entries(t.systems[s]).flatMap(([name, v]) => [
                    <dt key={`${name}-k`}>{name}</dt>,
                    <dd key={`${name}-v`}>{v}</dd>,
                  ])}
                </dl>
              ))}
            </div>
          </div>
          <h2>Timeline</h2>
          <ol className="timeline">
            {t.timeline.map((e, i) => (
              <li key={`${e.at}-${i}`} className={`tl-${e.status}`}>
                <span className="tl-time">{when(e.at)}</span>
                <span className={`tl-system sys-${e.system}`}>{e.system}</span>
                <span>{e.title}</span>
                {e.detail && <span className="muted"> — {e.detail}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </Async>
  );
}
