/** Where a deployment is in its life, as a CI/CD system reports it. */
export type DeploymentPhase =
  'started' | 'stage' | 'succeeded' | 'failed' | 'rolledback' | 'removed';

/** Every deploy reported for a service, matched or not, lives on the service's stream. */
export const SERVICE_STREAM_PREFIX = 'service-';

export function serviceStreamId(service: string): string {
  return `${SERVICE_STREAM_PREFIX}${service}`;
}

/** A deploy as a CI/CD system reported it, with the change it was matched to (if any). */
export interface DeploymentObservedData {
  readonly service: string;
  readonly environment: string;
  /** The phase as reported; a return to an earlier version is recorded as 'rolledback'. */
  readonly phase: DeploymentPhase;
  readonly version?: string;
  readonly commit?: string;
  readonly deploymentId?: string;
  readonly stage?: string;
  readonly percent?: number;
  readonly reportedBy?: string;
  readonly url?: string;
  readonly format: string;
  readonly changeId: string | null;
  /** How the change was found: named by the sender, by commit or version, or none. */
  readonly matchedBy: 'change-id' | 'commit' | 'version' | 'rollback-of' | null;
  readonly at: string;
  /** SHA-256 of the observation as reported: a redelivery under its id must match it. */
  readonly digest?: string;
}

/** A deploy no approved change accounts for: a compliance finding. */
export interface UnplannedDeploymentDetectedData {
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
  readonly commit?: string;
  readonly deploymentId?: string;
  /** `no-matching-change`, or the decider's refusal code for the matched change. */
  readonly reason: string;
  readonly detail: string;
  readonly changeId: string | null;
  readonly at: string;
}

/** The service went back to a version it ran before, whatever the sender called it. */
export interface RollbackDetectedData {
  readonly service: string;
  readonly environment: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  /** The change that had deployed fromVersion, when known. */
  readonly changeId: string | null;
  readonly at: string;
}

export interface ChangeMergedData {
  readonly repository?: string;
  readonly service?: string;
  readonly commit?: string;
  readonly pullRequest?: string;
  readonly changeId?: string;
  readonly reportedBy?: string;
  readonly format: string;
  readonly at: string;
  /** SHA-256 of the observation as reported: a redelivery under its id must match it. */
  readonly digest?: string;
}

export type ServiceEvent =
  | { readonly type: 'DeploymentObserved'; readonly data: DeploymentObservedData }
  | { readonly type: 'UnplannedDeploymentDetected'; readonly data: UnplannedDeploymentDetectedData }
  | { readonly type: 'RollbackDetected'; readonly data: RollbackDetectedData }
  | { readonly type: 'ChangeMerged'; readonly data: ChangeMergedData };

/** A merged change that names no service is kept on its repository's stream. */
export const REPOSITORY_STREAM_PREFIX = 'repository-';

export function repositoryStreamId(repository: string): string {
  return `${REPOSITORY_STREAM_PREFIX}${repository}`;
}
