/** What a principal may do; assigned per API key (or JWT claim) by configuration. */
export const ROLES = [
  'requester',
  'approver',
  'cab',
  'deployer',
  'ingest',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/**
 * Who may read the record where a route names no roles: everyone but `ingest`. An ingest key
 * sits in every CI/CD and monitoring system; if one leaks, it must not open the record.
 */
export const READER_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'ingest');

/** The authenticated identity behind a request. It is never taken from a request body. */
export interface Principal {
  readonly id: string;
  readonly roles: readonly Role[];
}
