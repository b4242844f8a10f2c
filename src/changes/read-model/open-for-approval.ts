import type { SqlClient } from '../../sql/sql-client';
import { ISO } from './list-changes';

export interface OpenForApproval {
  readonly changeId: string;
  readonly requestedAt: string;
  readonly approvalDueBy: string | null;
  readonly approvalOverdue: boolean;
}

/**
 * Changes someone other than `principalId` requested that can still be approved, oldest first,
 * after the (requestedAt, changeId) given: the candidates for "waiting for me".
 */
export function openForApproval(
  sql: SqlClient,
  principalId: string,
  after: Pick<OpenForApproval, 'requestedAt' | 'changeId'> | null,
  limit: number,
): Promise<OpenForApproval[]> {
  return sql.query<OpenForApproval>(
    `SELECT change_id::text AS "changeId", ${ISO('requested_at')} AS "requestedAt",
            ${ISO('approval_due_by')} AS "approvalDueBy", approval_overdue AS "approvalOverdue"
     FROM change_catalog
     WHERE status IN ('awaiting-approval', 'deferred') AND requested_by <> $1
       AND ($2::timestamptz IS NULL OR (requested_at, change_id) > ($2::timestamptz, $3::uuid))
     ORDER BY requested_at, change_id
     LIMIT $4`,
    [principalId, after?.requestedAt ?? null, after?.changeId ?? null, limit],
  );
}
