/** The credential lives in this tab's session storage only: closing the tab signs out. */
const KEY = 'change-ledger.credential';

export interface Session {
  readonly credential: string;
  readonly principal: string;
  readonly roles: readonly string[];
}

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  return stored === null ? null : (JSON.parse(stored) as Session);
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
