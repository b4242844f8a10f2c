/**
 * Catch-up speed of every read model registered in src/read-models.ts, run as the
 * service runs them (one ProjectionRunner each, concurrently, over the real SQL event store),
 * against a baseline measured in the same run: reading the same feed page by page (readAll,
 * same page size) without projecting.
 *
 * The ledger is a fresh throw-away PostgreSQL database (BENCH_DATABASE_URL, as bench:append),
 * bulk-loaded with realistic, validly hash-chained events: change lifecycles decided by the real
 * decider (refusals included), interleaved as many changes in flight, plus the deploys ingest
 * records on service streams. Loading is set-up and is not measured.
 *
 *   npm run bench:projections [-- --events 1000000 --batch 500 --in-flight 500
 *                              --budget-seconds 150 --only compliance,change-catalog --verify]
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Principal } from '../src/kernel/principal';
import { loadConfig } from '../src/load-config';
import type { ChangeRequest } from '../src/changes/domain/change-request';
import { initialState, type ChangeState } from '../src/changes/domain/change-state';
import type { ChangeCommandBody, ChangeCommandKind } from '../src/changes/domain/commands';
import { decide } from '../src/changes/domain/decide';
import { complete, type SpecIntent } from '../src/changes/domain/fixtures/decision-context';
import { DomainError } from '../src/kernel/domain-error';
import type { ChangeEvent } from '../src/changes/domain/events';
import { evolve } from '../src/changes/domain/evolve';
import { refusalRecord } from '../src/changes/domain/refusal-record';
import { changeStreamId } from '../src/changes/domain/change-stream';
import { serviceStreamId, type ServiceEvent } from '../src/deployments/domain/service-events';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { chainEvents, type StreamHead } from '../src/ledger/hash-chain';
import type { ProposedEvent } from '../src/ledger/ledger-event';
import { proposeEvent } from '../src/ledger/propose-event';
import { verifyLog } from '../src/ledger/verification/verify-log';
import { ProjectionRunner } from '../src/ledger/projection-runner';
import { projectionsFor } from '../src/read-models';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import type { SqlClient } from '../src/sql/sql-client';
import { withBenchDatabase } from './support/bench-database';
import { peakRssMb, printFigure, rssDuring } from './support/bench-figures';
import { insertChunk, readFeed } from './support/ledger-load';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '500' },
    'in-flight': { type: 'string', default: '500' },
    // Comma-separated read model names, to look at some alone; all registered by default.
    only: { type: 'string' },
    // Stop the runners after this many seconds of catch-up and report how far they got.
    'budget-seconds': { type: 'string', default: '150' },
    // Check the loaded ledger with the auditor's whole-log verification first, timed against
    // the same baseline (reading the feed), with the RSS it takes.
    verify: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
// The page size the service's runners use (ProjectionRegistry).
const BATCH = Number(values.batch);
const IN_FLIGHT = Number(values['in-flight']);
const BUDGET_SECONDS = Number(values['budget-seconds']);
const SERVICES = 200;
const SELECTED = values.only?.split(',');
// As the service builds them, from the same environment (e.g. WHAT_CHANGED_WINDOW_HOURS).
const MEASURED = projectionsFor(loadConfig()).filter(
  (p) => SELECTED === undefined || SELECTED.includes(p.name),
);
const LOAD_CHUNK = 5000;
/** Simulated time each change in flight takes for one step. */
const ROUND_MS = 60_000;

const alice: Principal = { id: 'alice', roles: ['requester'] };
const admin: Principal = { id: 'root', roles: ['admin'] };
const bob: Principal = { id: 'bob', roles: ['approver'] };
const carol: Principal = { id: 'carol', roles: ['approver', 'cab'] };
const ci: Principal = { id: 'ci-bot', roles: ['deployer'] };

interface StreamBatch {
  readonly streamId: string;
  readonly events: ProposedEvent[];
}

type Step = (at: string) => StreamBatch[];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One change driven through the real decider; a refusal is kept as the handler keeps it. */
class ChangeRun {
  private state: ChangeState = initialState;
  readonly changeId = randomUUID();
  readonly service: string;

  constructor(readonly index: number) {
    this.service = `svc-${index % SERVICES}`;
  }

  command<K extends ChangeCommandKind>(
    kind: K,
    body: Omit<ChangeCommandBody<K>, 'kind'>,
    actor: Principal,
    at: string,
  ): StreamBatch {
    const command = complete({ ...body, kind, changeId: this.changeId, actor, at } as SpecIntent);
    let events: ChangeEvent[];
    try {
      events = decide(command, this.state);
    } catch (error) {
      const refusal = error instanceof DomainError ? refusalRecord(command, error) : null;
      if (!refusal) throw error;
      events = [refusal];
    }
    events.forEach((event) => (this.state = evolve(this.state, event)));
    return {
      streamId: changeStreamId(this.changeId),
      events: events.map((e) => propose(e.type, e.data, actor.id, at)),
    };
  }

