import { createPGliteDirectory, createTestDatabase, type TestDatabase } from './support/postgres';
import type { EvidenceBundle } from '../src/evidence/evidence-bundle';
import { parseCheckpointText } from '../src/ledger/checkpoints/checkpoint';
import { parseNote } from '../src/ledger/checkpoints/signed-note';
import { eventLeafHash } from '../src/ledger/merkle/ledger-leaf';
import { verifyInclusion } from '../src/ledger/merkle/verify-proofs';
import { changeRequest } from './support/change-requests';
import { KEYS, RunningApp } from './support/running-app';

interface CommandResult {
  changeId: string;
  status: string;
  revision: number;
  events: Array<{ type: string; position: string; hash: string }>;
}

function describeLifecycle(
  storeName: string,
  setUp: () => Promise<{ env: Record<string, string>; tearDown: () => Promise<void> }>,
) {
  describe(`change lifecycle over HTTP (${storeName})`, () => {
    let app: RunningApp;
    let tearDown: () => Promise<void>;

    beforeAll(async () => {
      const setup = await setUp();
      tearDown = setup.tearDown;
      app = await RunningApp.start(setup.env);
    });

    afterAll(async () => {
      await app?.close();
      await tearDown?.();
    });

    const request = async (body = changeRequest()) => {
      const created = await app.call<CommandResult>('POST', '/changes', { key: KEYS.alice, body });
      expect(created.status).toBe(201);
      return created.body;
    };

    it('takes a normal change from request to close with a second principal approving', async () => {
      const { changeId, status } = await request();
      expect(status).toBe('awaiting-approval');

      const approved = await app.call<CommandResult>('POST', `/changes/${changeId}/approvals`, {
        key: KEYS.bob,
        body: { comment: 'fine' },
      });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      expect(approved.body.events.map((e) => e.type)).toEqual([
        'ApprovalGranted',
        'ChangeApproved',
      ]);

      const steps: Array<[string, unknown, string]> = [
        ['deployments', { version: '1.2.0', commit: 'abc123' }, 'deploying'],
        [
          'deployments/stages',
          {
            stage: 'canary',
            percent: 5,
            gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.1, threshold: 1 }],
          },
          'deploying',
        ],
        ['deployed', { version: '1.2.0' }, 'deployed'],
        ['verification', { notes: 'green' }, 'verified'],
      ];
      for (const [path, body, expected] of steps) {
        const response = await app.call<CommandResult>('POST', `/changes/${changeId}/${path}`, {
          key: KEYS.ci,
          body,
        });
        expect({ path, status: response.status, state: response.body.status }).toEqual({
          path,
          status: 200,
          state: expected,
        });
      }
      const closed = await app.call<CommandResult>('POST', `/changes/${changeId}/closure`, {
        key: KEYS.alice,
        body: { outcome: 'successful' },
      });
      expect(closed.body.status).toBe('closed');

      const view = await app.call<{
        status: string;
        approvals: Array<{ principal: string }>;
        requestedBy: string;
        revision: number;
      }>('GET', `/changes/${changeId}`, { key: KEYS.audrey });
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        status: 'closed',
        requestedBy: 'alice',
        approvals: [{ principal: 'bob' }],
      });

      const trail = await app.call<
        Array<{
          type: string;
          revision: number;
          prevHash: string;
          hash: string;
          metadata: { actor: string };
        }>
      >('GET', `/changes/${changeId}/events`, { key: KEYS.audrey });
      expect(trail.body.map((e) => e.type)).toEqual([
        'ChangeRequested',
        'RiskAssessed',
        'ApprovalGranted',
        'ChangeApproved',
        'DeploymentStarted',
        'RolloutStageCompleted',
        'ChangeDeployed',
        'ChangeVerified',
        'ChangeClosed',
      ]);
      expect(trail.body.map((e) => e.metadata.actor)).toEqual([
        'alice',
        'alice',
        'bob',
        'bob',
        'ci-bot',
        'ci-bot',
        'ci-bot',
        'ci-bot',
        'alice',
      ]);
      trail.body.slice(1).forEach((event, i) => expect(event.prevHash).toBe(trail.body[i].hash));

      const verified = await app.call<{ intact: boolean }>('GET', `/changes/${changeId}/verify`, {
        key: KEYS.audrey,
      });
      expect(verified.body.intact).toBe(true);
      const ledger = await app.call<{ intact: boolean; events: number }>('GET', '/ledger/verify', {
        key: KEYS.audrey,
      });
      expect(ledger.body).toMatchObject({ intact: true });
      expect(ledger.body.events).toBeGreaterThanOrEqual(9);
    });

    it('signs the Merkle tree over the log and proves each event of a change in it', async () => {
      const { changeId } = await request();
      let bundle: EvidenceBundle | undefined;
      for (let i = 0; i < 100; i++) {
        bundle = (
          await app.call<EvidenceBundle>('GET', `/changes/${changeId}/evidence`, {
            key: KEYS.audrey,
          })
        ).body;
        if (bundle.changes[0].events.every((e) => e.inclusionProof !== null)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { text } = parseNote(bundle?.checkpoint.note ?? '');
      const { size, rootHash } = parseCheckpointText(text);
      for (const { event, leafIndex, inclusionProof } of bundle?.changes[0].events ?? []) {
        const proof = (inclusionProof ?? []).map((hash) => Buffer.from(hash, 'base64'));
        verifyInclusion(leafIndex ?? -1, size, eventLeafHash(event), proof, rootHash);
      }
      expect(bundle?.changes[0].events).toHaveLength(2);
    });

    it('approves standard changes automatically and lists changes by service, status and type', async () => {
      const service = `svc-${Date.now()}`;
      const standard = await request(
        changeRequest({
          type: 'standard',
          templateId: 'feature-flag-toggle',
          implementationSteps: undefined,
          rollbackPlan: undefined,
          services: [service],
        }),
      );
      expect(standard.status).toBe('approved');
      const normal = await request(changeRequest({ services: [service, 'payments'] }));

      let listed: {
        items: Array<{ changeId: string; status: string }>;
        nextCursor: string | null;
      } = { items: [], nextCursor: null };
      for (let i = 0; i < 100 && listed.items.length < 2; i++) {
        listed = (
          await app.call<typeof listed>('GET', `/changes?service=${service}`, { key: KEYS.audrey })
        ).body;
        if (listed.items.length < 2) await new Promise((r) => setTimeout(r, 50));
      }
      expect(listed.items.map((c) => c.changeId).sort()).toEqual(
        [standard.changeId, normal.changeId].sort(),
      );

      const onlyApproved = await app.call<typeof listed>(
        'GET',
        `/changes?service=${service}&status=approved&type=standard`,
        { key: KEYS.audrey },
      );
      expect(onlyApproved.body.items.map((c) => c.changeId)).toEqual([standard.changeId]);

      const firstPage = await app.call<typeof listed>(
        'GET',
        `/changes?service=${service}&limit=1`,
        { key: KEYS.audrey },
      );
      expect(firstPage.body.items).toHaveLength(1);
      expect(firstPage.body.nextCursor).not.toBeNull();
      const secondPage = await app.call<typeof listed>(
        'GET',
        `/changes?service=${service}&limit=1&cursor=${firstPage.body.nextCursor}`,
        { key: KEYS.audrey },
      );
      expect(secondPage.body.items[0].changeId).not.toBe(firstPage.body.items[0].changeId);
    });

    it('refuses self-approval with 422 and counts one principal once', async () => {
      const { changeId } = await request(changeRequest({ blastRadius: 'high' }));
      const self = await app.call('POST', `/changes/${changeId}/approvals`, {
        key: KEYS.root,
        body: {},
      });
      expect(self.status).toBe(200); // root is not the requester: an admin may approve
      const alice = await app.call('POST', `/changes/${changeId}/approvals`, {
        key: KEYS.alice,
        body: {},
      });
      expect(alice.status).toBe(403); // a requester-only key lacks the approver role
      const again = await app.call('POST', `/changes/${changeId}/approvals`, {
        key: KEYS.root,
        body: {},
      });
      expect(again.status).toBe(422);
      expect(again.contentType).toContain('application/problem+json');
      expect(again.body).toMatchObject({ code: 'duplicate-approval', status: 422 });
    });

    it('refuses an approval by the requester even when they hold the approver role', async () => {
      const created = await app.call<CommandResult>('POST', '/changes', {
        key: KEYS.root,
        body: changeRequest(),
      });
      const self = await app.call('POST', `/changes/${created.body.changeId}/approvals`, {
        key: KEYS.root,
        body: {},
      });
      expect(self.status).toBe(422);
      expect(self.body).toMatchObject({ code: 'self-approval' });
      const trail = await app.call<Array<{ type: string; data: Record<string, unknown> }>>(
        'GET',
        `/changes/${created.body.changeId}/events`,
        { key: KEYS.audrey },
      );
      expect(trail.body.at(-1)).toMatchObject({
        type: 'CommandRefused',
        data: { command: 'ApproveChange', actor: 'root', code: 'self-approval' },
      });
      const view = await app.call<{ status: string }>('GET', `/changes/${created.body.changeId}`, {
        key: KEYS.audrey,
      });
      expect(view.body.status).toBe('awaiting-approval');
    });

    it("lists the changes waiting for an approver's approval, oldest first, until they gave it", async () => {
      type Waiting = {
        items: Array<{ changeId: string; requestedBy: string; assessment: object }>;
      };
      const waitingFor = async (key: string) => {
        const listed = await app.call<Waiting>('GET', '/changes/awaiting-my-approval?limit=200', {
          key,
        });
        expect(listed.status).toBe(200);
        return listed.body.items;
      };
      const ids = async (key: string) => (await waitingFor(key)).map((c) => c.changeId);
      const byAlice = await request();
      const byRoot = (
        await app.call<CommandResult>('POST', '/changes', { key: KEYS.root, body: changeRequest() })
      ).body;
      // The catalog read model follows the ledger a few milliseconds behind.
      for (let i = 0; i < 100 && !(await ids(KEYS.bob)).includes(byRoot.changeId); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const bobs = await ids(KEYS.bob);
      expect(bobs.indexOf(byAlice.changeId)).toBeGreaterThanOrEqual(0);
      expect(bobs.indexOf(byAlice.changeId)).toBeLessThan(bobs.indexOf(byRoot.changeId));
      const first = (await waitingFor(KEYS.carol)).find((c) => c.changeId === byAlice.changeId);
      expect(first).toMatchObject({ requestedBy: 'alice', assessment: { route: 'peer-review' } });
      expect(first?.assessment).toHaveProperty('policyVersion');
      const firstPage = await app.call<Waiting>('GET', '/changes/awaiting-my-approval', {
        key: KEYS.carol,
      });
      expect(firstPage.body.items.length).toBeGreaterThan(0); // 50 at most by default
      // Nobody waits for their own approval.
      expect(await ids(KEYS.root)).toContain(byAlice.changeId);
      expect(await ids(KEYS.root)).not.toContain(byRoot.changeId);

      const approved = await app.call('POST', `/changes/${byAlice.changeId}/approvals`, {
        key: KEYS.bob,
        body: {},
      });
      expect(approved.status).toBe(200);
      expect(await ids(KEYS.bob)).not.toContain(byAlice.changeId);
      expect(await ids(KEYS.carol)).not.toContain(byAlice.changeId);

      expect(
        (await app.call('GET', '/changes/awaiting-my-approval', { key: KEYS.alice })).status,
      ).toBe(403);
      const bad = await app.call('GET', '/changes/awaiting-my-approval?limit=0', { key: KEYS.bob });
      expect(bad.status).toBe(400);
    });

    it('answers a retried request with the same Idempotency-Key with what the first recorded', async () => {
      const headers = { 'idempotency-key': `req-${Date.now()}` };
      // A retry repeats the request exactly: the same body to the same route.
      const body = changeRequest();
      const first = await app.call<CommandResult>('POST', '/changes', {
        key: KEYS.alice,
        body,
        headers,
      });
      const retry = await app.call<CommandResult>('POST', '/changes', {
        key: KEYS.alice,
        body,
        headers,
      });
      expect(retry.status).toBe(201);
      expect(retry.body.changeId).toBe(first.body.changeId);
      expect(retry.body.events).toEqual(first.body.events);
      const approveHeaders = { 'idempotency-key': 'approve-once' };
      const path = `/changes/${first.body.changeId}/approvals`;
      const approved = await app.call<CommandResult>('POST', path, {
        key: KEYS.bob,
        body: {},
        headers: approveHeaders,
      });
      const again = await app.call<CommandResult>('POST', path, {
        key: KEYS.bob,
        body: {},
        headers: approveHeaders,
      });
      expect(again.status).toBe(200);
      expect(again.body.events).toEqual(approved.body.events);
      const trail = await app.call<unknown[]>('GET', `/changes/${first.body.changeId}/events`, {
        key: KEYS.audrey,
      });
      expect(trail.body).toHaveLength(4);
      const bad = await app.call('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest(),
        headers: { 'idempotency-key': 'has spaces' },
      });
      expect(bad.status).toBe(400);
    });

    it('answers bad input with problem+json naming the field, never a 500', async () => {
      const unknownField = await app.call('POST', '/changes', {
        key: KEYS.alice,
        body: { ...changeRequest(), sneaky: 1 },
      });
      expect(unknownField.status).toBe(400);
      expect(unknownField.contentType).toContain('application/problem+json');
      expect(unknownField.body).toMatchObject({
        code: 'invalid-request',
        errors: [{ field: 'sneaky' }],
      });

      const nested = await app.call<{ errors: Array<{ field: string }> }>('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest({
          rollbackPlan: { trigger: 'x', steps: [], expectedMinutes: 'ten' },
          type: 'urgent',
        }),
      });
      expect(nested.status).toBe(400);
      expect(nested.body.errors.map((e) => e.field).sort()).toEqual(
        expect.arrayContaining(['rollbackPlan.expectedMinutes', 'rollbackPlan.steps', 'type']),
      );

      const badJson = await app.call('POST', '/changes', {
        key: KEYS.alice,
        rawBody: '{"title": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(badJson.status).toBe(400);
      expect(badJson.contentType).toContain('application/problem+json');

      const huge = await app.call('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest({ description: 'x'.repeat(2_000_000) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ code: 'body-too-large' });

      const nul = await app.call('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest({ title: 'nul \u0000 inside' }),
      });
      expect(nul.status).toBe(400);

      const badId = await app.call('GET', '/changes/not-a-uuid', { key: KEYS.audrey });
      expect(badId.status).toBe(400);
      const missing = await app.call('GET', '/changes/6f1c2b9e-8d4a-4c1e-9f7a-2b3c4d5e6f70', {
        key: KEYS.audrey,
      });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'change-not-found' });
      const badCursor = await app.call('GET', '/changes?cursor=garbage', { key: KEYS.audrey });
      expect(badCursor.status).toBe(400);
    });

    it('needs a key with the right role', async () => {
      expect((await app.call('GET', '/changes')).status).toBe(401);
      expect((await app.call('GET', '/changes', { key: 'wrong' })).status).toBe(401);
      const auditorWrites = await app.call('POST', '/changes', {
        key: KEYS.audrey,
        body: changeRequest(),
      });
      expect(auditorWrites.status).toBe(403);
      expect(auditorWrites.contentType).toContain('application/problem+json');
      expect((await app.call('GET', '/me', { key: KEYS.carol })).body).toEqual({
        id: 'carol',
        roles: ['approver', 'cab'],
      });
      expect((await app.call('GET', '/me')).status).toBe(401);
      expect((await app.call('GET', '/auth/sign-in')).body).toEqual({ oidc: null });
      expect((await app.call('GET', '/health')).status).toBe(200);
      const metrics = await app.call<string>('GET', '/metrics');
      expect(metrics.body).toContain('ledger_events_appended_total');
      const docs = await app.call<{ paths: Record<string, unknown> }>('GET', '/docs/json');
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/changes', '/changes/{id}/approvals', '/ledger/verify']),
      );
    });

    it('refuses transitions the state does not allow with 409 naming the state', async () => {
      const { changeId } = await request();
      const early = await app.call<{ code: string; detail: string }>(
        'POST',
        `/changes/${changeId}/verification`,
        { key: KEYS.ci, body: {} },
      );
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain('awaiting-approval');
      const deploy = await app.call<{ code: string }>('POST', `/changes/${changeId}/deployments`, {
        key: KEYS.ci,
        body: {},
      });
      expect(deploy.status).toBe(422);
      expect(deploy.body.code).toBe('not-approved');
    });

    it('serialises concurrent approvals: quorum is reached exactly once', async () => {
      const { changeId } = await request(changeRequest({ blastRadius: 'high' }));
      const results = await Promise.all(
        [KEYS.bob, KEYS.carol, KEYS.root].map((key) =>
          app.call<CommandResult>('POST', `/changes/${changeId}/approvals`, { key, body: {} }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
      const trail = await app.call<Array<{ type: string; revision: number }>>(
        'GET',
        `/changes/${changeId}/events`,
        { key: KEYS.audrey },
      );
      expect(trail.body.filter((e) => e.type === 'ChangeApproved')).toHaveLength(1);
      expect(trail.body.map((e) => e.revision)).toEqual(trail.body.map((_, i) => i));
    });
  });
}

describeLifecycle('embedded', async () => {
  const dir = await createPGliteDirectory('api');
  return {
    env: { DATA_DIR: dir.path, LEDGER_CHECKPOINT_SECONDS: '1' },
    tearDown: () => dir.remove(),
  };
});

describeLifecycle('postgres', async () => {
  const db: TestDatabase = await createTestDatabase('api');
  return {
    env: {
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      LEDGER_CHECKPOINT_SECONDS: '1',
    },
    tearDown: () => db.drop(),
  };
});
