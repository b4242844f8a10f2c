import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { changeStreamId } from '../../changes/application/change-stream';
import { DomainError } from '../../changes/domain/domain-error';
import { ApiProblems } from '../../http/api-problems.decorator';
import { EVENT_STORE, type EventStore } from '../event-store';
import { verifyLog } from '../verification/verify-log';
import { verifyStream } from '../verification/verify-stream';
import { VerificationDto } from './verification.dto';

/** Anyone with a key may check the record was not edited: that is the point of it. */
@ApiTags('verification')
@ApiBearerAuth()
@ApiProblems()
@Controller()
export class VerificationController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('changes/:id/verify')
  @ApiOperation({ summary: "Recompute a change's hash chain and report the first broken link" })
  @ApiOkResponse({ type: VerificationDto })
  async verifyChange(@Param('id', new ParseUUIDPipe()) id: string) {
    const streamId = changeStreamId(id);
    const events = await this.store.readStream(streamId);
    if (events.length === 0) {
      throw new DomainError('change-not-found', `change ${id} does not exist`);
    }
    return verifyStream(streamId, events);
  }

  @Get('ledger/verify')
  @ApiOperation({
    summary: 'Verify every stream of the whole log, streamed in global order',
    description:
      'Constant memory; reports the first broken link with its stream, revision and position.',
  })
  @ApiOkResponse({ type: VerificationDto })
  verifyLedger() {
    return verifyLog(this.store);
  }
}
