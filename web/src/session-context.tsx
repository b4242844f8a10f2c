import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { apiClient, type ApiClient } from './api/client';
import type { Session } from './session';

export interface SignedIn {
  readonly session: Session;
  readonly api: ApiClient;
  /** The ledger's size as of its latest signed checkpoint: pages reload when it grows. */
  readonly ledgerSize: number | null;
  readonly may: (...roles: string[]) => boolean;
}

const SignedInContext = createContext<SignedIn | null>(null);

/** How often the console looks at the ledger's latest checkpoint (the feed's position). */
const POLL_MS = 3000;

/** The second line of a C2SP checkpoint note is the tree size: the number of events. */
function treeSize(note: string): number | null {
  const size = Number(note.split('\n')[1]);
  return Number.isInteger(size) ? size : null;
}

export function SignedInProvider({ session, children }: { session: Session; children: ReactNode }) {
  const api = useMemo(() => apiClient(session.credential), [session.credential]);
  const [ledgerSize, setLedgerSize] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    const look = async () => {
      const { data, response } = await api.GET('/ledger/checkpoint', { parseAs: 'text' });
      if (!stopped && response.ok && typeof data === 'string') {
        const size = treeSize(data);
        if (size !== null) setLedgerSize(size);
      }
    };
    const poll = () => void look().catch(() => undefined);
    poll();
    const timer = window.setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api]);
  const value = useMemo<SignedIn>(
    () => ({
      session,
      api,
      ledgerSize,
      may: (...roles) => session.roles.some((role) => role === 'admin' || roles.includes(role)),
    }),
    [session, api, ledgerSize],
  );
  return <SignedInContext.Provider value={value}>{children}</SignedInContext.Provider>;
}

export function useSignedIn(): SignedIn {
  const signedIn = useContext(SignedInContext);
  if (signedIn === null) throw new Error('useSignedIn outside SignedInProvider');
  return signedIn;
}
