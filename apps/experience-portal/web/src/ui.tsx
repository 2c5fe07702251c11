import type { ReactNode } from 'react';
import type { Problem } from './api';
import type { Loaded } from './hooks';

export function ProblemBox({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  return (
    <div className="problem" role="alert">
      <strong>{problem.code}</strong> {problem.detail}
      {problem.correlationId && (
        <div className="muted">Correlation id: {problem.correlationId}</div>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Loading, the problem, or the content once loaded. */
export function Async<T>({
  state,
  children,
}: {
  state: Loaded<T>;
  children: (value: T) => ReactNode;
}) {
  if (state.problem) return <ProblemBox problem={state.problem} onRetry={state.reload} />;
  if (state.value === undefined)
    return (
      <p className="loading" aria-busy="true">
        Loading…
      </p>
    );
  return (
    <div className={state.loading ? 'refreshing' : undefined} aria-busy={state.loading}>
      {children(state.value)}
    </div>
  );
}

export function Tile({
  label,
  value,
  tone,
}: {
  label: string;
  value: ReactNode;
  tone?: 'bad' | 'ok';
}) {
  return (
    <div className={`tile ${tone ?? ''}`} data-testid={`tile-${label}`}>
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}

/** Previous / next over cursor pages: `cursors` is the stack of cursors that led here. */
export function Pager({
  cursors,
  next,
  onMove,
}: {
  cursors: string[];
  next: string | null | undefined;
  onMove: (cursors: string[]) => void;
}) {
  return (
    <div className="pager">
      <button
        type="button"
        disabled={cursors.length === 0}
        onClick={() => onMove(cursors.slice(0, -1))}
      >
        ← Previous
      </button>
      <span className="muted">Page {cursors.length + 1}</span>
      <button type="button" disabled={!next} onClick={() => next && onMove([...cursors, next])}>
        Next →
      </button>
    </div>
  );
}

export function when(instant: string | undefined): string {
  return instant ? new Date(instant).toLocaleString() : '—';
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value.replace(/_/g, ' ')}</span>;
}
