import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ApiProblems } from '../../http/api-problems.decorator';
import { servedNote } from '../checkpointer/checkpoint-store';
import { TransparencyQueries } from './transparency-queries';
import {
  CheckpointQuery,
  ConsistencyProofDto,
  ConsistencyProofQuery,
  EntriesQuery,
  InclusionProofDto,
  InclusionProofQuery,
  LedgerKeysDto,
} from './transparency.dto';

const NOTE_TYPE = 'text/plain; charset=utf-8';

function note(reply: FastifyReply, text: string, cache: string): string {
  void reply.header('content-type', NOTE_TYPE).header('cache-control', cache);
  return text;
}

/**
 * The verifiable log: signed checkpoints (C2SP signed notes), RFC 9162 proofs against them,
 * the keys to check the signatures with, and the entries to recompute the tree from.
 */
@ApiTags('verification')
@ApiBearerAuth()
@ApiProblems()
@Controller('ledger')
export class TransparencyController {
  constructor(private readonly queries: TransparencyQueries) {}

  @Get('checkpoint')
  @ApiOperation({
    summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), with witness cosignatures',
    description:
      'Save it: a later tree must be consistent with it (GET /ledger/proofs/consistency).',
  })
  @ApiProduces(NOTE_TYPE)
  @ApiOkResponse({ description: 'The signed note', schema: { type: 'string' } })
  async latest(@Res({ passthrough: true }) reply: FastifyReply) {
    return note(reply, servedNote(await this.queries.latestCheckpoint()), 'no-cache');
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'The checkpoint signed at a past tree size' })
  @ApiProduces(NOTE_TYPE)
  @ApiOkResponse({ description: 'The signed note', schema: { type: 'string' } })
  async past(@Query() query: CheckpointQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    // Cosignatures may still arrive: cache for a while, not for ever.
    return note(reply, await this.queries.checkpoint(query.size), 'max-age=60');
  }

  @Get('proofs/inclusion')
  @ApiOperation({
    summary: "An event's inclusion proof (RFC 9162) in a tree of the given size",
    description:
      'Recompute the leaf from the event and check the path against the root of a signed checkpoint of that size.',
  })
  @ApiOkResponse({ type: InclusionProofDto })
  inclusion(@Query() query: InclusionProofQuery) {
    return this.queries.inclusionProof(query.eventId, query.treeSize);
  }

  @Get('proofs/consistency')
  @ApiOperation({
    summary: 'A consistency proof (RFC 9162) that the tree of size `to` extends the one of `from`',
  })
  @ApiOkResponse({ type: ConsistencyProofDto })
  consistency(@Query() query: ConsistencyProofQuery) {
    return this.queries.consistencyProof(query.from, query.to);
  }

  @Get('keys')
  @ApiOperation({
    summary:
      "The log's verification keys (signed-note vkeys), current and retired, and its witnesses",
  })
  @ApiOkResponse({ type: LedgerKeysDto })
  keys() {
    return this.queries.keysView();
  }

  @Get('entries')
  @ApiOperation({
    summary: 'The ledger events of leaves [start, end), in leaf order, as NDJSON',
    description:
      'One line a leaf: {"leafIndex", "event"}. What the store holds now, for an auditor to recompute the tree from (change-ledger verify-log --full).',
  })
  @ApiProduces('application/x-ndjson')
  async entries(@Query() query: EntriesQuery, @Res() reply: FastifyReply) {
    const lines = await this.queries.entries(query.start, query.end);
    return reply.header('content-type', 'application/x-ndjson').send(Readable.from(lines));
  }
}
