import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../kernel/domain-error';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import type { ChangeCompliance } from '../domain/change-compliance';
import {
  complianceView,
  type ComplianceChangeView,
  type ComplianceReport,
} from '../domain/compliance-view';
import type { Finding, FindingRule } from '../domain/finding-rules';
import { periodFigures } from '../domain/period-report';

/**
 * A period [from, to) and a service, each optional, and the instant the findings are judged
 * at: only findings that had arisen by `asOf` count.
 */
export interface ComplianceFilter {
  readonly from: string | null;
  readonly to: string | null;
  readonly service: string | null;
  readonly asOf: string;
}

/** Changes by request time, each with its findings as of `asOf`, oldest first. */
const CHANGES = `
  SELECT c.record, COALESCE(f.findings, '[]'::jsonb) AS findings
  FROM compliance_changes c
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(finding ORDER BY at, finding_id) AS findings
    FROM compliance_findings WHERE change_id = c.change_id AND at <= $1
  ) f ON true
  WHERE ($2::text IS NULL OR c.change_id = $2)
    AND ($3::timestamptz IS NULL OR c.requested_at >= $3)
    AND ($4::timestamptz IS NULL OR c.requested_at < $4)
    AND ($5::text IS NULL OR c.services @> ARRAY[$5::text])
    AND ($6::text IS NULL OR f.findings @> jsonb_build_array(jsonb_build_object('rule', $6::text)))
  ORDER BY c.requested_at, c.change_id`;

/** Findings by the time they arose, oldest first. */
const FINDINGS = `
  SELECT finding FROM compliance_findings
  WHERE at <= $1
    AND ($2::timestamptz IS NULL OR at >= $2)
    AND ($3::timestamptz IS NULL OR at < $3)
    AND ($4::text IS NULL OR services @> ARRAY[$4::text])
    AND ($5::text IS NULL OR rule = $5)
  ORDER BY at, finding_id`;

/** Reads of the compliance read model; the figures come from the pure domain functions. */
@Injectable()
export class ComplianceQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  changes(filter: ComplianceFilter, rule: FindingRule | null): Promise<ComplianceChangeView[]> {
    return this.views(null, filter, rule);
  }

  async change(changeId: string, asOf: string): Promise<ComplianceChangeView> {
    const filter = { from: null, to: null, service: null, asOf };
    const [view] = await this.views(changeId, filter, null);
    if (view === undefined) {
      throw new DomainError('change-not-found', `change ${changeId} does not exist`);
    }
    return view;
  }

  async findings(filter: ComplianceFilter, rule: FindingRule | null): Promise<Finding[]> {
    const rows = await this.sql.query<{ finding: Finding }>(FINDINGS, [
      filter.asOf,
      filter.from,
      filter.to,
      filter.service,
      rule,
    ]);
    return rows.map((row) => row.finding);
  }

  /** Changes requested in the period; findings that arose in it (as GET /compliance/findings). */
  async report(filter: ComplianceFilter): Promise<ComplianceReport> {
    const [changes, findings] = await Promise.all([
      this.changes(filter, null),
      this.findings(filter, null),
    ]);
    const { from, to, service, asOf } = filter;
    return { period: { from, to, service, asOf }, ...periodFigures(changes, findings) };
  }

  private async views(
    changeId: string | null,
    filter: ComplianceFilter,
    rule: FindingRule | null,
  ): Promise<ComplianceChangeView[]> {
    const rows = await this.sql.query<{ record: ChangeCompliance; findings: Finding[] }>(CHANGES, [
      filter.asOf,
      changeId,
      filter.from,
      filter.to,
      filter.service,
      rule,
    ]);
    return rows.map((row) => complianceView(row.record, row.findings));
  }
}
