import { Inject, Injectable } from '@nestjs/common';
import { deliveredDeployments } from './delivered-deployments';
import { deliveryMetrics } from './domain/delivery-metrics';
import type { Policy } from '../policy/policy';
import type {
  ChangeFacts,
  ChangeFactsSource,
  DownstreamService,
} from '../policy/risk/change-facts';
import type { ServiceTier } from '../services/domain/catalog-events';
import { MAX_DEPENDENCY_DEPTH } from '../services/read-model/dependency-edges';
import { ServiceCatalogQueries } from '../services/read-model/service-catalog-queries';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';

const DAY_MS = 86_400_000;

/**
 * What the ledger knows about the services a change touches, from the read models: their
 * tiers and what depends on them (service catalog), and how their deployments went over the
 * policy's look-back period (incident correlation). Read models trail the ledger by their lag;
 * the facts used are recorded with the assessment, so nobody has to guess what it saw.
 */
@Injectable()
export class ChangeFactsReader implements ChangeFactsSource {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly catalog: ServiceCatalogQueries,
  ) {}

  async factsFor(
    policy: Policy,
    services: readonly string[],
    environment: string,
    at: string,
  ): Promise<ChangeFacts> {
    const names = [...new Set(services)];
    const { lookBackDays } = policy.risk.weights.changeFailureRate;
    const to = Date.parse(at);
    const [tiers, downstream, deployments] = await Promise.all([
      this.tiers(names),
      this.downstream(names),
      deliveredDeployments(this.sql, names, environment, to - lookBackDays * DAY_MS, to),
    ]);
    const [figures] = deliveryMetrics(deployments, [
      { start: to - lookBackDays * DAY_MS, end: to },
    ]);
    return {
      services: names.map((name) => ({ name, tier: tiers.get(name) ?? null })),
      downstream,
      history: {
        lookBackDays,
        deployments: figures.changeFailureRate.deployments,
        failed: figures.changeFailureRate.failed,
      },
    };
  }

  private async tiers(names: readonly string[]): Promise<Map<string, ServiceTier>> {
    const rows = await this.sql.query<{ name: string; tier: ServiceTier }>(
      'SELECT name, tier FROM service_catalog WHERE name = ANY($1::text[])',
      [names],
    );
    return new Map(rows.map((row) => [row.name, row.tier]));
  }

  /** Every service that depends on one of the changed ones, at its nearest depth. */
  private async downstream(names: readonly string[]): Promise<DownstreamService[]> {
    const walks = await Promise.all(
      names.map((name) => this.catalog.related(name, 'downstream', MAX_DEPENDENCY_DEPTH)),
    );
    const nearest = new Map<string, DownstreamService>();
    for (const step of walks.flat()) {
      if (names.includes(step.service)) continue;
      const known = nearest.get(step.service);
      if (known === undefined || step.depth < known.depth) {
        nearest.set(step.service, { name: step.service, tier: step.tier, depth: step.depth });
      }
    }
    return [...nearest.values()].sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : 1));
  }
}
