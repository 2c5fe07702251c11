import { useState, type SubmitEvent } from 'react';
import { api, data, field, problemOf, type Problem, type Session } from '../api';
import { go, useLoad } from '../hooks';
import { Async, Pager, ProblemBox, Status, when } from '../ui';

type Filters = Partial<Record<'status' | 'code' | 'legalEntity' | 'olderThanMinutes', string>>;

export function Exceptions({ query }: { query: URLSearchParams }) {
  const filters: Filters = {
    status: query.get('status') ?? 'open',
    code: query.get('code') ?? undefined,
    legalEntity: query.get('legalEntity') ?? undefined,
    olderThanMinutes: query.get('olderThanMinutes') ?? undefined,
  };
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const key = JSON.stringify({ filters, cursor });
  const state = useLoad(
    () =>
      data(
        api.GET('/portal/v1/exceptions', {
          params: {
            query: {
              limit: 20,
              ...(cursor ? { cursor } : {}),
              ...(filters.status ? { status: filters.status as 'open' } : {}),
              ...(filters.code ? { code: filters.code } : {}),
              ...(filters.legalEntity ? { legalEntity: filters.legalEntity } : {}),
              ...(filters.olderThanMinutes
                ? { olderThanMinutes: Number(filters.olderThanMinutes) }
                : {}),
            },
          },
        }),
      ),
    key,
  );
  const apply = (e: SubmitEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setCursors([]);
    go('/exceptions', {
      status: field(form, 'status'),
      code: field(form, 'code').trim().toUpperCase(),
      legalEntity: field(form, 'legalEntity').trim().toUpperCase(),
      olderThanMinutes: field(form, 'olderThanMinutes'),
    });
  };
  return (
    <section>
      <header className="page-head">
        <h1>Exception workbench</h1>
      </header>
      <form className="filters" onSubmit={apply} key={key}>
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            {['open', 'retried', 'cleared', 'resolved', 'cancelled'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Code
          <input name="code" defaultValue={filters.code} placeholder="Q2C_PRODUCT_UNMAPPED" />
        </label>
        <label>
          Legal entity
          <input name="legalEntity" defaultValue={filters.legalEntity} placeholder="US01" />
        </label>
        <label>
          Older than
          <select name="olderThanMinutes" defaultValue={filters.olderThanMinutes ?? ''}>
            <option value="">any age</option>
            <option value="60">1 hour</option>
            <option value="1440">1 day</option>
            <option value="10080">7 days</option>
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <Async state={state}>
        {(page) => (
          <>
            {page.data.length === 0 ? (
              <p className="muted">No exceptions match.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Raised</th>
                    <th>Code</th>
                    <th>What happened</th>
                    <th>Entity</th>
                    <th>Step</th>
                    <th>Age</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((e) => (
                    <tr key={e.id} className="clickable" onClick={() => go(`/exceptions/${e.id}`)}>
                      <td>{when(e.raisedAt)}</td>
                      <td>
                        <a href={`#/exceptions/${e.id}`}>{e.code}</a>
                      </td>
                      <td>{e.title}</td>
                      <td>{e.legalEntity ?? '—'}</td>
                      <td>{e.step}</td>
                      <td>
                        {e.ageMinutes < 60
                          ? `${e.ageMinutes} min`
                          : `${Math.floor(e.ageMinutes / 60)} h`}
                      </td>
                      <td>
                        <Status value={e.status} />
                        {e.transient ? ' (retrying by itself)' : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager cursors={cursors} next={page.nextCursor} onMove={setCursors} />
          </>
        )}
      </Async>
    </section>
  );
}

export function ExceptionDetail({ id, session }: { id: string; session: Session }) {
  const state = useLoad(
    () => data(api.GET('/portal/v1/exceptions/{id}', { params: { path: { id } } })),
    id,
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok?: string; problem?: Problem }>({});
  const canAct = session.scopes.includes('portal:operate');

  const act = async (action: 'retry' | 'resolve'): Promise<void> => {
    setBusy(true);
    setOutcome({});
    try {
      const path =
        action === 'retry'
          ? '/portal/v1/exceptions/{id}/retry'
          : '/portal/v1/exceptions/{id}/resolve';
      const done = await data(api.POST(path, { params: { path: { id } }, body: { reason } }));
      setOutcome({
        ok: `${action === 'retry' ? 'Retried' : 'Resolved'}: the exception is now ${done.exception.status}.`,
      });
      setReason('');
      state.reload();
    } catch (e) {
      setOutcome({ problem: problemOf(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <header className="page-head">
        <h1>Exception</h1>
        <a href="#/exceptions">← All exceptions</a>
      </header>
      <Async state={state}>
        {(d) => (
          <>
            <div className="card">
              <h2>
                {d.exception.title} <Status value={d.exception.status} />
              </h2>
              <p>{d.exception.detail}</p>
              <dl className="facts">
                <dt>Code</dt>
                <dd>{d.exception.code}</dd>
                <dt>What to fix</dt>
                <dd className="fix">{d.exception.whatToFix}</dd>
                <dt>Step</dt>
                <dd>{d.exception.step}</dd>
                <dt>Legal entity / period</dt>
                <dd>
                  {d.exception.legalEntity ?? '—'} / {d.exception.period ?? '—'}
                </dd>
                <dt>Raised</dt>
                <dd>{when(d.exception.raisedAt)}</dd>
                <dt>Deal</dt>
                <dd>
                  <a href={`#/trace?orderId=${d.exception.orderId}`}>
                    trace of order {d.exception.orderId}
                  </a>
                </dd>
              </dl>
            </div>
            {d.exception.status === 'open' && (
              <div className="card">
                <h2>Act</h2>
                {!canAct && (
                  <p className="muted">You can read; acting needs the portal:operate scope.</p>
                )}
                <label className="wide">
                  Reason (kept in the audit log)
                  <textarea
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    disabled={!canAct || busy}
                    placeholder="What was fixed, and where (ticket)"
                  />
                </label>
                <div className="actions">
                  <button
                    type="button"
                    disabled={!canAct || busy || reason.trim() === ''}
                    onClick={() => void act('retry')}
                  >
                    Retry from the failed step
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={!canAct || busy || reason.trim() === ''}
                    onClick={() => void act('resolve')}
                  >
                    Resolve without going on
                  </button>
                </div>
              </div>
            )}
            {outcome.ok && (
              <p className="ok" role="status">
                {outcome.ok}
              </p>
            )}
            {outcome.problem && <ProblemBox problem={outcome.problem} />}
            <h2>Order steps</h2>
            <table>
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Finished</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {d.steps.map((s) => (
                  <tr key={s.name}>
                    <td>{s.title}</td>
                    <td>
                      <Status value={s.status} />
                    </td>
                    <td>{s.attempts}</td>
                    <td>{when(s.finishedAt)}</td>
                    <td>{s.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Audit</h2>
            {d.audit.length === 0 ? (
              <p className="muted">No action taken in the portal yet.</p>
            ) : (
              <ul className="audit">
                {d.audit.map((a) => (
                  <li key={a.id}>
                    {when(a.at)} — <strong>{a.actor}</strong> chose to {a.action}: “{a.reason}”
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
