import type { Migration } from '../../../sql/migrate';

/**
 * One schema for PostgreSQL and the embedded PGlite.
 *
 * The global feed is ordered by (tx_id, position), not by position alone: identity values
 * are handed out before commit, so a reader could see position 11 before a slower
 * transaction commits position 10 and skip it for ever. Readers only look below the oldest
 * transaction still running (pg_snapshot_xmin), so once seen, nothing can appear before.
 */
export const LEDGER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    script: `
      CREATE TABLE ledger_events (
        position bigint GENERATED ALWAYS AS IDENTITY,
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL,
        stream_id text NOT NULL,
        revision bigint NOT NULL CHECK (revision >= 0),
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT ledger_events_pkey PRIMARY KEY (position),
        CONSTRAINT ledger_events_event_id_key UNIQUE (event_id),
        CONSTRAINT ledger_events_stream_revision_key UNIQUE (stream_id, revision)
      );
      CREATE INDEX ledger_events_feed_idx ON ledger_events (tx_id, position);

      CREATE FUNCTION ledger_events_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER ledger_events_no_update_delete
        BEFORE UPDATE OR DELETE ON ledger_events
        FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_rewrite();
      CREATE TRIGGER ledger_events_no_truncate
        BEFORE TRUNCATE ON ledger_events
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_rewrite();
    `,
  },
];
