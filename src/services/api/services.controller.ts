import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
import { ReadModel } from '../../projections/read-model.decorator';
import {
  ExecuteCatalogCommand,
  type CatalogCommandResult,
} from '../application/execute-catalog-command';
import type { CatalogCommand } from '../domain/catalog-commands';
import { CatalogRefusal } from '../domain/catalog-refusal';
import type { ServiceDefinition } from '../domain/catalog-events';
import type { Direction } from '../read-model/dependency-edges';
import { ServiceCatalogQueries } from '../read-model/service-catalog-queries';
import { serviceGraph } from '../read-model/service-graph.projection';
import {
  CatalogCommandResultDto,
  DependencyDepthQuery,
  ListServicesQuery,
  RegisterServiceDto,
  ServiceDto,
  ServiceFieldsDto,
  ServiceGraphDto,
  ServiceListDto,
  ServiceNameParams,
} from './dto/service.dto';

/** The service catalog: admins edit it (recorded in the ledger); every key may read it. */
@ApiTags('services')
@ApiBearerAuth()
@ApiProblems()
@Controller('services')
export class ServicesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ServiceCatalogQueries,
    private readonly clock: Clock,
  ) {}

  @Post()
  @RequireRoles('admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({
    summary: 'Register a service with its owner, tier and dependencies',
    description:
      'Dependencies must be registered services; one that would close a cycle is refused ' +
      '(422 dependency-cycle, with the loop in `cycle`).',
  })
  @ApiCreatedResponse({ type: CatalogCommandResultDto })
  register(
    @Body() body: RegisterServiceDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('RegisterService', body, actor, origin);
  }

  @Put(':name')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({
    summary: "Replace a service's owner, tier and dependencies",
    description: 'An update that changes nothing records nothing (`recorded: false`).',
  })
  @ApiOkResponse({ type: CatalogCommandResultDto })
  update(
    @Param() { name }: ServiceNameParams,
    @Body() body: ServiceFieldsDto,
    @CurrentPrincipal() actor: Principal,
    @ApiOrigin() origin: CommandOrigin,
  ) {
    return this.execute('UpdateService', { ...body, name }, actor, origin);
  }

  @Get()
  @ReadModel(serviceGraph.name)
  @ApiOperation({ summary: 'Every registered service, by name' })
  @ApiOkResponse({ type: ServiceListDto })
  async list(@Query() { owner }: ListServicesQuery) {
    return { items: await this.queries.list(owner) };
  }

  @Get(':name')
  @ReadModel(serviceGraph.name)
  @ApiOperation({ summary: 'One service' })
  @ApiOkResponse({ type: ServiceDto })
  async get(@Param() { name }: ServiceNameParams) {
    const service = await this.queries.find(name);
    if (!service) throw notRegistered(name);
    return service;
  }

  @Get(':name/upstream')
  @ReadModel(serviceGraph.name)
  @ApiOperation({ summary: 'What the service depends on, transitively, nearest first' })
  @ApiOkResponse({ type: ServiceGraphDto })
  upstream(@Param() { name }: ServiceNameParams, @Query() { depth }: DependencyDepthQuery) {
    return this.related(name, 'upstream', depth);
  }

  @Get(':name/downstream')
  @ReadModel(serviceGraph.name)
  @ApiOperation({ summary: 'What depends on the service, transitively, nearest first' })
  @ApiOkResponse({ type: ServiceGraphDto })
  downstream(@Param() { name }: ServiceNameParams, @Query() { depth }: DependencyDepthQuery) {
    return this.related(name, 'downstream', depth);
  }

  private async related(name: string, direction: Direction, depth: number) {
    if (!(await this.queries.find(name))) throw notRegistered(name);
    return {
      service: name,
      direction,
      depth,
      services: await this.queries.related(name, direction, depth),
    };
  }

  private execute(
    kind: CatalogCommand['kind'],
    service: ServiceDefinition,
    actor: Principal,
    origin: CommandOrigin,
  ): Promise<CatalogCommandResult> {
    const { name, owner, tier, dependsOn } = service;
    const command: CatalogCommand = {
      kind,
      service: { name, owner, tier, dependsOn },
      actor,
      at: this.clock.now().toISOString(),
    };
    return this.commands.execute(new ExecuteCatalogCommand(command, origin));
  }
}

function notRegistered(name: string): CatalogRefusal {
  return new CatalogRefusal('service-not-found', `service ${name} is not registered`);
}
