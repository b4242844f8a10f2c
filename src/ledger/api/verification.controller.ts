import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../http/api-problems.decorator';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { CheckpointStore } from '../checkpointer/checkpoint-store';
import type { LedgerKeys } from '../checkpointer/ledger-keys';
import { LEDGER_KEYS } from '../checkpointer/transparency-log';
import { EVENT_STORE, type EventStore } from '../event-store';
import { LedgerTree } from '../tree/ledger-tree';
import { verifyTree } from '../tree/verify-tree';
import { verifyLog } from '../verification/verify-log';
import { VerificationDto } from '../verification/verification.dto';

/** Anyone with a key may check the record was not edited: that is the point of it. */
@ApiTags('verification')
@ApiBearerAuth()
@ApiProblems()
@Controller()
export class VerificationController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(LEDGER_KEYS) private readonly keys: LedgerKeys,
    private readonly checkpoints: CheckpointStore,
  ) {}

  @Get('ledger/verify')
  @ApiOperation({
    summary:
      'Verify the whole log: every hash chain, and the Merkle tree against the signed checkpoints',
    description:
      'Constant memory. Reports the first broken link (stream, revision, position), and under ' +
      '`tree` the first leaf whose event differs from what the tree recorded (stream and revision ' +
      'expected and found) and any signed checkpoint the stored events no longer reproduce: an ' +
      'edit with recomputed chain hashes, a deleted stream and a truncated tail all show there.',
  })
  @ApiOkResponse({ type: VerificationDto })
  async verifyLedger() {
    const [chain, tree] = await Promise.all([
      verifyLog(this.store),
      verifyTree({
        feed: this.store,
        // The tiles as stored, never a cached copy.
        tree: new LedgerTree(this.sql, 0),
        checkpoints: this.checkpoints,
        sql: this.sql,
        verifiers: this.keys.verifiers,
      }),
    ]);
    return { ...chain, intact: chain.intact && tree.intact, tree };
  }
}
