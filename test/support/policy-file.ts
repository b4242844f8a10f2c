import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ANYTIME_POLICY } from '../../src/changes/domain/fixtures/decision-context';
import type { PolicyInForce } from '../../src/policy/policy-in-force';

/** A policy written where POLICY_FILE can name it. */
export function writePolicyFile(policy: PolicyInForce, name = 'policy'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'change-ledger-policy-')), `${name}.yaml`);
  writeFileSync(path, stringify(policy.document));
  return path;
}

let anytime: string | undefined;

/**
 * The default policy without its calendar (no maintenance windows, blackouts or notice), for
 * suites about something other than time; the policy suites run the default itself.
 */
export function anytimePolicyFile(): string {
  anytime ??= writePolicyFile(ANYTIME_POLICY, 'anytime');
  return anytime;
}
