import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ChangeCommandsController } from './api/change-commands.controller';
import { ChangeQueriesController } from './api/change-queries.controller';
import { ChangeQueries } from './application/change-queries';
import { ExecuteChangeCommandHandler } from './application/execute-change-command.handler';

@Module({
  controllers: [ChangeCommandsController, ChangeQueriesController],
  providers: [ExecuteChangeCommandHandler, ChangeQueries, Clock],
  exports: [ExecuteChangeCommandHandler],
})
export class ChangesModule {}
