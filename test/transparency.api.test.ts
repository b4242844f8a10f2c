import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { parseCheckpointText } from '../src/ledger/checkpoints/checkpoint';
import {
  ed25519Verifier,
  parseVerifierKey,
  SIGNATURE_TYPES,
  verifierKey,
} from '../src/ledger/checkpoints/note-keys';
import { ed25519Signer, openNote } from '../src/ledger/checkpoints/note-signatures';
import { formatNote, parseNote } from '../src/ledger/checkpoints/signed-note';
import { chainEvents } from '../src/ledger/hash-chain';
import type { RecordedEvent } from '../src/ledger/ledger-event';
import { eventLeafHash } from '../src/ledger/merkle/ledger-leaf';
import { MemoryTree } from '../src/ledger/merkle/memory-tree';
import { verifyConsistency, verifyInclusion } from '../src/ledger/merkle/verify-proofs';
import type { EvidenceBundle } from '../src/evidence/evidence-bundle';
import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { changeRequest } from './support/change-requests';
import {
  createPGliteDirectory,
  createTestDatabase,
  type TempDirectory,
  type TestDatabase,
} from './support/postgres';
import { readModelsCaughtUp } from './support/read-models';
import { KEYS, RunningApp } from './support/running-app';
import { asSuperuser } from './support/superuser';
import { TestWitness } from './support/test-witness';
import { VerifierCli } from './support/verifier-cli';

/*
 * The verifiable ledger over real HTTP on PostgreSQL, with a test witness cosigning, checked
 * by the offline verifier run as auditors run it: a separate process, trusting only the keys
 * it is given. Then attacked: forged proofs, keys and cosignatures, edited bundles, and a log
 * rewritten (and re-signed) after an auditor saved a checkpoint.
 */

const ORIGIN = 'ledger.test/changes';

