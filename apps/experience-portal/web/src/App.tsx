import { useState } from 'react';
import { forgetSession, storedSession, type Session } from './api';
import { useRoute } from './hooks';
import { Customer } from './pages/Customer';
import { ExceptionDetail, Exceptions } from './pages/Exceptions';
import { Overview } from './pages/Overview';
import { Reconciliation } from './pages/Reconciliation';
import { SignIn } from './pages/SignIn';
import { Trace } from './pages/Trace';

const NAV: [string, string][] = [
  ['overview', 'Overview'],
  ['exceptions', 'Exceptions'],
  ['trace', 'Trace'],
  ['reconciliation', 'Reconciliation'],
];

export function App() {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const { path, query } = useRoute();
  if (!session || session.expiresAt <= Date.now()) return <SignIn onSignedIn={setSession} />;
  const [page = 'overview', id] = path;
  const customerUser = session.customerId !== undefined;
  let content;
  if (customerUser || page === 'customer')
    content = <Customer id={id ?? session.customerId ?? ''} />;
  else if (page === 'exceptions' && id) content = <ExceptionDetail id={id} session={session} />;
  else if (page === 'exceptions') content = <Exceptions query={query} />;
  else if (page === 'trace') content = <Trace query={query} />;
  else if (page === 'reconciliation') content = <Reconciliation query={query} />;
  else content = <Overview />;
  return (
    <>
      <nav className="top">
        <span className="brand">Revgate</span>
        {!customerUser &&
          NAV.map(([key, label]) => (
            <a key={key} href={`#/${key}`} className={page === key ? 'active' : undefined}>
              {label}
            </a>
          ))}
        <span className="who">
          {session.subject}
          <button
            type="button"
            className="link"
            onClick={() => {
              forgetSession();
              setSession(undefined);
            }}
          >
            Sign out
          </button>
        </span>
      </nav>
      <main>{content}</main>
    </>
  );
}
