import { Inject, Injectable } from '@nestjs/common';
import type { OverlappingChange } from '../../policy/conflicts/change-conflicts';
import { MAX_DEPENDENCY_DEPTH, walkDependencies } from '../../services/read-model/dependency-edges';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import type { TimeWindow } from '../domain/change-window';

/** Changes that can still deploy: their windows still claim the time. */
const OPEN_STATUSES = ['awaiting-approval', 'deferred', 'approved', 'scheduled', 'deploying'];

interface Row {
  readonly change_id: string;
  readonly title: string;
  readonly status: string;
  readonly services: string[];
  readonly window_start: Date;
  readonly window_end: Date;
}

/**
 * Other open changes in the same environment whose window (scheduled, else planned) overlaps
 * this one, on one of its services or on a service they depend on (to any depth), from the
 * change catalog and service graph read models.
 */
@Injectable()
export class OverlappingChangesReader {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async overlapping(
    changeId: string,
    services: readonly string[],
    environment: string,
    window: TimeWindow,
  ): Promise<OverlappingChange[]> {
    const own = [...new Set(services)];
    const walks = await Promise.all(
      own.map((s) =>
        walkDependencies(this.sql, 'service_dependencies', 'upstream', s, MAX_DEPENDENCY_DEPTH),
      ),
    );
    const dependencies = [...new Set(walks.flat().map((step) => step.service))].filter(
      (s) => !own.includes(s),
    );
    const rows = await this.sql.query<Row>(
      `SELECT change_id::text AS change_id, title, status, services,
              lower(COALESCE(scheduled_window, planned_window)) AS window_start,
              upper(COALESCE(scheduled_window, planned_window)) AS window_end
       FROM change_catalog
       WHERE change_id::text <> $1 AND environment = $2 AND status = ANY($3::text[])
         AND services && $4::text[]
         AND COALESCE(scheduled_window, planned_window) && tstzrange($5, $6, '[)')
       ORDER BY lower(COALESCE(scheduled_window, planned_window)), change_id`,
      [changeId, environment, OPEN_STATUSES, [...own, ...dependencies], window.start, window.end],
    );
    return rows.map((row) => {
      const same = row.services.filter((s) => own.includes(s));
      return {
        changeId: row.change_id,
        title: row.title,
        status: row.status,
        window: { start: row.window_start.toISOString(), end: row.window_end.toISOString() },
        relation: same.length > 0 ? 'same-service' : 'dependency',
        services: same.length > 0 ? same : row.services.filter((s) => dependencies.includes(s)),
      };
    });
  }
}
