import { readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { DEFAULT_POLICY_FILE } from './policy-file';
import { PolicyFileError, readPolicy } from './read-policy';

const DEFAULT_TEXT = readFileSync(DEFAULT_POLICY_FILE, 'utf8');

function problemsOf(text: string): readonly string[] {
  try {
    readPolicy(text, 'policy.yaml');
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  throw new Error('the policy was accepted');
}

/** The default policy with one line replaced. */
function withLine(from: string, to: string): string {
  expect(DEFAULT_TEXT).toContain(from);
  return DEFAULT_TEXT.replace(from, to);
}

describe('readPolicy', () => {
  it('reads the default policy, with a version that is the SHA-256 of its content', () => {
    const policy = readPolicy(DEFAULT_TEXT, 'config/policy.yaml');
    expect(policy.document.name).toBe('default');
    expect(policy.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(policy.riskRules).toHaveLength(1);
    expect(policy.routing.map((r) => r.condition?.source ?? null)).toEqual([
      "risk.level == 'high'",
      "change.environment == 'production' && facts.downstreamTier1 >= 3",
      null,
    ]);
  });

  it('keeps the version when only comments, layout or key order change', () => {
    const original = readPolicy(DEFAULT_TEXT, 'a').version;
    const reordered = parseDocument(DEFAULT_TEXT).toJS() as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(reordered).reverse());
    expect(readPolicy(`# another comment\n${stringify(reversed)}`, 'b').version).toBe(original);
  });

  it('changes the version when any rule changes', () => {
    const original = readPolicy(DEFAULT_TEXT, 'a').version;
    const changed = withLine('databaseMigration: 3', 'databaseMigration: 4');
    expect(readPolicy(changed, 'b').version).not.toBe(original);
  });

  it('names the line and the field of a misspelt key', () => {
    const text = withLine('    databaseMigration: 3', '    databaseMigraton: 3');
    const line = text.split('\n').findIndex((l) => l.includes('databaseMigraton')) + 1;
    expect(problemsOf(text)).toEqual(
      expect.arrayContaining([
        `line ${line}, column 5: risk.weights.databaseMigraton is not a policy field`,
        expect.stringMatching(
          /^line \d+, column 3: risk\.weights\.databaseMigration: is required$/,
        ),
      ]),
    );
  });

  it('names the line and the field of a value of the wrong kind', () => {
    const text = withLine('  holdMinutes: 15', '  holdMinutes: fifteen');
    const line = text.split('\n').findIndex((l) => l.includes('fifteen')) + 1;
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(new RegExp(`^line ${line}, column 3: gates.holdMinutes: .*number`)),
    ]);
  });

  it('refuses a CEL condition that does not parse, naming where', () => {
    const text = withLine('  - when: "risk.level == \'high\'"', '  - when: "risk.level =="');
    const line = text.split('\n').findIndex((l) => l.includes('risk.level =="')) + 1;
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(new RegExp(`^line ${line}, column 5: not a CEL expression`)),
    ]);
  });

  it('refuses a condition on a field no change has, and one that is not true or false', () => {
    expect(problemsOf(withLine("risk.level == 'high'", 'risk.levle == 1'))).toEqual([
      expect.stringContaining('could not be evaluated'),
    ]);
    expect(problemsOf(withLine("risk.level == 'high'", 'risk.score + 1.0'))).toEqual([
      expect.stringContaining('must be true or false'),
    ]);
  });

  it('refuses a condition that reads an optional field without has()', () => {
    const text = withLine(
      "change.category == 'data' && facts.mostCriticalTier == 1",
      'change.filesChanged > 10',
    );
    expect(problemsOf(text)).toEqual([expect.stringContaining('filesChanged')]);
    const guarded = withLine(
      "change.category == 'data' && facts.mostCriticalTier == 1",
      'has(change.filesChanged) && change.filesChanged > 10',
    );
    expect(() => readPolicy(guarded, 'policy.yaml')).not.toThrow();
  });

  it('lets no routing rule send a normal change to automatic approval', () => {
    expect(
      problemsOf(withLine('    route: cab\n  - when', '    route: automatic\n  - when')),
    ).toEqual([expect.stringContaining('automatic approval comes from templates only')]);
  });

  it('needs a last routing rule without a condition', () => {
    expect(
      problemsOf(withLine('  - route: peer-review', "  - when: 'true'\n    route: peer-review")),
    ).toEqual([expect.stringContaining('the last routing rule must have no "when"')]);
  });

  it('refuses two templates with one id, an unknown time zone and a broken YAML file', () => {
    expect(problemsOf(withLine('id: certificate-rotation', 'id: feature-flag-toggle'))).toEqual([
      expect.stringContaining('template id "feature-flag-toggle" is used twice'),
    ]);
    expect(problemsOf(withLine('timeZone: Europe/London', 'timeZone: Europe/Londres'))).toEqual([
      expect.stringContaining('must be an IANA time zone'),
    ]);
    expect(problemsOf('name: [unclosed')).toEqual([expect.stringMatching(/^line 1: /)]);
  });

  it('lists every problem of a file at once', () => {
    const text = withLine('databaseMigration: 3', 'databaseMigration: -1').replace(
      'maxWindowHours: 8',
      'maxWindowHours: 0',
    );
    expect(problemsOf(text)).toHaveLength(2);
  });
});
