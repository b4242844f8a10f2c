import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequireRoles } from '../../auth/access.decorators';
import type { Principal } from '../../kernel/principal';
import { Clock } from '../../common/clock';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { ApiOrigin } from '../../http/command-origin.decorator';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ExecuteChangeCommand, type ChangeCommandResult } from '../execute-change-command';
import type { CommandOrigin } from '../../kernel/command-origin';
import type { ChangeCommandBody, ChangeCommandKind, ChangeIntent } from '../domain/commands';
import {
  CloseChangeDto,
  CompleteRolloutStageDto,
  DeployedVersionDto,
  RollBackChangeDto,
  ScheduleChangeDto,
  StartDeploymentDto,
  VerifyChangeDto,
} from './dto/deployment.dto';
import { ChangeCommandResultDto } from './dto/change-responses.dto';
import { AmendChangeDto, RequestChangeDto } from './dto/request-change.dto';
import {
  ApproveChangeDto,
  CancelChangeDto,
  DeferChangeDto,
  RecordReviewDto,
  RejectChangeDto,
} from './dto/review-decision.dto';

type CommandFields<K extends ChangeCommandKind> = Omit<ChangeCommandBody<K>, 'kind'>;

const changeId = new ParseUUIDPipe();

/** Every state change of a change goes through here; the actor is the authenticated key. */
@ApiTags('changes')
@ApiBearerAuth()
@ApiProblems()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Retrying with the same key returns what the first request recorded',
})
@Controller('changes')
export class ChangeCommandsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @RequireRoles('requester')
  @ApiOperation({ summary: 'Request a change (risk is assessed and the approval route chosen)' })
  @ApiCreatedResponse({ type: ChangeCommandResultDto })
  request(
    @Body() body: RequestChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    // A retried request with the same Idempotency-Key names the same change.
    const id =
      origin.idempotencyKey === undefined
        ? randomUUID()
        : deterministicEventId(origin.idempotencyKey, 'change');
    return this.execute('RequestChange', id, actor, origin, { request: body });
  }

  @Post(':id/amendments')
  @HttpCode(200)
  @RequireRoles('requester', 'admin')
  @ApiOperation({
    summary: 'Amend a change (its requester or an admin)',
    description:
      'Documentation (title, description, plans, ticket, pull request) may be amended until the ' +
      'change closes. Its scope (services, environment, steps, window, artifact, size, risk ' +
      'inputs) only before it deploys, and then it is assessed again and every approval given ' +
      'so far no longer counts (ApprovalsInvalidated).',
  })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  amend(
    @Param('id', changeId) id: string,
    @Body() body: AmendChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('AmendChange', id, actor, origin, { amendment: body });
  }

  @Post(':id/approvals')
  @HttpCode(200)
  @RequireRoles('approver', 'cab')
  @ApiOperation({ summary: 'Approve (never your own change; one principal counts once)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  approve(
    @Param('id', changeId) id: string,
    @Body() body: ApproveChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('ApproveChange', id, actor, origin, body);
  }

  @Post(':id/rejections')
  @HttpCode(200)
  @RequireRoles('approver', 'cab')
  @ApiOperation({ summary: 'Reject a change awaiting approval' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  reject(
    @Param('id', changeId) id: string,
    @Body() body: RejectChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('RejectChange', id, actor, origin, body);
  }

  @Post(':id/deferrals')
  @HttpCode(200)
  @RequireRoles('approver', 'cab')
  @ApiOperation({ summary: 'Defer a change awaiting approval' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  defer(
    @Param('id', changeId) id: string,
    @Body() body: DeferChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('DeferChange', id, actor, origin, body);
  }

  @Post(':id/schedule')
  @HttpCode(200)
  @RequireRoles('requester', 'deployer')
  @ApiOperation({ summary: 'Schedule an approved change into a window' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  schedule(
    @Param('id', changeId) id: string,
    @Body() body: ScheduleChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('ScheduleChange', id, actor, origin, body);
  }

  @Post(':id/deployments')
  @HttpCode(200)
  @RequireRoles('deployer')
  @ApiOperation({ summary: 'Start deploying (approved and inside its window, or an emergency)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  startDeployment(
    @Param('id', changeId) id: string,
    @Body() body: StartDeploymentDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('StartDeployment', id, actor, origin, body);
  }

  @Post(':id/deployments/stages')
  @HttpCode(200)
  @RequireRoles('deployer')
  @ApiOperation({ summary: 'Record a completed rollout stage with its gate verdicts' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  completeStage(
    @Param('id', changeId) id: string,
    @Body() body: CompleteRolloutStageDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('CompleteRolloutStage', id, actor, origin, body);
  }

  @Post(':id/deployed')
  @HttpCode(200)
  @RequireRoles('deployer')
  @ApiOperation({ summary: 'Mark the change deployed (starts the deployment if not started)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  markDeployed(
    @Param('id', changeId) id: string,
    @Body() body: DeployedVersionDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('MarkDeployed', id, actor, origin, body);
  }

  @Post(':id/verification')
  @HttpCode(200)
  @RequireRoles('deployer')
  @ApiOperation({ summary: 'Record that the deployed change works as intended' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  verify(
    @Param('id', changeId) id: string,
    @Body() body: VerifyChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('VerifyChange', id, actor, origin, body);
  }

  @Post(':id/rollbacks')
  @HttpCode(200)
  @RequireRoles('deployer')
  @ApiOperation({ summary: 'Record a rollback (a reason is required)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  rollBack(
    @Param('id', changeId) id: string,
    @Body() body: RollBackChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('RollBackChange', id, actor, origin, body);
  }

  @Post(':id/reviews')
  @HttpCode(200)
  @RequireRoles('approver', 'cab')
  @ApiOperation({ summary: 'Record a post-implementation review (owed by emergency changes)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  review(
    @Param('id', changeId) id: string,
    @Body() body: RecordReviewDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('RecordReview', id, actor, origin, body);
  }

  @Post(':id/closure')
  @HttpCode(200)
  @RequireRoles('requester', 'deployer')
  @ApiOperation({ summary: 'Close the change with its outcome' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  close(
    @Param('id', changeId) id: string,
    @Body() body: CloseChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('CloseChange', id, actor, origin, body);
  }

  @Post(':id/cancellation')
  @HttpCode(200)
  @RequireRoles('requester')
  @ApiOperation({ summary: 'Cancel a change before it deploys (its requester or an admin)' })
  @ApiOkResponse({ type: ChangeCommandResultDto })
  cancel(
    @Param('id', changeId) id: string,
    @Body() body: CancelChangeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('CancelChange', id, actor, origin, body);
  }

  private execute<K extends ChangeCommandKind>(
    kind: K,
    id: string,
    actor: Principal,
    origin: CommandOrigin,
    fields: CommandFields<K>,
  ): Promise<ChangeCommandResult> {
    const at = this.clock.now().toISOString();
    const command = { ...fields, kind, changeId: id, actor, at, receivedAt: at } as ChangeIntent;
    return this.commands.execute(new ExecuteChangeCommand(command, origin));
  }
}
