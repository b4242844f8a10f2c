import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRoles } from '../../auth/access.decorators';
import type { Principal } from '../../kernel/principal';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ReadModel } from '../../projections/read-model.decorator';
import { changeCatalog } from '../read-model/change-catalog.projection';
import { ChangeQueries } from '../application/change-queries';
import { RecordedEventDto } from '../../ledger/recorded-event.dto';
import { AwaitingApprovalQuery } from './dto/awaiting-approval.query';
import {
  AwaitingApprovalListDto,
  ChangeConflictsDto,
  ChangeViewDto,
} from './dto/change-responses.dto';
import { ListChangesQuery } from './dto/list-changes.query';
import { ChangeListDto } from './dto/change-list.dto';

const changeId = new ParseUUIDPipe();

/** Reading needs any valid key: every role may see the record. */
@ApiTags('changes')
@ApiBearerAuth()
@ApiProblems()
@Controller('changes')
export class ChangeQueriesController {
  constructor(private readonly queries: ChangeQueries) {}

  @Get()
  @ReadModel(changeCatalog.name)
  @ApiOperation({
    summary: 'List and search changes (newest first)',
    description: 'Served from the change catalog read model, a few milliseconds behind the ledger.',
  })
  @ApiOkResponse({ type: ChangeListDto })
  list(@Query() query: ListChangesQuery) {
    return this.queries.list(query);
  }

  @Get('awaiting-my-approval')
  @RequireRoles('approver', 'cab')
  @ReadModel(changeCatalog.name)
  @ApiOperation({
    summary: "Changes waiting for the caller's approval, oldest request first",
    description:
      'Open changes (awaiting approval or deferred) someone else requested, that the caller ' +
      'has not approved yet and whose quorum still needs them (once enough approvers said ' +
      'yes, only CAB members are waited for). Each with its request, assessment (route, risk ' +
      'factors, policy version), approvals so far and SLA deadline.',
  })
  @ApiOkResponse({ type: AwaitingApprovalListDto })
  awaitingMyApproval(
    @Query() query: AwaitingApprovalQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.awaitingApprovalBy(principal, query.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A change and its current state, folded from its events' })
  @ApiOkResponse({ type: ChangeViewDto })
  get(@Param('id', changeId) id: string) {
    return this.queries.change(id);
  }

  @Get(':id/conflicts')
  @ReadModel(changeCatalog.name)
  @ApiOperation({
    summary: "What the change's window runs into: other changes, freezes, blackouts",
    description:
      'Other open changes whose window overlaps on the same service or on one it depends on ' +
      '(from the change catalog and service graph read models), and freezes and blackouts, ' +
      'each with what the policy does about it (warn or refuse).',
  })
  @ApiOkResponse({ type: ChangeConflictsDto })
  conflicts(@Param('id', changeId) id: string) {
    return this.queries.conflicts(id);
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'The full trail: every event with its position and hashes' })
  @ApiOkResponse({ type: [RecordedEventDto] })
  events(@Param('id', changeId) id: string) {
    return this.queries.trail(id);
  }
}
