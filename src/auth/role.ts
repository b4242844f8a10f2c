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

/** The authenticated identity behind a request. It is never taken from a request body. */
export interface Principal {
  readonly id: string;
  readonly roles: readonly Role[];
}
