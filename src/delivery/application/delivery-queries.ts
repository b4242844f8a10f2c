import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ServiceCatalogQueries } from '../../services/read-model/service-catalog-queries';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { deliveryMetrics } from '../domain/delivery-metrics';
import { periodsBetween, type Bucket } from '../domain/periods';
import { deliveredDeployments } from '../delivered-deployments';

/** A failure is looked for a recovery this long after the end of the range asked about. */
const RECOVERY_LOOKAHEAD_DAYS = 30;
const DAY = 86_400_000;

export interface DeliveryQuestion {
  readonly service?: string;
  readonly team?: string;
  readonly environment: string;
  readonly from: number;
  readonly to: number;
  readonly bucket: Bucket;
}

const iso = (time: number) => new Date(time).toISOString();

@Injectable()
export class DeliveryQueries {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly catalog: ServiceCatalogQueries,
  ) {}

  async metrics(question: DeliveryQuestion) {
    const { service, team, environment, from, to, bucket } = question;
    const services =
      service !== undefined ? [service] : team !== undefined ? await this.teamServices(team) : null;
    const deployments = await deliveredDeployments(
      this.sql,
      services,
      environment,
      from,
      to + RECOVERY_LOOKAHEAD_DAYS * DAY,
    );
    const [total] = deliveryMetrics(deployments, [{ start: from, end: to }]);
    return {
      scope: { service: service ?? null, team: team ?? null, services, environment },
      from: iso(from),
      to: iso(to),
      bucket,
      buckets: deliveryMetrics(deployments, periodsBetween(from, to, bucket)).map((figures) => ({
        ...figures,
        start: iso(figures.start),
        end: iso(figures.end),
      })),
      total: { ...total, start: iso(total.start), end: iso(total.end) },
    };
  }

  /** A team is the owner named in the service catalog; its services as the catalog says now. */
  private async teamServices(team: string): Promise<string[]> {
    const services = await this.catalog.ownedBy(team);
    if (services.length === 0) {
      throw new NotFoundException(`no registered service is owned by team ${JSON.stringify(team)}`);
    }
    return services;
  }
}
