import { Inject, Injectable } from '@nestjs/common';
import { BatchingQueue } from '../common/batching-queue';
import { deliveredDeploymentsOf, type DeploymentsAsked } from './delivered-deployments';
import { deliveryMetrics } from './domain/delivery-metrics';
import type { Policy } from '../policy/policy';
import type {
  ChangeFacts,
  ChangeFactsSource,
  DownstreamService,
} from '../policy/risk/change-facts';
import type { ServiceTier } from '../services/domain/catalog-events';
import { MAX_DEPENDENCY_DEPTH } from '../services/read-model/dependency-edges';
import {
  ServiceCatalogQueries,
  type RelatedService,
} from '../services/read-model/service-catalog-queries';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';

const DAY_MS = 86_400_000;

/** Requests assessed together at most: bounds the statements' size under a burst. */
const MAX_BATCH = 200;

interface FactsAsked extends DeploymentsAsked {
  readonly services: readonly string[];
  readonly lookBackDays: number;
}

/**
 * What the ledger knows about the services a change touches, from the read models: their
 * tiers and what depends on them (service catalog), and how their deployments went over the
 * policy's look-back period (incident correlation). Read models trail the ledger by their lag;
 * the facts used are recorded with the assessment, so nobody has to guess what it saw.
 *
 * Requests assessed at the same time are answered together, three statements for all of them
 * (a burst of requests would otherwise cost three round trips each).
 */
@Injectable()
export class ChangeFactsReader implements ChangeFactsSource {
  private readonly batches = new BatchingQueue<FactsAsked, ChangeFacts>(
    (asked) => this.factsOfEach(asked),
    MAX_BATCH,
  );

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly catalog: ServiceCatalogQueries,
  ) {}

  factsFor(
    policy: Policy,
    services: readonly string[],
    environment: string,
    at: string,
  ): Promise<ChangeFacts> {
    const { lookBackDays } = policy.risk.weights.changeFailureRate;
    const to = Date.parse(at);
    const from = to - lookBackDays * DAY_MS;
    const names = [...new Set(services)];
    return this.batches.submit({ services: names, environment, from, to, lookBackDays });
  }

  private async factsOfEach(
    asked: readonly FactsAsked[],
  ): Promise<Array<PromiseSettledResult<ChangeFacts>>> {
    const names = [...new Set(asked.flatMap((a) => a.services))];
    const [tiers, related, deployments] = await Promise.all([
      this.tiers(names),
      this.catalog.relatedToEach(names, 'downstream', MAX_DEPENDENCY_DEPTH),
      deliveredDeploymentsOf(this.sql, asked),
    ]);
    const dependents = new Map(names.map((name, i) => [name, related[i]]));
    return asked.map(({ services, from, to, lookBackDays }, i) => {
      const [figures] = deliveryMetrics(deployments[i], [{ start: from, end: to }]);
      const value: ChangeFacts = {
        services: services.map((name) => ({ name, tier: tiers.get(name) ?? null })),
        downstream: downstream(
          services,
          services.flatMap((name) => dependents.get(name) ?? []),
        ),
        history: {
          lookBackDays,
          deployments: figures.changeFailureRate.deployments,
          failed: figures.changeFailureRate.failed,
        },
      };
      return { status: 'fulfilled', value };
    });
  }

  private async tiers(names: readonly string[]): Promise<Map<string, ServiceTier>> {
    const rows = await this.sql.query<{ name: string; tier: ServiceTier }>(
      'SELECT name, tier FROM service_catalog WHERE name = ANY($1::text[])',
      [names],
    );
    return new Map(rows.map((row) => [row.name, row.tier]));
  }
}

/** Every service that depends on one of the changed ones, at its nearest depth. */
function downstream(
  names: readonly string[],
  walked: readonly RelatedService[],
): DownstreamService[] {
  const nearest = new Map<string, DownstreamService>();
  for (const step of walked) {
    if (names.includes(step.service)) continue;
    const known = nearest.get(step.service);
    if (known === undefined || step.depth < known.depth) {
      nearest.set(step.service, { name: step.service, tier: step.tier, depth: step.depth });
    }
  }
  return [...nearest.values()].sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : 1));
}