  /** What ingest records on the service's stream for a reported deploy of this change. */
  observed(phase: 'started' | 'succeeded', at: string, flagged?: string): StreamBatch {
    const base = { service: this.service, environment: 'production', version: `1.${this.index}.0` };
    const events: ServiceEvent[] = [
      {
        type: 'DeploymentObserved',
        data: {
          ...base,
          phase,
          format: 'generic',
          changeId: this.changeId,
          matchedBy: 'change-id',
          at,
        },
      },
    ];
    if (flagged) {
      events.push({
        type: 'UnplannedDeploymentDetected',
        data: { ...base, reason: flagged, detail: 'refused', changeId: this.changeId, at },
      });
    }
    return serviceBatch(this.service, events, at);
  }
}

function propose(type: string, data: object, actor: string, at: string): ProposedEvent {
  return proposeEvent(randomUUID(), type, data, {
    actor,
    source: 'bench',
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: at,
  });
}

function serviceBatch(service: string, events: ServiceEvent[], at: string): StreamBatch {
  return {
    streamId: serviceStreamId(service),
    events: events.map((e) => propose(e.type, e.data, 'ingest:generic', at)),
  };
}

function request(index: number, overrides: Partial<ChangeRequest>): ChangeRequest {
  return {
    title: `Change ${index}`,
    description: 'benchmark change',
    type: 'normal',
    category: 'application',
    services: [`svc-${index % SERVICES}`],
    environment: 'production',
    blastRadius: index % 9 === 0 ? 'high' : 'low',
    hasDatabaseMigration: false,
    justification: 'load',
    rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 10 },
    testPlan: index % 11 === 0 ? undefined : 'staging',
    ...overrides,
  };
}

/**
 * The steps of change `index`, one scenario out of twenty: most are normal changes rolled out
 * in stages, some are standard or emergency, some roll back, some try to get around a rule.
 */
function lifeOf(index: number): Step[] {
  const run = new ChangeRun(index);
  const scenario = index % 20;
  const approve = (at: string) =>
    [run.command('ApproveChange', {}, bob, at)].concat(
      index % 9 === 0 ? [run.command('ApproveChange', {}, carol, at)] : [],
    );
  const rollout: Step[] = [
    (at) => [
      run.command('StartDeployment', { version: '2.0.0' }, ci, at),
      run.observed('started', at),
    ],
    (at) => [
      run.command('CompleteRolloutStage', { stage: 'canary', percent: 5, gates: [] }, ci, at),
    ],
    (at) => [
      run.command('CompleteRolloutStage', { stage: 'half', percent: 50, gates: [] }, ci, at),
    ],
    (at) => [
      run.command('MarkDeployed', { version: '2.0.0' }, ci, at),
      run.observed('succeeded', at),
    ],
    (at) => [run.command('VerifyChange', {}, ci, at)],
  ];
  const close =
    (outcome: 'successful' | 'failed' | 'rolled-back'): Step =>
    (at) => [run.command('CloseChange', { outcome }, alice, at)];
  const requested =
    (overrides: Partial<ChangeRequest> = {}, by = alice): Step =>
    (at) => [run.command('RequestChange', { request: request(index, overrides) }, by, at)];
  switch (scenario) {
    case 13:
      // Rolled back at the canary, closed as rolled back.
      return [
        requested(),
        approve,
        rollout[0],
        rollout[1],
        (at) => [run.command('RollBackChange', { reason: 'canary errors' }, ci, at)],
        close('rolled-back'),
      ];
    case 14:
      // Deployed without a rollback plan, rolled back, closed as failed.
      return [
        requested({ rollbackPlan: undefined }),
        approve,
        ...rollout.slice(0, 4),
        (at) => [run.command('RollBackChange', { reason: 'errors' }, ci, at)],
        close('failed'),
      ];
    case 15:
    case 16:
      return [
        // A standard change exists only as a policy template (the fixture policy's `routine`):
        // its rollback plan is the template's, and its risk within the template's.
        requested({
          type: 'standard',
          templateId: 'routine',
          rollbackPlan: undefined,
          blastRadius: 'low',
        }),
        (at) => [run.command('MarkDeployed', {}, ci, at), run.observed('succeeded', at)],
        close('successful'),
      ];
    case 17:
    case 18:
      // Emergencies; every other one never reviewed.
      return [
        requested({ type: 'emergency' }),
        (at) => [run.command('MarkDeployed', {}, ci, at), run.observed('succeeded', at)],
        ...(scenario === 17
          ? [
              (at: string) => [run.command('RecordReview', { summary: 'ok' }, bob, at)],
              close('successful'),
            ]
          : []),
      ];
    case 19:
      // CI deploys before approval (refused and flagged), then the real rollout; and a deploy
      // on another service nobody approved.
      return [
        requested(),
        (at) => [
          run.command('MarkDeployed', {}, ci, at),
          run.observed('succeeded', at, 'not-approved'),
        ],
        approve,
        ...rollout,
        close('successful'),
        (at) => [
          serviceBatch(
            `svc-${(index + 7) % SERVICES}`,
            [
              {
                type: 'UnplannedDeploymentDetected',
                data: {
                  service: `svc-${(index + 7) % SERVICES}`,
                  environment: 'production',
                  reason: 'no-matching-change',
                  detail: 'no approved change matches this deploy',
                  changeId: null,
                  at,
                },
              },
            ],
            at,
          ),
        ],
      ];
    case 12:
      // The requester (an admin) tries to approve their own change first.
      return [
        requested({}, admin),
        (at) => [run.command('ApproveChange', {}, admin, at)],
        approve,
        ...rollout,
        close('successful'),
      ];
    default:
      return [requested(), approve, ...rollout, close('successful')];
  }
}

