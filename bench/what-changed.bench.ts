/**
 * What-changed latency on PostgreSQL: the query an incident responder runs (walk the
 * dependency graph upstream, three range scans of the deployment timeline, rank), against a
 * baseline measured in the same run on the same data: a bare indexed SELECT of the deployments
 * of the same services by time, with the service list handed to it.
 *
 * The read-model tables (deployment_timeline, incident_dependencies) are loaded IN BULK, not
 * through the projection, so setting up 100,000 changes takes seconds. To show the bulk rows
 * are what the projection would have written, a sample of the same changes and the whole
 * catalog go through the real projection (incidentCorrelation.apply) into a separate schema,
 * and the rows are compared column by column; the run fails if they differ.
 *
 *   npm run bench:what-changed [-- --changes 100000 --services 1000 --queries 2000]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type {
  ChangeDeployedData,
  ChangeRequestedData,
  ChangeRolledBackData,
  DeploymentStartedData,
  RiskAssessedData,
} from '../src/changes/domain/events';
import type {
  DeploymentObservedData,
  UnplannedDeploymentDetectedData,
} from '../src/deployments/domain/service-events';
import type { RecordedEvent } from '../src/ledger/ledger-event';
import { incidentCorrelation as incidentCorrelationFor } from '../src/incidents/read-model/incident-correlation.projection';

/** The projection as the service runs it with the default 4-hour window. */
const incidentCorrelation = incidentCorrelationFor(4);
import { whatChanged } from '../src/incidents/read-model/timeline-queries';
import type { RiskLevel } from '../src/policy/policy';
import { NO_FACTS } from '../src/policy/risk/change-facts';
import { SERVICE_CATALOG_STREAM } from '../src/services/domain/catalog-stream';
import type { ServiceRegisteredData } from '../src/services/domain/catalog-events';
import {
  MAX_DEPENDENCY_DEPTH,
  walkDependencies,
} from '../src/services/read-model/dependency-edges';
import { migrate } from '../src/sql/migrate';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import type { SqlClient } from '../src/sql/sql-client';
import { withBenchDatabase } from './support/bench-database';
import { printFigure } from './support/bench-figures';

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '100000' },
    services: { type: 'string', default: '1000' },
    queries: { type: 'string', default: '2000' },
  },
});
const CHANGES = Number(values.changes);
const SERVICES = Number(values.services);
const QUERIES = Number(values.queries);
/** One in this many changes also goes through the projection for the equivalence check. */
const SAMPLE_EVERY = 200;
const WARM_UP = 100;
const WINDOW_HOURS = 4;
const TIERS = 10;
const DAYS = 100;
const START = Date.parse('2031-01-01T00:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** mulberry32: the same seed builds the same history on every run. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20310101);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const hex = (length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

const serviceName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/**
 * A layered graph, as real ones are: a service in tier t (0 = edge, customer-facing) calls one
 * to three services in the next three tiers, so platform services deep down are shared hubs.
 */
function dependencyGraph(): Map<string, string[]> {
  const perTier = Math.ceil(SERVICES / TIERS);
  const graph = new Map<string, string[]>();
  for (let i = 0; i < SERVICES; i++) {
    const tier = Math.floor(i / perTier);
    const deeper = Math.min(SERVICES, (tier + 1) * perTier);
    const reach = Math.min(SERVICES, (tier + 4) * perTier);
    const dependsOn = new Set<string>();
    if (deeper < SERVICES) {
      for (let k = between(1, 3); k > 0; k--)
        dependsOn.add(serviceName(between(deeper, reach - 1)));
    }
    graph.set(serviceName(i), [...dependsOn].sort());
  }
  return graph;
}

/** One synthetic deployment: what the ledger would hold about it, and its timeline row. */
interface Deployment {
  readonly key: string;
  readonly changeId: string | null;
  readonly service: string;
  readonly title: string | null;
  readonly version: string;
  readonly commit: string;
  readonly riskLevel: RiskLevel | null;
  readonly requestedAt: number | null;
  readonly startedAt: number;
  readonly deployedAt: number | null;
  readonly rolledBackAt: number | null;
}

const RISK: ReadonlyArray<[RiskLevel, 'low' | 'medium' | 'high', number]> = [
  ['low', 'low', 1],
  ['medium', 'medium', 3],
  ['high', 'high', 6],
];

function deployments(): Deployment[] {
  return Array.from({ length: CHANGES }, (_, i): Deployment => {
    const service = serviceName(between(0, SERVICES - 1));
    const startedAt = START + Math.floor(random() * DAYS * 24 * HOUR);
    const commit = hex(40);
    const version = `v${i}`;
    const roll = random();
    if (roll < 0.03) {
      // Deployed without a change: an unplanned deploy, recorded on the service stream.
      const deploymentId = `run-${i}`;
      return {
        key: `unplanned:${service}:production:${deploymentId}`,
        changeId: null,
        service,
        title: null,
        version: deploymentId,
        commit,
        riskLevel: null,
        requestedAt: null,
        startedAt,
        deployedAt: startedAt,
        rolledBackAt: null,
      };
    }
    const changeId = `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${String(i).padStart(12, '0')}`;
    const rollout = between(2, 30) * MINUTE;
    const [riskLevel] = RISK[random() < 0.7 ? 0 : random() < 0.67 ? 1 : 2];
    const base = {
      key: `change:${changeId}`,
      changeId,
      service,
      title: `change ${i}`,
      version,
      commit,
      riskLevel,
      requestedAt: startedAt - between(1, 48) * HOUR,
      startedAt,
    };
    if (roll < 0.04) return { ...base, deployedAt: null, rolledBackAt: null }; // still rolling out
    if (roll < 0.06) return { ...base, deployedAt: null, rolledBackAt: startedAt + rollout }; // failed rollout
    const deployedAt = startedAt + rollout;
    const rolledBackAt = roll < 0.1 ? deployedAt + between(10, 120) * MINUTE : null;
    return { ...base, deployedAt, rolledBackAt };
  });
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

async function bulkLoad(sql: SqlClient, graph: Map<string, string[]>, rows: Deployment[]) {
  const edges = [...graph].flatMap(([service, dependsOn]) => dependsOn.map((d) => [service, d]));
  await sql.query(
    'INSERT INTO incident_dependencies (service, depends_on) SELECT * FROM unnest($1::text[], $2::text[])',
    [edges.map((e) => e[0]), edges.map((e) => e[1])],
  );
  for (let offset = 0; offset < rows.length; offset += 10_000) {
    const batch = rows.slice(offset, offset + 10_000);
    const column = <T>(pick: (d: Deployment) => T) => batch.map(pick);
    await sql.query(
      `INSERT INTO deployment_timeline (deployment_key, service, environment, change_id,
         unplanned, title, version, commit, commit_prefix, risk_level, requested_at, started_at,
         deployed_at, rolled_back_at)
       SELECT key, service, 'production', change_id, change_id IS NULL, title, version, commit,
              left(commit, 7), risk_level, requested_at, started_at, deployed_at, rolled_back_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[],
                   $11::timestamptz[])
         AS t(key, service, change_id, title, version, commit, risk_level, requested_at,
              started_at, deployed_at, rolled_back_at)`,
      [
        column((d) => d.key),
        column((d) => d.service),
        column((d) => d.changeId),
        column((d) => d.title),
        column((d) => d.version),
        column((d) => d.commit),
        column((d) => d.riskLevel),
        column((d) => iso(d.requestedAt)),
        column((d) => iso(d.startedAt)),
        column((d) => iso(d.deployedAt)),
        column((d) => iso(d.rolledBackAt)),
      ],
    );
  }
  await sql.exec('ANALYZE deployment_timeline; ANALYZE incident_dependencies');
  return edges.length;
}

/** The feed events the ledger holds for a deployment, in the shapes the recorders write. */
function eventsOf(d: Deployment): Array<{ streamId: string; type: string; data: object }> {
  if (d.changeId === null) {
    const deploy = {
      service: d.service,
      environment: 'production',
      version: d.version,
      commit: d.commit,
      deploymentId: d.version,
      at: iso(d.startedAt) as string,
    };
    const observed: DeploymentObservedData = {
      ...deploy,
      phase: 'succeeded',
      format: 'generic',
      changeId: null,
      matchedBy: null,
    };
    const finding: UnplannedDeploymentDetectedData = {
      ...deploy,
      reason: 'no-matching-change',
      detail: 'no approved change matches this deploy',
      changeId: null,
    };
    return [
      { streamId: `service-${d.service}`, type: 'DeploymentObserved', data: observed },
      { streamId: `service-${d.service}`, type: 'UnplannedDeploymentDetected', data: finding },
    ];
  }
  const [level, blastRadius, score] = RISK.find(([l]) => l === d.riskLevel) ?? RISK[0];
  const streamId = `change-${d.changeId}`;
  const requested: ChangeRequestedData = {
    changeId: d.changeId,
    request: {
      title: d.title as string,
      description: 'benchmark change',
      type: 'standard',
      category: 'application',
      services: [d.service],
      environment: 'production',
      blastRadius,
      hasDatabaseMigration: false,
      externalRefs: { commit: d.commit },
    },
    requestedBy: 'alice',
    at: iso(d.requestedAt) as string,
  };
  const assessed: RiskAssessedData = {
    score,
    level,
    factors: [],
    route: 'automatic',
    requiredApprovals: 0,
    requiredCabApprovals: 0,
    requiresCab: false,
    routedBy: 'benchmark data',
    approvalSla: null,
    facts: NO_FACTS,
    mostCriticalTier: 1,
    conflicts: [],
    policyVersion: 'benchmark',
    at: requested.at,
  };
  const started: DeploymentStartedData = {
    startedBy: 'ci',
    version: d.version,
    commit: d.commit,
    outsideWindow: false,
    flaggedForReview: false,
    at: iso(d.startedAt) as string,
  };
  const events: Array<{ streamId: string; type: string; data: object }> = [
    { streamId, type: 'ChangeRequested', data: requested },
    { streamId, type: 'RiskAssessed', data: assessed },
    { streamId, type: 'DeploymentStarted', data: started },
  ];
  if (d.deployedAt !== null) {
    const deployed: ChangeDeployedData = {
      deployedBy: 'ci',
      version: d.version,
      commit: d.commit,
      at: iso(d.deployedAt) as string,
    };
    events.push({ streamId, type: 'ChangeDeployed', data: deployed });
  }
  if (d.rolledBackAt !== null) {
    const rolledBack: ChangeRolledBackData = {
      rolledBackBy: 'ci',
      reason: 'errors',
      at: iso(d.rolledBackAt) as string,
    };
    events.push({ streamId, type: 'ChangeRolledBack', data: rolledBack });
  }
  return events;
}

function catalogEvents(graph: Map<string, string[]>) {
  return [...graph].map(([name, dependsOn]) => {
    const data: ServiceRegisteredData = {
      name,
      owner: 'bench',
      tier: 2,
      dependsOn,
      registeredBy: 'root',
      at: new Date(START).toISOString(),
    };
    return { streamId: SERVICE_CATALOG_STREAM, type: 'ServiceRegistered', data };
  });
}

function recorded(events: Array<{ streamId: string; type: string; data: object }>) {
  return events.map(({ streamId, type, data }, i): RecordedEvent => ({
    eventId: randomUUID(),
    streamId,
    revision: 0,
    type,
    data: data as Record<string, unknown>,
    metadata: {
      actor: 'bench',
      source: 'bench',
      correlationId: 'bench',
      causationId: null,
      occurredAt: '',
      schemaVersion: 1,
    },
    recordedAt: '',
    prevHash: '',
    hash: '',
    position: String(i),
  }));
}

/**
 * Runs the sampled changes and the catalog through the real projection into schema
 * bench_sample, and compares its rows with the bulk-loaded ones.
 */
async function checkAgainstProjection(
  sql: SqlClient,
  graph: Map<string, string[]>,
  rows: Deployment[],
): Promise<number> {
  // Every sampled change deploys one service: one timeline row each.
  const sample = rows.filter((_, i) => i % SAMPLE_EVERY === 0);
  await sql.exec(
    [
      'CREATE SCHEMA bench_sample',
      ...incidentCorrelation.tables.map(
        (t) => `CREATE TABLE bench_sample.${t} (LIKE public.${t} INCLUDING ALL)`,
      ),
    ].join(';\n'),
  );
  await sql.transaction(async (tx) => {
    await tx.exec('SET LOCAL search_path = bench_sample, public');
    await incidentCorrelation.apply(
      tx,
      recorded([...catalogEvents(graph), ...sample.flatMap(eventsOf)]),
    );
  });
  const timeline = (schema: string, keys: string[]) =>
    sql.query(
      `SELECT * FROM ${schema}.deployment_timeline WHERE deployment_key = ANY($1::text[])
       ORDER BY deployment_key, service`,
      [keys],
    );
  const edges = (schema: string) =>
    sql
      .query(`SELECT * FROM ${schema}.incident_dependencies ORDER BY service, depends_on`)
      .then((r) => JSON.stringify(r));
  const keys = sample.map((d) => d.key);
  const projected = await timeline('bench_sample', keys);
  const bulk = await timeline('public', keys);
  if (projected.length !== sample.length || JSON.stringify(projected) !== JSON.stringify(bulk)) {
    throw new Error('bulk-loaded timeline rows differ from what the projection writes');
  }
  if ((await edges('bench_sample')) !== (await edges('public'))) {
    throw new Error('bulk-loaded dependency edges differ from what the projection writes');
  }
  return sample.length;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function main(): Promise<void> {
  await withBenchDatabase(async (url) => {
    const sql = new PgSqlClient({ connectionString: url, max: 4 });
    try {
      await migrate(sql, `projection:${incidentCorrelation.name}`, incidentCorrelation.migrations);
      const graph = dependencyGraph();
      const rows = deployments();
      const loading = performance.now();
      const edgeCount = await bulkLoad(sql, graph, rows);
      const loadSeconds = (performance.now() - loading) / 1000;
      const sampled = await checkAgainstProjection(sql, graph, rows);

      // Questions: a random service and a random moment, as alerts come.
      const questions = await Promise.all(
        Array.from({ length: QUERIES }, async () => {
          const service = serviceName(between(0, SERVICES - 1));
          const at = START + WINDOW_HOURS * HOUR + Math.floor(random() * (DAYS * 24 - 8) * HOUR);
          const upstream = await walkDependencies(
            sql,
            'incident_dependencies',
            'upstream',
            service,
            MAX_DEPENDENCY_DEPTH,
          );
          return { service, at, services: [service, ...upstream.map((u) => u.service)] };
        }),
      );
      const measured = { whatChanged: [] as number[], baseline: [] as number[] };
      const found = { whatChanged: [] as number[], baseline: [] as number[] };
      // Warm up, then alternate which goes first, so both see the same cache and load.
      for (const [i, q] of [...questions.slice(0, WARM_UP), ...questions].entries()) {
        const question = { service: q.service, at: q.at, windowHours: WINDOW_HOURS };
        const runs = {
          whatChanged: () =>
            whatChanged(sql, question, 'production').then((a) => a.suspects.length),
          baseline: () =>
            sql
              .query(
                `SELECT * FROM deployment_timeline
                 WHERE service = ANY($1::text[]) AND started_at BETWEEN $2 AND $3`,
                [q.services, iso(q.at - WINDOW_HOURS * HOUR), iso(q.at)],
              )
              .then((r) => r.length),
        };
        const order =
          i % 2 === 0
            ? (['whatChanged', 'baseline'] as const)
            : (['baseline', 'whatChanged'] as const);
        for (const name of order) {
          const started = performance.now();
          const rowCount = await runs[name]();
          if (i < WARM_UP) continue;
          measured[name].push(performance.now() - started);
          found[name].push(rowCount);
        }
      }
      report({ graph, rows, edgeCount, loadSeconds, sampled, questions, measured, found });
    } finally {
      await sql.close();
    }
  });
}

function report(run: {
  graph: Map<string, string[]>;
  rows: Deployment[];
  edgeCount: number;
  loadSeconds: number;
  sampled: number;
  questions: Array<{ services: string[] }>;
  measured: { whatChanged: number[]; baseline: number[] };
  found: { whatChanged: number[]; baseline: number[] };
}): void {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const [ours, bare] = [sorted(run.measured.whatChanged), sorted(run.measured.baseline)];
  const upstream = sorted(run.questions.map((q) => q.services.length - 1));
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const p = (values: number[], q: number) => percentile(values, q);
  console.log(
    `what-changed on PostgreSQL: ${fmt(run.rows.length)} deployments over ${fmt(SERVICES)} ` +
      `services, ${fmt(run.edgeCount)} dependency edges in ${TIERS} tiers, ${DAYS} days, ` +
      `${WINDOW_HOURS} h window`,
  );
  console.log(
    `  read-model tables loaded in bulk (${run.loadSeconds.toFixed(1)} s), not through the ` +
      `projection; ${fmt(run.sampled)} sampled changes and the catalog through the projection ` +
      `wrote identical rows`,
  );
  console.log(
    `  upstream services per question: median ${p(upstream, 0.5)}, p99 ${p(upstream, 0.99)}, ` +
      `max ${upstream[upstream.length - 1]}; suspects per answer: median ` +
      `${p(sorted(run.found.whatChanged), 0.5)}, max ${Math.max(...run.found.whatChanged)}`,
  );
  console.log(`  ${fmt(ours.length)} questions each, sequential, after ${WARM_UP} warm-up`);
  console.log(
    `  what-changed (walk + 3 range scans + ranking)   p50 ${ms(p(ours, 0.5))}  p99 ${ms(p(ours, 0.99))}`,
  );
  console.log(
    `  baseline: bare indexed SELECT by service, time  p50 ${ms(p(bare, 0.5))}  p99 ${ms(p(bare, 0.99))}` +
      `  (services given)`,
  );
  printFigure({
    figure: 'what-changed: p99 latency (ms)',
    value: p(ours, 0.99),
    unit: 'ms',
    baseline: { name: 'bare indexed SELECT by service, time', value: p(bare, 0.99) },
    aim: { atMost: 20 },
  });
  console.log(
    `  ratio p50 ${(p(ours, 0.5) / p(bare, 0.5)).toFixed(2)}×, p99 ` +
      `${(p(ours, 0.99) / p(bare, 0.99)).toFixed(2)}×; target p99 < 20 ms: ` +
      `${p(ours, 0.99) < 20 ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
