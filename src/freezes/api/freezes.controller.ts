import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import type { CommandOrigin } from '../../kernel/command-origin';
import { Clock } from '../../common/clock';
import { ApiProblems } from '../../http/api-problems.decorator';
import { ApiOrigin } from '../../http/command-origin.decorator';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { ExecuteFreezeCommand } from '../application/execute-freeze-command';
import { FreezeCalendarReader } from '../freeze-calendar.reader';
import type { FreezeCommand } from '../domain/freeze-commands';
import {
  DeclareFreezeDto,
  EndFreezeDto,
  FreezeCommandResultDto,
  FreezeIdParams,
  FreezeListDto,
  FreezeListQuery,
} from './dto/freeze.dto';

/** Ad-hoc change freezes: declared and ended by the CAB or admins, on the ledger. */
@ApiTags('freezes')
@ApiBearerAuth()
@ApiProblems()
@Controller('freezes')
export class FreezesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly calendar: FreezeCalendarReader,
    private readonly clock: Clock,
  ) {}

  @Post()
  @RequireRoles('cab', 'admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({
    summary: 'Declare a freeze: no normal or standard change deploys in it',
    description: 'Emergencies may, and are flagged. Recorded on the ledger (FreezeDeclared).',
  })
  @ApiCreatedResponse({ type: FreezeCommandResultDto })
  declare(
    @Body() body: DeclareFreezeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    const freezeId =
      origin.idempotencyKey === undefined
        ? randomUUID()
        : deterministicEventId(origin.idempotencyKey, 'freeze');
    return this.execute(
      { kind: 'DeclareFreeze', freezeId, scope: { ...body }, actor, at: this.now() },
      origin,
    );
  }

  @Delete(':id')
  @HttpCode(200)
  @RequireRoles('cab', 'admin')
  @ApiOperation({ summary: 'End a freeze early (FreezeEnded); one not begun is withdrawn' })
  @ApiOkResponse({ type: FreezeCommandResultDto })
  end(
    @Param() { id }: FreezeIdParams,
    @Body() body: EndFreezeDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute(
      { kind: 'EndFreeze', freezeId: id, reason: body.reason, actor, at: this.now() },
      origin,
    );
  }

  @Get()
  @ApiOperation({ summary: 'Freezes in force at an instant, or not over yet' })
  @ApiOkResponse({ type: FreezeListDto })
  async list(@Query() query: FreezeListQuery) {
    const calendar = await this.calendar.current();
    const at = Date.parse(query.activeAt ?? this.now());
    const freezes = [...calendar.values()].filter(
      (f) =>
        Date.parse(f.end) > at &&
        (query.activeAt === undefined || Date.parse(f.start) <= at) &&
        Date.parse(f.start) < Date.parse(f.end),
    );
    return { freezes: freezes.sort((a, b) => Date.parse(a.start) - Date.parse(b.start)) };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private execute(command: FreezeCommand, origin: CommandOrigin) {
    return this.commands.execute(new ExecuteFreezeCommand(command, origin));
  }
}
