import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Metrics } from '../../observability/metrics';
import { ProjectionRunner } from '../projection-runner';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { EVENT_STORE, type EventStore } from '../event-store';
import { followerLogging } from '../follower-logging';
import { isStoreOutage } from '../ledger-errors';
import { LedgerTree } from '../tree/ledger-tree';
import { ledgerTree } from '../tree/ledger-tree.projection';
import { CheckpointStore } from './checkpoint-store';
import { Checkpointer } from './checkpointer';
import { keyLabel, type LedgerKeys } from './ledger-keys';
import { WitnessClient } from './witness-client';

export const LEDGER_KEYS = Symbol('LedgerKeys');

/**
 * The verifiable side of the ledger, for as long as the application runs: the Merkle tree
 * follows the global feed (on the same runner, lock and checkpointing as the read models), and
 * the checkpointer signs its head and gathers witnesses' cosignatures.
 */
@Injectable()
export class TransparencyLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('transparency');
  private readonly builder: ProjectionRunner;
  private readonly checkpointer: Checkpointer;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEDGER_KEYS) keys: LedgerKeys,
    private readonly checkpoints: CheckpointStore,
    tree: LedgerTree,
    metrics: Metrics,
  ) {
    const { transparency } = config;
    this.builder = new ProjectionRunner(store, sql, ledgerTree, {
      batchSize: 500,
      idleMs: 100,
      backoff: config.retryBackoff,
      ...followerLogging('merkle tree', this.logger),
    });
    const signed = new Counter({
      name: 'ledger_checkpoints_signed_total',
      help: 'Checkpoints (signed tree heads) this instance signed',
      registers: [metrics.registry],
    });
    const cosignatures = new Counter({
      name: 'ledger_witness_answers_total',
      help: 'Witness answers to add-checkpoint, by witness and outcome',
      labelNames: ['witness', 'outcome'],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'ledger_tree_leaves',
      help: 'Leaves of the Merkle tree (tree) and of the latest signed checkpoint (checkpoint)',
      labelNames: ['of'],
      registers: [metrics.registry],
      async collect() {
        // While the database is down the sizes are unknown: no sample rather than a stale one,
        // and the rest of /metrics still answers.
        const sizes = await Promise.all([tree.size(), checkpoints.latest()]).catch(() => null);
        if (sizes === null) {
          this.reset();
          return;
        }
        this.set({ of: 'tree' }, sizes[0]);
        this.set({ of: 'checkpoint' }, sizes[1]?.treeSize ?? 0);
      },
    });
    this.checkpointer = new Checkpointer(
      sql,
      // Checks read the tiles as stored, never a cached copy.
      new LedgerTree(sql, 0),
      checkpoints,
      keys,
      {
        origin: transparency.origin,
        everyEvents: transparency.checkpointEveryEvents,
        everySeconds: transparency.checkpointEverySeconds,
      },
      transparency.witnesses.map((witness) => new WitnessClient(witness)),
      {
        signed: (checkpoint) => {
          signed.inc();
          this.logger.debug(`signed checkpoint ${checkpoint.treeSize}`);
        },
        cosigned: (witness) => cosignatures.inc({ witness, outcome: 'cosigned' }),
        witnessFailed: (witness, error) => {
          cosignatures.inc({ witness, outcome: 'failed' });
          this.logger.warn(`no cosignature from ${witness}: ${String(error)}`);
        },
        failed: (error) =>
          isStoreOutage(error)
            ? this.logger.warn(`checkpointer waits for the database: ${String(error)}`)
            : this.logger.error(`checkpointer: ${String(error)}`),
      },
      200,
      config.retryBackoff,
    );
    if (keys.source.generated) {
      this.logger.warn(
        `generated a checkpoint signing key at ${keys.source.file} (${keyLabel(keys.signer.verifier)}); ` +
          'set LEDGER_SIGNING_KEY_FILE for anything but evaluation',
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.prepare();
    await this.builder.start();
    this.checkpointer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
    await this.builder.stop();
  }
}