/** The history, hash-chained, in the order it is appended: many changes in flight at once. */
function* ledgerRows(total: number): Generator<ReturnType<typeof chainEvents>> {
  const heads = new Map<string, StreamHead>();
  const inFlight: Array<{ steps: Step[]; next: number; streamIds: Set<string> }> = [];
  let started = 0;
  let emitted = 0;
  let clock = Date.parse('2025-01-06T08:00:00Z');
  while (emitted < total) {
    while (inFlight.length < IN_FLIGHT) {
      inFlight.push({ steps: lifeOf(started++), next: 0, streamIds: new Set() });
    }
    for (let i = 0; i < inFlight.length && emitted < total; i++) {
      const life = inFlight[i];
      clock += ROUND_MS / IN_FLIGHT;
      const at = new Date(clock).toISOString();
      for (const batch of life.steps[life.next](at)) {
        if (batch.events.length === 0) continue;
        const chained = chainEvents(
          batch.streamId,
          heads.get(batch.streamId) ?? null,
          batch.events,
          at,
        );
        const last = chained[chained.length - 1];
        heads.set(batch.streamId, { revision: last.revision, hash: last.hash });
        if (batch.streamId.startsWith('change-')) life.streamIds.add(batch.streamId);
        emitted += chained.length;
        yield chained;
      }
      life.next += 1;
      if (life.next === life.steps.length) {
        // Done with this change: its head is no longer needed, keep memory flat.
        life.streamIds.forEach((id) => heads.delete(id));
        inFlight[i] = { steps: lifeOf(started++), next: 0, streamIds: new Set() };
      }
    }
  }
}

