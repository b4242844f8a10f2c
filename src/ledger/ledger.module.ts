import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { TransparencyController } from './api/transparency.controller';
import { TransparencyQueries } from './api/transparency-queries';
import { VerificationController } from './api/verification.controller';
import { CheckpointStore } from './checkpointer/checkpoint-store';
import { loadLedgerKeys } from './checkpointer/ledger-keys';
import { LEDGER_KEYS, TransparencyLog } from './checkpointer/transparency-log';
import { LedgerTree } from './tree/ledger-tree';

/**
 * Verification of the ledger: the hash chains, the Merkle tree over the global feed, its
 * signed checkpoints and their proofs. Global: evidence bundles and the Kafka outbox use them.
 */
@Global()
@Module({
  controllers: [VerificationController, TransparencyController],
  providers: [
    {
      provide: LEDGER_KEYS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loadLedgerKeys(config.transparency, config.dataDir),
    },
    {
      provide: LedgerTree,
      inject: [SQL_CLIENT],
      useFactory: (sql: SqlClient) => new LedgerTree(sql),
    },
    {
      provide: CheckpointStore,
      inject: [SQL_CLIENT],
      useFactory: (sql: SqlClient) => new CheckpointStore(sql),
    },
    TransparencyLog,
    TransparencyQueries,
  ],
  exports: [LEDGER_KEYS, LedgerTree, CheckpointStore],
})
export class LedgerModule {}
