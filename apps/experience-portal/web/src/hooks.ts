import { useCallback, useEffect, useState } from 'react';
import { problemOf, type Problem } from './api';

export interface Loaded<T> {
  value?: T;
  problem?: Problem;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes (and on reload): its value, its problem, whether it runs. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ value?: T; problem?: Problem; loading: boolean }>({
    loading: true,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => {
        if (live) setState({ value, loading: false });
      },
      (e: unknown) => {
        if (live) setState({ loading: false, problem: problemOf(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** The route in the URL's fragment: `#/exceptions/abc?code=X` → path and query. */
export function useRoute(): { path: string[]; query: URLSearchParams } {
  const read = (): string => window.location.hash.replace(/^#/, '') || '/overview';
  const [hash, setHash] = useState(read);
  useEffect(() => {
    const onChange = (): void => setHash(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const [path = '', search = ''] = hash.split('?');
  return { path: path.split('/').filter(Boolean), query: new URLSearchParams(search) };
}

export function go(path: string, query?: Record<string, string | undefined>): void {
  const q = new URLSearchParams(
    Object.entries(query ?? {}).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  window.location.hash = `${path}${q ? `?${q}` : ''}`;
}
