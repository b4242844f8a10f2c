import { useSyncExternalStore } from 'react';

/** The page and its parameters live in the URL's fragment: #/approvals?change=… */
export interface Route {
  readonly path: string;
  readonly params: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  return { path: path === '' ? '/' : path, params: new URLSearchParams(query) };
}

/** The fragment for a page and its parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  return `#${path}${query === '' ? '' : `?${query}`}`;
}

export function navigate(path: string, params: Record<string, string | null | undefined> = {}) {
  window.location.hash = href(path, params);
}
