import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { compileCondition, ConditionError, type Condition } from '../conditions/condition';
import { conditionVariables } from '../conditions/condition-variables';
import type { Policy } from '../policy';
import type { PolicyInForce } from '../policy-in-force';
import type { ChangeFacts, RiskSubject } from '../risk/change-facts';
import { policySchema } from './policy-schema';
import { policyVersion } from './policy-version';

/** Everything wrong with a policy file, each problem with its line and field. */
export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid policy ${source}:\n  - ${problems.join('\n  - ')}`);
  }
}

type Path = readonly (string | number)[];

/**
 * Reads a policy file (YAML) into the policy in force: validated against the schema, every
 * CEL condition parsed and tried on a sample change, the version computed. A file with any
 * problem is refused whole, with every problem listed by line and field.
 */
export function readPolicy(text: string, source: string): PolicyInForce {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyFileError(
      source,
      doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const at = (path: Path, message: string) => `${position(doc, lineCounter, path)}: ${message}`;
  const parsed = policySchema.safeParse(doc.toJS(), {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) {
    throw new PolicyFileError(
      source,
      parsed.error.issues.map((issue) => describe(issue, at)),
    );
  }
  const document: Policy = parsed.data;
  const problems: string[] = [];
  const compile = (path: Path, source: string): Condition | null => {
    try {
      const condition = compileCondition(source);
      tryOnSamples(condition, document, path[0] === 'routing');
      return condition;
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      problems.push(at(path, error.message));
      return null;
    }
  };
  const riskRules = document.risk.rules.map((rule, i) => ({
    rule,
    condition: compile(['risk', 'rules', i, 'when'], rule.when),
  }));
  const routing = document.routing.map((rule, i) => ({
    rule,
    condition: rule.when === undefined ? null : compile(['routing', i, 'when'], rule.when),
  }));
  if (problems.length > 0) throw new PolicyFileError(source, problems);
  return {
    version: policyVersion(document),
    document,
    riskRules: riskRules.map(({ rule, condition }) => ({
      rule,
      condition: condition as Condition,
    })),
    routing,
  };
}

function describe(issue: z.core.$ZodIssue, at: (path: Path, message: string) => string): string {
  const path = issue.path.filter((key) => typeof key !== 'symbol') as Path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => at([...path, key], `${dotted([...path, key])} is not a policy field`))
      .join('\n  - ');
  }
  return at(path, `${dotted(path) || '(the file)'}: ${issue.message}`);
}

/** "line 12, column 5": where the path's key is written, or the nearest part of it that is. */
function position(doc: Document, lineCounter: LineCounter, path: Path): string {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const parent = doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    const written = isMap(parent)
      ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key
      : doc.getIn(path.slice(0, depth), true);
    if (isNode(written) && written.range) {
      const { line, col } = lineCounter.linePos(written.range[0]);
      return `line ${line}, column ${col}`;
    }
  }
  return 'line 1';
}

function dotted(path: Path): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
    .join('')
    .slice(1);
}

/**
 * A condition must evaluate to true or false for any change: tried here with every optional
 * field present and with none, so a misspelt field or one read without has() is caught at
 * start-up rather than when a change comes in.
 */
function tryOnSamples(condition: Condition, policy: Policy, withRisk: boolean): void {
  const facts: ChangeFacts = {
    services: [{ name: 'sample', tier: 2 }],
    downstream: [{ name: 'caller', tier: 1, depth: 1 }],
    history: { lookBackDays: 30, deployments: 10, failed: 1 },
  };
  const bare: RiskSubject = {
    type: 'normal',
    category: 'application',
    environment: 'production',
    services: ['sample'],
    hasDatabaseMigration: false,
    declaredBlastRadius: 'low',
  };
  const full: RiskSubject = { ...bare, filesChanged: 10, linesChanged: 100, templateId: 'sample' };
  const risk = withRisk ? { score: 1, level: 'low' as const } : undefined;
  for (const subject of [full, bare]) {
    condition.holds(conditionVariables(policy, subject, facts, risk));
  }
}
