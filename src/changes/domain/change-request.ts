import type { TimeWindow } from './change-window';

export const CHANGE_TYPES = ['standard', 'preapproved', 'normal', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_CATEGORIES = [
  'hardware',
  'software-config',
  'application',
  'data',
  'traffic',
] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

export const BLAST_RADII = ['low', 'medium', 'high'] as const;
export type BlastRadius = (typeof BLAST_RADII)[number];

export interface RollbackPlan {
  readonly trigger: string;
  readonly steps: readonly string[];
  readonly expectedMinutes: number;
}

/** What is to be deployed: the approval binds it, and a deploy of anything else is a finding. */
export interface Artifact {
  readonly version?: string;
  readonly commit?: string;
}

export interface ExternalRefs {
  readonly pullRequest?: string;
  readonly commit?: string;
  readonly ticket?: string;
}

/**
 * What a requester asks to change in production. The optional parts are not errors when
 * missing: the compliance read model reports them as gaps in audit completeness.
 */
export interface ChangeRequest {
  readonly title: string;
  readonly description: string;
  readonly type: ChangeType;
  readonly category: ChangeCategory;
  readonly services: readonly string[];
  readonly environment: string;
  readonly blastRadius: BlastRadius;
  readonly hasDatabaseMigration: boolean;
  readonly justification?: string;
  readonly implementationSteps?: readonly string[];
  readonly rollbackPlan?: RollbackPlan;
  readonly testPlan?: string;
  readonly communicationPlan?: string;
  readonly plannedWindow?: TimeWindow;
  readonly externalRefs?: ExternalRefs;
  /** The policy template a standard or pre-approved change follows. */
  readonly templateId?: string;
  /** Size of the change, when the requester's tooling knows it: weighed in its risk. */
  readonly filesChanged?: number;
  readonly linesChanged?: number;
  /** The version to deploy; with externalRefs.commit, the artifact approvers approve. */
  readonly version?: string;
}

/** The artifact a request names, if it names one. */
export function artifactOf(request: ChangeRequest): Artifact | undefined {
  const commit = request.externalRefs?.commit;
  if (request.version === undefined && commit === undefined) return undefined;
  return { version: request.version, commit };
}
