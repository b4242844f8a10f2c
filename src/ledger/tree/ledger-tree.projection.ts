import type { RecordedEvent } from '../ledger-event';
import type { Projection } from '../projection';
import type { SqlClient } from '../../sql/sql-client';
import { eventLeafHash } from '../merkle/ledger-leaf';
import { partialTiles, TileAppender } from '../merkle/tiles';
import { readTiles, storedTreeSize, writeTiles } from './tree-tiles';

/**
 * The Merkle tree over every ledger event in global order, built by following the feed like
 * any read model: the leaves and tiles of a batch commit with the feed checkpoint they move,
 * so each event becomes exactly one leaf, and leaf i is the i-th event of the feed for ever.
 * The leaf commits to the stored envelope hash (src/ledger/merkle/ledger-leaf.ts); whoever
 * verifies recomputes that hash from the event.
 *
 * It lives in SQL beside the read models, whatever the event store, and is never rebuilt
 * from the events: its tiles are what the signed checkpoints are checked against.
 */
export const ledgerTree: Projection = {
  name: 'ledger-tree',
  tables: ['ledger_tree_leaves', 'ledger_tree_tiles'],
  migrations: [
    {
      version: 1,
      script: `
        CREATE TABLE ledger_tree_leaves (
          leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
          event_id uuid NOT NULL UNIQUE,
          stream_id text NOT NULL,
          revision bigint NOT NULL,
          event_hash char(64) NOT NULL,
          position text NOT NULL
        );
        -- C2SP tlog-tiles: up to 256 hashes of tree level 8 × level; the right edge grows.
        CREATE TABLE ledger_tree_tiles (
          level smallint NOT NULL CHECK (level >= 0),
          index bigint NOT NULL CHECK (index >= 0),
          hashes bytea NOT NULL CHECK (octet_length(hashes) BETWEEN 32 AND 8192),
          PRIMARY KEY (level, index)
        );`,
    },
  ],
  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const size = await storedTreeSize(tx);
    const appender = new TileAppender(size, await readTiles(tx, partialTiles(size)));
    await writeTiles(tx, appender.append(events.map(eventLeafHash)));
    await tx.query(
      `INSERT INTO ledger_tree_leaves (leaf_index, event_id, stream_id, revision, event_hash, position)
       SELECT $1::bigint + e.ord - 1, e.event_id, e.stream_id, e.revision, e.event_hash, e.position
       FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[])
            WITH ORDINALITY AS e(event_id, stream_id, revision, event_hash, position, ord)`,
      [
        size,
        events.map((e) => e.eventId),
        events.map((e) => e.streamId),
        events.map((e) => e.revision),
        events.map((e) => e.hash),
        events.map((e) => e.position),
      ],
    );
  },
};
