import type { Refusal, Refused } from '../../kernel/refusal';
import type { SqlClient } from '../../sql/sql-client';

export interface ChangeListFilter {
  readonly service?: string;
  readonly status?: string;
  readonly type?: string;
  readonly environment?: string;
  /** Requested at or after (ISO-8601). */
  readonly from?: string;
  /** Requested before (ISO-8601). */
  readonly to?: string;
  readonly limit: number;
  /** Opaque cursor from the previous page. */
  readonly cursor?: string;
}

export interface ChangeSummary {
  readonly changeId: string;
  readonly title: string;
  readonly type: string;
  readonly category: string;
  readonly environment: string;
  readonly services: string[];
  readonly status: string;
  readonly riskLevel: string | null;
  readonly route: string | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

export class InvalidCursor extends Error implements Refused {
  get refusal(): Refusal {
    return {
      kind: 'invalid',
      code: 'invalid-cursor',
      fields: [{ field: 'cursor', reason: this.message }],
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(summary: ChangeSummary): string {
  return Buffer.from(JSON.stringify([summary.requestedAt, summary.changeId])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof at === 'string' &&
      typeof id === 'string' &&
      UUID.test(id) &&
      !Number.isNaN(Date.parse(at))
    ) {
      return [at, id];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursor('cursor is not one this API handed out');
}

export const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Newest first, keyset-paginated so pages stay stable while changes keep arriving. */
export async function listChanges(
  sql: SqlClient,
  filter: ChangeListFilter,
): Promise<{ items: ChangeSummary[]; nextCursor: string | null }> {
  const after = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
  const rows = await sql.query<ChangeSummary>(
    `SELECT change_id::text AS "changeId", title, type, category, environment, services, status,
            risk_level AS "riskLevel", route, requested_by AS "requestedBy",
            ${ISO('requested_at')} AS "requestedAt", ${ISO('updated_at')} AS "updatedAt"
     FROM change_catalog
     WHERE ($1::text IS NULL OR services @> ARRAY[$1::text])
       AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR type = $3)
       AND ($4::text IS NULL OR environment = $4)
       AND ($5::timestamptz IS NULL OR requested_at >= $5)
       AND ($6::timestamptz IS NULL OR requested_at < $6)
       AND ($7::timestamptz IS NULL OR (requested_at, change_id) < ($7::timestamptz, $8::uuid))
     ORDER BY requested_at DESC, change_id DESC
     LIMIT $9`,
    [
      filter.service ?? null,
      filter.status ?? null,
      filter.type ?? null,
      filter.environment ?? null,
      filter.from ?? null,
      filter.to ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      filter.limit + 1,
    ],
  );
  const items = rows.slice(0, filter.limit);
  const nextCursor = rows.length > filter.limit ? encodeCursor(items[items.length - 1]) : null;
  return { items, nextCursor };
}
