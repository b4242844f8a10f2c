import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../http/api-problems.decorator';
import { DomainError } from '../../kernel/domain-error';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { VerificationDto } from '../../ledger/verification/verification.dto';
import { verifyStream } from '../../ledger/verification/verify-stream';
import { changeStreamId } from '../domain/change-stream';

/** Anyone with a key may check a change's record was not edited: that is the point of it. */
@ApiTags('verification')
@ApiBearerAuth()
@ApiProblems()
@Controller('changes')
export class ChangeVerificationController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':id/verify')
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
}
