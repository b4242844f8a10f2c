import { useState } from 'react';
import { clearSession, loadSession, type Session } from './session';
import { SignedInProvider, useSignedIn } from './session-context';
import { href, useRoute } from './route';
import { SignIn } from './pages/SignIn';
import { Incidents } from './pages/Incidents';
import { Approvals } from './pages/Approvals';
import { Changes } from './pages/Changes';
import { ChangePage } from './pages/ChangePage';
import { Compliance } from './pages/Compliance';
import { Delivery } from './pages/Delivery';

const PAGES = [
  { path: '/incidents', title: 'Incidents' },
  { path: '/approvals', title: 'Approvals' },
  { path: '/changes', title: 'Changes' },
  { path: '/compliance', title: 'Compliance' },
  { path: '/delivery', title: 'Delivery' },
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <SignedInProvider session={session}>
      <Shell
        onSignOut={() => {
          clearSession();
          setSession(null);
        }}
      />
    </SignedInProvider>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { session, ledgerSize } = useSignedIn();
  const route = useRoute();
  const current = route.path.startsWith('/changes/') ? '/changes' : route.path;
  return (
    <>
      <header className="masthead">
        <a className="brand" href={href('/incidents')}>
          change-ledger
        </a>
        <nav aria-label="Pages">
          {PAGES.map((page) => (
            <a
              key={page.path}
              href={href(page.path)}
              aria-current={current === page.path ? 'page' : undefined}
            >
              {page.title}
            </a>
          ))}
        </nav>
        <div className="who">
          <span
            className="live"
            aria-live="polite"
            title="The ledger's size at its latest signed checkpoint"
          >
            {ledgerSize === null ? 'ledger: …' : `ledger: ${ledgerSize} events`}
          </span>
          <span>
            Signed in as <strong>{session.principal}</strong> ({session.roles.join(', ')})
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Page path={route.path} params={route.params} />
      </main>
    </>
  );
}

function Page({ path, params }: { path: string; params: URLSearchParams }) {
  if (path.startsWith('/changes/')) {
    return <ChangePage changeId={decodeURIComponent(path.slice('/changes/'.length))} />;
  }
  switch (path) {
    case '/approvals':
      return <Approvals params={params} />;
    case '/changes':
      return <Changes params={params} />;
    case '/compliance':
      return <Compliance params={params} />;
    case '/delivery':
      return <Delivery params={params} />;
    default:
      return <Incidents params={params} />;
  }
}
