import type { Policy } from './policy';

/** Which policy was in force when: one event each time an instance starts with a new version. */
export const POLICY_STREAM = 'policy';

export interface PolicyLoadedData {
  readonly version: string;
  readonly name: string;
  /** The file it was read from, as the instance saw it. */
  readonly source: string;
  /** The whole document, so an auditor can read the rules without the file. */
  readonly document: Policy;
  /** The instance that loaded it. */
  readonly host: string;
  readonly at: string;
}

export const POLICY_LOADED = 'PolicyLoaded';
