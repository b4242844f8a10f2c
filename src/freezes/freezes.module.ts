import { Module } from '@nestjs/common';
import { FreezesController } from './api/freezes.controller';
import { ExecuteFreezeCommandHandler } from './application/execute-freeze-command.handler';
import { FreezeCalendarReader } from './freeze-calendar.reader';

/** Ad-hoc change freezes, declared through the API and kept on the ledger. */
@Module({
  controllers: [FreezesController],
  providers: [ExecuteFreezeCommandHandler, FreezeCalendarReader],
  exports: [FreezeCalendarReader],
})
export class FreezesModule {}
