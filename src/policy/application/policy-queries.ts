import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { calibrationReport, type CalibrationSample } from '../calibration/calibration-report';
import { POLICY_LOADED, POLICY_STREAM, type PolicyLoadedData } from './policy-stream';

export interface PolicyLoad extends Omit<PolicyLoadedData, 'document'> {
  readonly revision: number;
  readonly position: string;
}

/** Which rules were in force when, from the `policy` stream; how they fared, from the read models. */
@Injectable()
export class PolicyQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /** Every load of a new policy version, oldest first. */
  async history(): Promise<PolicyLoad[]> {
    const events = await this.loads();
    return events.map(({ data: { version, name, source, host, at }, revision, position }) => ({
      version,
      name,
      source,
      host,
      at,
      revision,
      position,
    }));
  }

  /** The document of a version as it was recorded when it was first loaded. */
  async version(version: string): Promise<PolicyLoadedData> {
    const load = (await this.loads()).find((event) => event.data.version === version);
    if (load === undefined) {
      throw new NotFoundException(`policy version ${version} was never in force here`);
    }
    return load.data;
  }

  /** Changes requested in [from, to), by their assessed risk level, with how they went. */
  async calibration(from: string | null, to: string | null) {
    const rows = await this.sql.query<CalibrationSample>(
      `SELECT c.record->>'riskLevel' AS level, (c.record->>'riskScore')::float8 AS score,
              c.record->>'policyVersion' AS "policyVersion",
              c.record->>'deployStartedAt' IS NOT NULL AS deployed,
              c.record->>'rolledBackAt' IS NOT NULL AS "rolledBack",
              c.record->>'outcome' = 'failed' AS "closedFailed",
              EXISTS (SELECT 1 FROM incident_alerts a
                      WHERE a.attributed_to = 'change:' || c.change_id) AS "causedAlert"
       FROM compliance_changes c
       WHERE c.record->>'riskLevel' IS NOT NULL AND c.record->>'riskScore' IS NOT NULL
         AND ($1::timestamptz IS NULL OR c.requested_at >= $1)
         AND ($2::timestamptz IS NULL OR c.requested_at < $2)`,
      [from, to],
    );
    return { period: { from, to }, ...calibrationReport(rows) };
  }

  private async loads() {
    const events = await this.store.readStream(POLICY_STREAM);
    return events
      .filter((event) => event.type === POLICY_LOADED)
      .map((event) => ({
        data: event.data as unknown as PolicyLoadedData,
        revision: event.revision,
        position: event.position,
      }));
  }
}
