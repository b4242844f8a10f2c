import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PolicyInForce } from '../policy-in-force';
import { PolicyFileError, readPolicy } from './read-policy';

/** config/policy.yaml: the documented default, in force when POLICY_FILE is unset. */
export const DEFAULT_POLICY_FILE = resolve(__dirname, '../../../config/policy.yaml');

/** Reads and validates a policy file; any problem is a PolicyFileError that says where. */
export function loadPolicyFile(path: string): PolicyInForce {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(path, [`cannot be read: ${(error as Error).message}`]);
  }
  return readPolicy(text, path);
}
