import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An RFC 9457 problem as the API answers every refusal: shown to the user as it came. */
export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ field: string; reason: string }>;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

/**
 * The typed client of the service's own API (types generated from its OpenAPI document), with
 * the credential on every call; without one, for the routes anyone may call.
 */
export function apiClient(credential?: string) {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  if (credential === undefined) return client;
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${credential}`);
      return request;
    },
  });
  return client;
}

export type ApiClient = ReturnType<typeof apiClient>;

/** The answer's data, or a ProblemError carrying the refusal. */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem =
    typeof error === 'object' && error !== null
      ? (error as Problem)
      : {
          status: response.status,
          detail: typeof error === 'string' ? error : response.statusText,
        };
  throw new ProblemError({ ...problem, status: response.status });
}