/** Generates the next chunk while the database stores the previous one. */
async function load(sql: SqlClient): Promise<number> {
  let chunk: ReturnType<typeof chainEvents> = [];
  let storing: Promise<void> = Promise.resolve();
  let loaded = 0;
  const store = async () => {
    const rows = chunk;
    chunk = [];
    loaded += rows.length;
    await storing;
    storing = insertChunk(sql, rows);
  };
  for (const rows of ledgerRows(EVENTS)) {
    chunk.push(...rows);
    if (chunk.length >= LOAD_CHUNK) await store();
  }
  if (chunk.length > 0) await store();
  await storing;
  await sql.exec('ANALYZE ledger_events');
  return loaded;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

interface Progress {
  readonly name: string;
  readonly applied: number;
  /** When it caught up, or when the budget ran out. */
  readonly seconds: number;
  readonly caughtUp: boolean;
}

/**
 * Every runner started as the service starts them, watched through its checkpoint until all
 * have applied the whole ledger or the time budget runs out.
 */
async function catchUp(runners: ProjectionRunner[], total: number): Promise<Progress[]> {
  for (const runner of runners) await runner.prepare();
  const started = process.hrtime.bigint();
  await Promise.all(runners.map((runner) => runner.start()));
  const progress = new Map<string, Progress>();
  while (progress.size < runners.length) {
    await sleep(200);
    const elapsed = seconds(started);
    const outOfTime = elapsed > BUDGET_SECONDS;
    for (const runner of runners) {
      const name = runner.projection.name;
      if (progress.has(name)) continue;
      const { events } = await runner.checkpoint();
      if (events >= total || outOfTime) {
        progress.set(name, { name, applied: events, seconds: elapsed, caughtUp: events >= total });
      }
    }
  }
  await Promise.all(runners.map((runner) => runner.stop()));
  return runners.map((runner) => progress.get(runner.projection.name) as Progress);
}

/** The auditor's whole-log check (GET /verify), timed, with the RSS it takes. */
async function verifyWholeLog(store: SqlEventStore, feedRate: number): Promise<void> {
  const started = process.hrtime.bigint();
  const { result: verdict, beforeMb, peakMb } = await rssDuring(() => verifyLog(store));
  const rate = verdict.events / seconds(started);
  console.log(`verify    whole log: ${fmt(rate)} events/s, ${JSON.stringify(verdict)}`);
  console.log(`          RSS ${fmt(beforeMb)} MB before, ${fmt(peakMb)} MB at most`);
  if (!verdict.intact) throw new Error('the generated ledger does not verify');
  printFigure({
    figure: `verify: whole log, ${fmt(verdict.events)} events (events/s)`,
    value: rate,
    unit: 'events/s',
    baseline: { name: 'readAll pages, no checking', value: feedRate },
    aim: { atLeast: 100_000 },
  });
  printFigure({
    figure: 'verify: RSS growth while verifying (MB)',
    value: peakMb - beforeMb,
    unit: 'MB',
  });
}

async function main(): Promise<void> {
  console.log(
    `projection catch-up benchmark: ${fmt(EVENTS)} events, pages of ${BATCH}, ` +
      `${IN_FLIGHT} changes in flight, catch-up budget ${BUDGET_SECONDS} s; ` +
      `read models: ${MEASURED.map((p) => p.name).join(', ')}`,
  );
  await withBenchDatabase(async (url) => {
    const sql = new PgSqlClient({ connectionString: url, max: 4 + 2 * MEASURED.length });
    const store = await SqlEventStore.open('postgres', sql);
    try {
      const loading = process.hrtime.bigint();
      const events = await load(sql);
      console.log(
        `set-up: ${fmt(events)} hash-chained events generated and loaded in ${seconds(loading).toFixed(1)} s`,
      );

      const baseline = await readFeed(store, BATCH);
      const baselineRate = baseline.events / baseline.seconds;
      console.log(
        `baseline  readAll pages, no projecting: ${fmt(baselineRate)} events/s ` +
          `(${fmt(baseline.events)} in ${baseline.seconds.toFixed(1)} s)`,
      );

      if (values.verify) await verifyWholeLog(store, baselineRate);

      const runners = MEASURED.map(
        (projection) =>
          new ProjectionRunner(store, sql, projection, {
            batchSize: BATCH,
            idleMs: 100,
            onFailure: (error) => console.error(projection.name, error),
          }),
      );
      const progress = await catchUp(runners, events);
      for (const p of progress) {
        printFigure({
          figure: `projections: ${p.name}, all ${progress.length} at once (events/s)`,
          value: p.applied / p.seconds,
          unit: 'events/s',
          baseline: { name: 'readAll pages, no projecting', value: baselineRate },
          aim: { atLeast: 20_000 },
        });
        console.log(
          `  ${p.name.padEnd(22)} ${fmt(p.applied / p.seconds).padStart(7)} events/s ` +
            `(${fmt(p.applied)} applied in ${p.seconds.toFixed(1)} s` +
            `${p.caughtUp ? '' : ', stopped by the budget'})`,
        );
      }
      // The read models are caught up when the slowest one is.
      const slowest = Math.min(...progress.map((p) => p.applied / p.seconds));
      const all = progress.every((p) => p.caughtUp);
      console.log(
        `all read models, concurrently: ${fmt(slowest)} events/s ` +
          `(${all ? 'all caught up' : 'budget ran out before all caught up'})`,
      );
      console.log(`ratio projected / baseline read: ${(slowest / baselineRate).toFixed(3)}`);
      const rebuild = Math.max(...progress.map((p) => (p.caughtUp ? p.seconds : Infinity)));
      printFigure({
        figure: `projections: rebuild of ${fmt(events)} events, all at once (s)`,
        value: rebuild,
        unit: 's',
        // The aim is for 1,000,000 events; a smaller run is held to its share of it.
        aim: { atMost: (60 * events) / 1_000_000 },
      });
      console.log(`peak RSS: ${fmt(peakRssMb())} MB`);
    } finally {
      await store.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
