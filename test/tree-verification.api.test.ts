import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckpointText } from '../src/ledger/checkpoints/checkpoint';
import { parseNote } from '../src/ledger/checkpoints/signed-note';
import type { RecordedEvent } from '../src/ledger/ledger-event';
import { changeRequest } from './support/change-requests';
import {
  createPGliteDirectory,
  createTestDatabase,
  type TempDirectory,
  type TestDatabase,
} from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';
import { asSuperuser } from './support/superuser';

/*
 * GET /ledger/verify against rewrites the hash chains cannot see: a whole stream deleted, the
 * newest events deleted, a stored tile changed. Each case on a fresh database, rewritten by a
 * superuser with the append-only trigger off while the service runs.
 */

interface Verdict {
  intact: boolean;
  broken?: unknown;
  events: number;
  tree: Record<string, unknown>;
}

describe('GET /ledger/verify recomputes the Merkle tree and holds it against the signed checkpoints', () => {
  let db: TestDatabase;
  let app: RunningApp;
  /** Events of the three changes, as recorded. */
  let trails: RecordedEvent[][];

  const get = <T>(path: string) => app.call<T>('GET', path, { key: KEYS.audrey });

  const tamper = (statement: string, params: unknown[] = []) =>
    asSuperuser(db.connectionString, (admin) => admin.query(statement, params));

  async function leafOf(event: RecordedEvent): Promise<number> {
    const proof = await get<{ leafIndex: number }>(
      `/ledger/proofs/inclusion?eventId=${event.eventId}`,
    );
    return proof.body.leafIndex;
  }

  beforeEach(async () => {
    db = await createTestDatabase('tree_verify');
    app = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      LEDGER_CHECKPOINT_SECONDS: '1',
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await app.call<{ changeId: string }>('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest(),
      });
      ids.push(created.body.changeId);
    }
    await app.call('POST', `/changes/${ids[0]}/approvals`, { key: KEYS.bob, body: {} });
    trails = await Promise.all(
      ids.map(async (id) => (await get<RecordedEvent[]>(`/changes/${id}/events`)).body),
    );
    // Every event of the ledger: the changes', and the policy load's (one, at start-up).
    const total = trails.flat().length + (await get<unknown[]>('/policy/versions')).body.length;
    for (let i = 0; i < 150; i++) {
      const note = await get<string>('/ledger/checkpoint');
      if (note.status === 200 && parseCheckpointText(parseNote(note.body).text).size === total)
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no checkpoint of ${total} leaves within 15 s`);
  });

  afterEach(async () => {
    await app?.close();
    await db?.drop();
  });

  it('finds the untouched log intact, every checkpoint checked', async () => {
    const { body } = await get<Verdict>('/ledger/verify');
    expect(body).toMatchObject({
      intact: true,
      // Three requests and an approval (7 events), and the policy load.
      events: 9,
      tree: { intact: true, leaves: 9, treeSize: 9, pending: 0 },
    });
    expect(body.tree.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('reports a deleted stream at its first leaf: another event stands there now', async () => {
    const [first] = trails[1];
    const leaf = await leafOf(first);
    await tamper('DELETE FROM ledger_events WHERE stream_id = $1', [first.streamId]);
    const { body } = await get<Verdict>('/ledger/verify');
    // Every remaining chain holds: only the tree sees it.
    expect(body.broken).toBeUndefined();
    expect(body.intact).toBe(false);
    expect(body.tree).toMatchObject({
      intact: false,
      firstDifference: {
        leafIndex: leaf,
        reason: 'replaced',
        expected: { eventId: first.eventId, streamId: first.streamId, revision: 0 },
        found: { streamId: expect.not.stringMatching(first.streamId) as unknown },
      },
      // The first signed checkpoint the rewrite falls under: its root no longer comes out, or
      // it holds more leaves than the log now has.
      checkpoint: { reason: expect.stringMatching(/^(root-mismatch|beyond-log)$/) as unknown },
    });
  });

  it('reports a truncated tail at the first missing leaf, and the checkpoint beyond the log', async () => {
    const newest = trails[0].slice(-2);
    const leaf = await leafOf(newest[0]);
    await tamper('DELETE FROM ledger_events WHERE event_id = ANY($1::uuid[])', [
      newest.map((e) => e.eventId),
    ]);
    const { body } = await get<Verdict>('/ledger/verify');
    expect(body.broken).toBeUndefined();
    expect(body.tree).toMatchObject({
      intact: false,
      leaves: 7,
      treeSize: 9,
      firstDifference: {
        leafIndex: leaf,
        reason: 'missing',
        expected: {
          eventId: newest[0].eventId,
          streamId: newest[0].streamId,
          revision: newest[0].revision,
        },
        found: null,
      },
      checkpoint: { treeSize: 9, reason: 'beyond-log' },
    });
  });

  it('reports a stored tile the leaves do not give: proofs from it would not verify', async () => {
    await tamper(
      `UPDATE ledger_tree_tiles SET hashes = overlay(hashes placing '\\x00'::bytea from 1 for 1)
       WHERE level = 0 AND index = 0`,
    );
    const { body } = await get<Verdict>('/ledger/verify');
    expect(body.tree).toMatchObject({ intact: false, tile: { level: 0, index: 0 } });
    expect(body.intact).toBe(false);
  });
});

describe('key rotation', () => {
  let db: TestDatabase;
  let dir: TempDirectory;
  let app: RunningApp | undefined;

  const keyFile = (name: string) => {
    const path = join(dir.path, name);
    writeFileSync(
      path,
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
    return path;
  };
  const start = async (env: Record<string, string>) => {
    app = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      DATA_DIR: dir.path,
      LEDGER_CHECKPOINT_SECONDS: '1',
      ...env,
    });
    return app;
  };
  const get = <T>(path: string) => (app as RunningApp).call<T>('GET', path, { key: KEYS.audrey });

  async function signedBy(keyId: string): Promise<void> {
    for (let i = 0; i < 150; i++) {
      const note = await get<string>('/ledger/checkpoint');
      const signer = parseNote(note.body).signatures[0];
      if (`${signer.name}+${signer.keyId.toString(16).padStart(8, '0')}` === keyId) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no checkpoint signed by ${keyId} within 15 s`);
  }

  beforeAll(async () => {
    db = await createTestDatabase('rotation');
    dir = await createPGliteDirectory('rotation');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await dir?.remove();
  });

  it('signs with the new key and still verifies the old checkpoints with the retired one', async () => {
    const first = keyFile('first.pem');
    await start({ LEDGER_SIGNING_KEY_FILE: first });
    await app?.call('POST', '/changes', { key: KEYS.alice, body: changeRequest() });
    const before = await get<{ keys: Array<{ keyId: string; verifierKey: string }> }>(
      '/ledger/keys',
    );
    const retired = before.body.keys[0];
    await signedBy(retired.keyId);
    await app?.close();

    // Without the retired key the new one refuses to sign after a checkpoint it cannot check.
    await start({ LEDGER_SIGNING_KEY_FILE: keyFile('second.pem') });
    const unknown = await get<Verdict>('/ledger/verify');
    expect(unknown.body.tree).toMatchObject({ intact: false, checkpoint: { reason: 'signature' } });
    await app?.close();

    const verificationKeys = join(dir.path, 'retired-keys.txt');
    writeFileSync(
      verificationKeys,
      `# retired ${new Date().toISOString()}\n${retired.verifierKey}\n`,
    );
    await start({
      LEDGER_SIGNING_KEY_FILE: keyFile('third.pem'),
      LEDGER_VERIFICATION_KEYS_FILE: verificationKeys,
    });
    await app?.call('POST', '/changes', { key: KEYS.alice, body: changeRequest() });
    const after = await get<{
      keys: Array<{ keyId: string; verifierKey: string; signing: boolean }>;
    }>('/ledger/keys');
    expect(after.body.keys.map((k) => [k.keyId === retired.keyId, k.signing])).toEqual([
      [false, true],
      [true, false],
    ]);
    await signedBy(after.body.keys[0].keyId);
    const verdict = await get<Verdict>('/ledger/verify');
    expect(verdict.body).toMatchObject({ intact: true, events: 5, tree: { intact: true } });
  });
});
