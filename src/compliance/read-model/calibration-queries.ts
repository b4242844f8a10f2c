import { Inject, Injectable } from '@nestjs/common';
import {
  calibrationReport,
  type CalibrationSample,
} from '../../policy/calibration/calibration-report';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';

/**
 * How the policy's risk levels fared, from the compliance records (and the alerts attributed
 * to changes): what the calibration report needs to tune the weights against outcomes.
 */
@Injectable()
export class CalibrationQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

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
}