/** A bundle as an attacker edits it. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
const base64 = (s: string) => Buffer.from(s, 'base64');

interface CommandResult {
  changeId: string;
  events: Array<{ type: string }>;
}

describe('signed checkpoints, proofs, evidence bundles and the offline verifier', () => {
  const logKey = generateKeyPairSync('ed25519').privateKey;
  const logVerifier = ed25519Verifier(ORIGIN, SIGNATURE_TYPES.ed25519, logKey);
  const LOG_KEY = verifierKey(logVerifier);
  let db: TestDatabase;
  let dir: TempDirectory;
  let witness: TestWitness;
  let app: RunningApp;
  let cli: VerifierCli;
  let env: Record<string, string>;
  const changes: string[] = [];
  /** The first checkpoint an auditor saved (the policy load alone), and one saved later. */
  let firstSaved: string;
  let laterSaved: string;

  const get = <T = Record<string, unknown>>(path: string) =>
    app.call<T>('GET', path, { key: KEYS.audrey });
  const file = (name: string, content: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const verifyEvidence = (bundle: unknown, ...keys: string[]) =>
    cli.run([
      'verify-evidence',
      file(`bundle-${randomUUID()}.json`, JSON.stringify(bundle)),
      ...keys,
    ]);

  async function trail(changeId: string): Promise<RecordedEvent[]> {
    return (await get<RecordedEvent[]>(`/changes/${changeId}/events`)).body;
  }

  /** Every event of the ledger: the changes', and the policy loads' (one, at start-up). */
  async function eventCount(): Promise<number> {
    let count = (await get<unknown[]>('/policy/versions')).body.length;
    for (const id of changes) count += (await trail(id)).length;
    return count;
  }

  /** Waits until a checkpoint covering every event is signed, and cosigned when asked. */
  async function checkpointed(cosigned: boolean): Promise<string> {
    const events = await eventCount();
    for (let i = 0; i < 150; i++) {
      const { status, body } = await get<string>('/ledger/checkpoint');
      if (status === 200) {
        const { text, signatures } = parseNote(body);
        if (parseCheckpointText(text).size === events && signatures.length === (cosigned ? 2 : 1)) {
          return body;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no checkpoint of ${events} leaves within 15 s`);
  }

  async function lifecycle(): Promise<string> {
    const post = async (path: string, key: string, body: unknown = {}) => {
      const response = await app.call<CommandResult>('POST', path, { key, body });
      expect(response.status).toBeLessThan(300);
      return response.body;
    };
    const { changeId } = await post('/changes', KEYS.alice, changeRequest());
    await post(`/changes/${changeId}/approvals`, KEYS.bob, { comment: 'ok' });
    await post(`/changes/${changeId}/deployments`, KEYS.ci, { version: '1.4.0' });
    await post(`/changes/${changeId}/deployed`, KEYS.ci, { version: '1.4.0' });
    await post(`/changes/${changeId}/verification`, KEYS.ci, {});
    await post(`/changes/${changeId}/closure`, KEYS.alice, { outcome: 'successful' });
    changes.push(changeId);
    return changeId;
  }

  async function bundleOf(changeId: string): Promise<EvidenceBundle> {
    const response = await get<EvidenceBundle>(`/changes/${changeId}/evidence`);
    expect(response.status).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    db = await createTestDatabase('transparency');
    dir = await createPGliteDirectory('transparency');
    witness = await TestWitness.start('witness.test/w1', new Map([[ORIGIN, [logVerifier]]]));
    env = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      DATA_DIR: dir.path,
      LEDGER_ORIGIN: ORIGIN,
      LEDGER_SIGNING_KEY_FILE: file(
        'signing-key.pem',
        logKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      ),
      LEDGER_CHECKPOINT_SECONDS: '1',
      LEDGER_WITNESSES: `${witness.url} ${witness.verifierKey}`,
    };
    app = await RunningApp.start(env);
    cli = VerifierCli.build();
    firstSaved = await checkpointed(true);
    await lifecycle();
    await lifecycle();
  });

  afterAll(async () => {
    await app?.close();
    await witness?.close();
    cli?.remove();
    await db?.drop();
    await dir?.remove();
  });

  it('serves the latest checkpoint as a signed note, cosigned by the witness', async () => {
    const note = await checkpointed(true);
    const response = await get<string>('/ledger/checkpoint');
    expect(response.contentType).toBe('text/plain; charset=utf-8');
    const opened = openNote(note, [logVerifier, parseVerifierKey(witness.verifierKey)]);
    expect(opened.verified.map((v) => v.verifier.name)).toEqual([ORIGIN, 'witness.test/w1']);
    expect(parseCheckpointText(opened.text)).toMatchObject({
      origin: ORIGIN,
      size: await eventCount(),
    });
    laterSaved = note;
    const past = await get<string>('/ledger/checkpoints?size=1');
    expect(past.status).toBe(200);
    expect(parseNote(past.body).text).toBe(parseNote(firstSaved).text);
  });

  it('lists its verification keys as signed-note vkeys, and its witness', async () => {
    const { body } = await get<{ origin: string; keys: unknown[]; witnesses: unknown[] }>(
      '/ledger/keys',
    );
    expect(body).toEqual({
      origin: ORIGIN,
      keys: [
        {
          keyId: expect.stringMatching(/^ledger\.test\/changes\+[0-9a-f]{8}$/) as unknown,
          verifierKey: LOG_KEY,
          signing: true,
        },
      ],
      witnesses: [
        {
          keyId: expect.any(String) as unknown,
          verifierKey: witness.verifierKey,
          url: witness.url,
        },
      ],
    });
  });

  it('proves inclusion and consistency against the roots it signed', async () => {
    const checkpoint = parseCheckpointText(parseNote(await checkpointed(true)).text);
    const events = (await Promise.all(changes.map(trail))).flat();
    for (const event of events) {
      const { status, body } = await get<{
        leafIndex: number;
        treeSize: number;
        hashes: string[];
        checkpoint: string;
      }>(`/ledger/proofs/inclusion?eventId=${event.eventId}`);
      expect(status).toBe(200);
      expect(body.treeSize).toBe(checkpoint.size);
      expect(parseNote(body.checkpoint).text).toBe(parseNote(laterSaved).text);
      verifyInclusion(
        body.leafIndex,
        checkpoint.size,
        eventLeafHash(event),
        body.hashes.map(base64),
        checkpoint.rootHash,
      );
    }
    // Recomputed here from the entries, then tied to the signed root.
    const entries = await fetch(`${app.baseUrl}/ledger/entries?start=0&end=${checkpoint.size}`, {
      headers: { authorization: `Bearer ${KEYS.audrey}` },
    });
    expect(entries.headers.get('content-type')).toBe('application/x-ndjson');
    const tree = new MemoryTree();
    for (const line of (await entries.text()).trim().split('\n')) {
      const { leafIndex, event } = JSON.parse(line) as { leafIndex: number; event: RecordedEvent };
      expect(leafIndex).toBe(tree.size);
      tree.append(eventLeafHash(event));
    }
    expect(tree.root()).toEqual(checkpoint.rootHash);
    const consistency = await get<{ hashes: string[] }>(
      `/ledger/proofs/consistency?from=5&to=${checkpoint.size}`,
    );
    verifyConsistency(
      5,
      checkpoint.size,
      consistency.body.hashes.map(base64),
      tree.root(5),
      checkpoint.rootHash,
    );
  });

  it.each([
    [
      '/ledger/proofs/inclusion?eventId=00000000-0000-4000-8000-000000000000',
      404,
      'event-not-in-tree',
    ],
    ['/ledger/proofs/inclusion?eventId=nope', 400, 'invalid-request'],
    ['/ledger/proofs/inclusion?eventId=EVENT&treeSize=1000000', 404, 'tree-size-not-reached'],
    ['/ledger/proofs/inclusion?eventId=EVENT&treeSize=1', 400, 'invalid-request'],
    ['/ledger/proofs/consistency?from=9&to=3', 400, 'invalid-request'],
    ['/ledger/proofs/consistency?from=1&to=1000000', 404, 'tree-size-not-reached'],
    ['/ledger/proofs/consistency?from=x', 400, 'invalid-request'],
    ['/ledger/checkpoints?size=999999', 404, 'checkpoint-not-found'],
    ['/ledger/checkpoints?size=-1', 400, 'invalid-request'],
    ['/ledger/entries?start=0&end=1000000', 404, 'tree-size-not-reached'],
    ['/ledger/entries?start=5&end=2', 400, 'invalid-request'],
    [`/changes/${randomUUID()}/evidence`, 404, 'change-not-found'],
  ])('GET %s answers %i %s', async (path, status, code) => {
    const [, last] = await trail(changes[0]).then((events) => [
      events[0],
      events[events.length - 1],
    ]);
    const response = await get<{ code: string }>(path.replace('EVENT', last.eventId));
    expect(response.status).toBe(status);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
  });

  it('the verifier is made of the pure Merkle, note and hash-chain modules only', () => {
    const allowed =
      /^src\/(verifier\/[\w-]+|ledger\/(merkle|checkpoints)\/[\w-]+|ledger\/(hash-chain|ledger-event|verification\/verify-stream)|evidence\/evidence-bundle)\.ts$/;
    expect(cli.sources.filter((source) => !allowed.test(source))).toEqual([]);
    expect(cli.sources).toEqual(
      expect.arrayContaining([
        'src/ledger/merkle/verify-proofs.ts',
        'src/ledger/checkpoints/note-signatures.ts',
      ]),
    );
  });

  it('verifies a change’s evidence bundle offline, with the log key and the witness key', async () => {
    await checkpointed(true);
    const bundle = await bundleOf(changes[0]);
    expect(bundle.changes[0].events.every((e) => e.inclusionProof !== null)).toBe(true);
    expect(bundle.keyIds).toEqual([
      expect.stringMatching(/^ledger\.test\/changes\+/),
      expect.stringMatching(/^witness\.test\/w1\+/),
    ]);
    const result = await verifyEvidence(
      bundle,
      '--key',
      LOG_KEY,
      '--witness-key',
      witness.verifierKey,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`change ${changes[0]}: 8 events, revisions 0–7, chained`);
    expect(result.stdout).toContain('verified: 1 change(s), 8 event(s)');
  });

  it('verifies the period’s bundle, streamed, with both changes', async () => {
    await readModelsCaughtUp(app.app.get<SqlClient>(SQL_CLIENT), ['compliance']);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const response = await get<EvidenceBundle>(`/compliance/evidence?from=${from}`);
    expect(response.status).toBe(200);
    expect(response.body.changes.map((c) => c.changeId).sort()).toEqual([...changes].sort());
    expect(
      response.body.changes.every(
        (c) => (c.compliance as { changeId: string }).changeId === c.changeId,
      ),
    ).toBe(true);
    const result = await verifyEvidence(response.body, '--key', LOG_KEY);
    expect(result.stdout).toContain('verified: 2 change(s), 16 event(s)');
    expect(result.code).toBe(0);
  });

  it('verify-log proves the checkpoint saved at the start is still in the log, event for event', async () => {
    const saved = file('first.txt', firstSaved);
    const next = join(dir.path, 'next.txt');
    const result = await cli.run(
      [
        'verify-log',
        '--checkpoint',
        saved,
        '--url',
        app.baseUrl,
        '--key',
        LOG_KEY,
        '--witness-key',
        witness.verifierKey,
        '--full',
        '--save',
        next,
      ],
      { CHANGE_LEDGER_API_KEY: KEYS.audrey },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    // The 16 events of the two changes, and the policy load.
    expect(result.stdout).toContain('recomputed: 17 events, every chain intact');
    expect(readFileSync(next, 'utf8')).toBe(await checkpointed(true));
  });

  describe('attacks the verifier refuses', () => {
    let bundle: EvidenceBundle;
    /** A bundle proving against the later checkpoint, made once a third change was recorded. */
    let newer: EvidenceBundle;
    const attacker = ed25519Signer(ORIGIN, generateKeyPairSync('ed25519').privateKey);

    beforeAll(async () => {
      bundle = await bundleOf(changes[0]);
      await lifecycle();
      await checkpointed(true);
      newer = await bundleOf(changes[0]);
      expect(newer.checkpoint.treeSize).toBeGreaterThan(bundle.checkpoint.treeSize);
    });

    const edited = (source: EvidenceBundle, edit: (copy: Mutable<EvidenceBundle>) => void) => {
      const copy = JSON.parse(JSON.stringify(source)) as Mutable<EvidenceBundle>;
      edit(copy);
      return copy as EvidenceBundle;
    };

    const cases: Array<[string, () => EvidenceBundle, string[], RegExp]> = [
      [
        'an event whose data was edited',
        () =>
          edited(bundle, (b) => {
            (b.changes[0].events[2].event.data as Record<string, unknown>).comment =
              'approved by nobody';
          }),
        [],
        /revision 2 .*does not hash to its recorded hash \(edited\)/,
      ],
      [
        'a change rewritten with its whole hash chain recomputed',
        () =>
          edited(bundle, (b) => {
            const events = b.changes[0].events;
            const rewritten = chainEvents(
              events[0].event.streamId,
              null,
              events.map(({ event }, i) =>
                i === 1 ? { ...event, metadata: { ...event.metadata, actor: 'mallory' } } : event,
              ),
              events[0].event.recordedAt,
            );
            events.forEach(
              (e, i) => (e.event = { ...e.event, ...rewritten[i], recordedAt: e.event.recordedAt }),
            );
          }),
        [],
        /revision 1 .*not proven in the checkpoint's tree/,
      ],
      [
        'a proof with two siblings swapped',
        () =>
          edited(bundle, (b) => {
            const p = b.changes[0].events[3].inclusionProof as string[];
            [p[0], p[1]] = [p[1], p[0]];
          }),
        [],
        /revision 3 .*not proven/,
      ],
      [
        'the proof of another leaf',
        () =>
          edited(bundle, (b) => {
            const events = b.changes[0].events;
            events[1].inclusionProof = events[2].inclusionProof;
          }),
        [],
        /revision 1 .*not proven/,
      ],
      [
        'another leaf index for a valid proof',
        () =>
          edited(bundle, (b) => {
            const events = b.changes[0].events;
            events[1].leafIndex = events[2].leafIndex;
          }),
        [],
        /revision (1|2) .*(not proven|claimed twice)/,
      ],
      [
        'proofs made for another tree size',
        () =>
          edited(newer, (b) => {
            b.checkpoint = bundle.checkpoint;
          }),
        [],
        /not proven in the checkpoint's tree/,
      ],
      [
        'an event left out of the trail',
        () =>
          edited(bundle, (b) => {
            b.changes[0].events.splice(2, 1);
          }),
        [],
        /revision 3 .*an earlier revision is missing/,
      ],
      [
        'an event not yet covered by the checkpoint',
        () =>
          edited(bundle, (b) => {
            b.changes[0].events[5].inclusionProof = null;
            b.changes[0].events[5].leafIndex = null;
          }),
        [],
        /1 event\(s\) are not yet covered/,
      ],
      [
        'a checkpoint signed by another key under the same name',
        () =>
          edited(bundle, (b) => {
            const { text } = parseNote(b.checkpoint.note);
            b.checkpoint = { ...b.checkpoint, note: formatNote(text, [attacker.sign(text)]) };
          }),
        [],
        /not signed by any log key given|no signature by a trusted key/,
      ],
      [
        'a forged cosignature',
        () =>
          edited(bundle, (b) => {
            const { text, signatures } = parseNote(b.checkpoint.note);
            const line = signatures[1].line;
            const at = line.lastIndexOf(' ') + 20;
            const forged = `${line.slice(0, at)}${line[at] === 'A' ? 'B' : 'A'}${line.slice(at + 1)}`;
            b.checkpoint = {
              ...b.checkpoint,
              note: formatNote(text, [signatures[0].line, forged]),
            };
          }),
        ['--witness-key', 'WITNESS'],
        /cosignature of witness\.test\/w1 does not verify/,
      ],
      [
        'a cosignature left out',
        () =>
          edited(bundle, (b) => {
            const { text, signatures } = parseNote(b.checkpoint.note);
            b.checkpoint = { ...b.checkpoint, note: formatNote(text, [signatures[0].line]) };
          }),
        ['--witness-key', 'WITNESS'],
        /no valid cosignature by witness witness\.test\/w1/,
      ],
    ];

    it.each(cases)('refuses %s', async (_, make, extra, reason) => {
      const result = await verifyEvidence(
        make(),
        '--key',
        LOG_KEY,
        ...extra.map((a) => (a === 'WITNESS' ? witness.verifierKey : a)),
      );
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/^change-ledger: NOT VERIFIED: /);
      expect(result.code).toBe(1);
    });

    it('refuses a genuine bundle checked with another log key', async () => {
      const result = await verifyEvidence(bundle, '--key', verifierKey(attacker.verifier));
      expect(result.stderr).toMatch(/no signature by a trusted key/);
      expect(result.code).toBe(1);
    });

    it('says what is wrong with the command itself, with exit status 2', async () => {
      expect(
        await cli.run(['verify-evidence', join(dir.path, 'missing.json'), '--key', LOG_KEY]),
      ).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/cannot read the bundle/) as unknown,
      });
      expect(
        await cli.run(['verify-evidence', file('x.json', '{}'), '--key', 'not-a-key']),
      ).toMatchObject({ code: 2, stderr: expect.stringMatching(/--key not-a-key/) as unknown });
      expect(await cli.run(['verify-evidence', file('y.json', '{}')])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/give the log's verifier key/) as unknown,
      });
    });
  });

  describe('a log rewritten after an auditor saved a checkpoint', () => {
    let approval: RecordedEvent;
    let approvalLeaf: number;

    /** The service stopped, a superuser rewrites with the triggers off, the service restarts. */
    async function whileStopped(work: (admin: Client) => Promise<unknown>): Promise<void> {
      await app.close();
      await asSuperuser(db.connectionString, work);
      app = await RunningApp.start(env);
    }

    beforeAll(async () => {
      laterSaved = await checkpointed(true);
      approval = (await trail(changes[0])).find(
        (e) => e.type === 'ApprovalGranted',
      ) as RecordedEvent;
      const proof = await get<{ leafIndex: number }>(
        `/ledger/proofs/inclusion?eventId=${approval.eventId}`,
      );
      approvalLeaf = proof.body.leafIndex;
      const events = await trail(changes[0]);
      // Who approved the first change is edited, and its hash chain recomputed from there on.
      await whileStopped(async (admin) => {
        let head: { revision: number; hash: string } | null = null;
        for (const event of events) {
          const edited =
            event.eventId === approval.eventId
              ? { ...event, metadata: { ...event.metadata, actor: 'carol' } }
              : event;
          const [chained] = chainEvents(event.streamId, head, [edited], event.recordedAt);
          head = { revision: chained.revision, hash: chained.hash };
          await admin.query(
            'UPDATE ledger_events SET metadata = $2, prev_hash = $3, hash = $4 WHERE event_id = $1',
            [event.eventId, chained.metadata, chained.prevHash, chained.hash],
          );
        }
      });
    });

    it('GET /ledger/verify reports the first leaf that differs, with its stream and revision', async () => {
      const { body } = await get<{
        intact: boolean;
        broken?: unknown;
        tree: Record<string, unknown>;
      }>('/ledger/verify');
      expect(body.intact).toBe(false);
      // The chain was recomputed: it holds. The tree does not.
      expect(body.broken).toBeUndefined();
      expect(body.tree).toMatchObject({
        intact: false,
        firstDifference: {
          leafIndex: approvalLeaf,
          reason: 'edited',
          expected: {
            eventId: approval.eventId,
            streamId: approval.streamId,
            revision: approval.revision,
            hash: approval.hash,
          },
          found: {
            eventId: approval.eventId,
            streamId: approval.streamId,
            revision: approval.revision,
          },
        },
        checkpoint: { reason: 'root-mismatch' },
      });
    });

    it('verify-log --full finds the first rewritten leaf, though the tree itself was kept', async () => {
      const result = await cli.run(
        [
          'verify-log',
          '--checkpoint',
          file('later.txt', laterSaved),
          '--url',
          app.baseUrl,
          '--key',
          LOG_KEY,
          '--full',
        ],
        { CHANGE_LEDGER_API_KEY: KEYS.audrey },
      );
      expect(result.stderr).toContain(
        `leaf ${approvalLeaf} (${approval.streamId} revision ${approval.revision}) is the first that differs`,
      );
      expect(result.code).toBe(1);
    });

    it('verify-evidence refuses the change’s bundle now', async () => {
      const result = await verifyEvidence(await bundleOf(changes[0]), '--key', LOG_KEY);
      expect(result.stderr).toMatch(
        new RegExp(`revision ${approval.revision} .*not proven in the checkpoint's tree`),
      );
      expect(result.code).toBe(1);
    });

    describe('and the tree rebuilt from the rewritten events and signed anew', () => {
      beforeAll(async () => {
        await whileStopped((admin) =>
          admin.query(`TRUNCATE ledger_tree_leaves, ledger_tree_tiles, ledger_checkpoint_cosignatures, ledger_checkpoints;
            DELETE FROM ledger_witnesses; DELETE FROM projection_checkpoints WHERE projection = 'ledger-tree'`),
        );
        await checkpointed(false);
        for (let i = 0; i < 100 && !witness.answers.some((a) => a.status === 422); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      });

      it('the witness refuses the new checkpoint: 409 (it has seen a larger tree), then 422', async () => {
        expect(witness.answers.slice(-2).map((a) => a.status)).toEqual([409, 422]);
        const { body } = await get<string>('/ledger/checkpoint');
        expect(parseNote(body).signatures.map((s) => s.name)).toEqual([ORIGIN]);
      });

      it('verify-log refuses the new tree: it does not extend the checkpoint saved before', async () => {
        const result = await cli.run([
          'verify-log',
          '--checkpoint',
          file('later-again.txt', laterSaved),
          '--url',
          app.baseUrl,
          '--key',
          LOG_KEY,
          '--api-key',
          KEYS.audrey,
        ]);
        expect(result.stderr).toMatch(
          /does not extend the checkpoint you saved \(the log was rewritten\)/,
        );
        expect(result.code).toBe(1);
      });
    });
  });
});
