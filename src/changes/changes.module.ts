import { Module } from '@nestjs/common';
import { FreezesModule } from '../freezes/freezes.module';
import { ServicesModule } from '../services/services.module';
import { ChangeCommandsController } from './api/change-commands.controller';
import { ChangeVerificationController } from './api/change-verification.controller';
import { ChangeQueriesController } from './api/change-queries.controller';
import { ApprovalSlaWatch } from './application/approval-sla.watch';
import { ChangeQueries } from './application/change-queries';
import { DecisionContext } from './application/decision-context';
import { OverlappingChangesReader } from './application/overlapping-changes.reader';
import { ExecuteChangeCommandHandler } from './application/execute-change-command.handler';

@Module({
  imports: [ServicesModule, FreezesModule],
  controllers: [ChangeCommandsController, ChangeQueriesController, ChangeVerificationController],
  providers: [
    ExecuteChangeCommandHandler,
    ChangeQueries,
    DecisionContext,
    OverlappingChangesReader,
    ApprovalSlaWatch,
  ],
  exports: [ExecuteChangeCommandHandler],
})
export class ChangesModule {}
