import type { Principal } from '../../kernel/principal';
import { DEFAULT_POLICY, policyWith } from '../../policy/fixtures/policies';
import type { OverlappingChange } from '../../policy/conflicts/change-conflicts';
import type { ChangeFacts } from '../../policy/risk/change-facts';
import type { RestrictedPeriod } from '../../policy/windows/restricted-periods';
import type { ChangeRequest } from './change-request';
import { initialState, type ChangeState, type ExistingChange } from './change-state';
import type { ChangeCommandKind } from './commands';
import { decide as decideCommand } from './decide';
import { DomainError } from '../../kernel/domain-error';
import type { ChangeEvent } from './events';
import { evolve } from './evolve';
import { aRequest } from './fixtures/change-request';
import {
  ANYTIME_POLICY,
  complete,
  plainFacts,
  type ContextOverrides,
  type SpecIntent,
} from './fixtures/decision-context';
import { refusalRecord } from './refusal-record';
import { upcast } from './upcast';

// The decider under the policy in force: templates, risk from facts, routes, windows, freezes,
// notice, conflicts, approval binding, amendments, rollout gates and approval SLAs. Specs of
// the lifecycle alone are in decide.spec.ts.

const ID = 'chg-7';
const rita: Principal = { id: 'rita', roles: ['requester'] };
const paul: Principal = { id: 'paul', roles: ['approver'] };
const carla: Principal = { id: 'carla', roles: ['approver', 'cab'] };
const colin: Principal = { id: 'colin', roles: ['cab'] };
const ci: Principal = { id: 'ci', roles: ['deployer'] };
const system: Principal = { id: 'system:change-ledger', roles: ['admin'] };

// Monday 31 December 2029, 10:00 London (GMT): five business days on is Monday 7 January.
const MONDAY = '2029-12-31T10:00:00.000Z';
// Tuesday 8 January 2030 02:00–04:00 London: an occurrence of production-critical.
const TUESDAY_WINDOW = { start: '2030-01-08T02:00:00.000Z', end: '2030-01-08T04:00:00.000Z' };
const IN_TUESDAY = '2030-01-08T03:00:00.000Z';

type Intent<K extends ChangeCommandKind> = Extract<SpecIntent, { kind: K }>;

const requestChange = (request = aRequest(), at = MONDAY): Intent<'RequestChange'> => ({
  kind: 'RequestChange',
  changeId: ID,
  actor: rita,
  at,
  request,
});
const approve = (actor: Principal = paul, at = MONDAY): Intent<'ApproveChange'> => ({
  kind: 'ApproveChange',
  changeId: ID,
  actor,
  at,
});
const schedule = (
  window: { start: string; end: string },
  at = MONDAY,
): Intent<'ScheduleChange'> => ({ kind: 'ScheduleChange', changeId: ID, actor: rita, at, window });
const start = (at = IN_TUESDAY, receivedAt?: string): Intent<'StartDeployment'> => ({
  kind: 'StartDeployment',
  changeId: ID,
  actor: ci,
  at,
  receivedAt,
});
const markDeployed = (o: Partial<Intent<'MarkDeployed'>> = {}): Intent<'MarkDeployed'> => ({
  kind: 'MarkDeployed',
  changeId: ID,
  actor: ci,
  at: IN_TUESDAY,
  ...o,
});
const stage = (
  percent: number,
  at: string,
  metrics?: Intent<'CompleteRolloutStage'>['metrics'],
): Intent<'CompleteRolloutStage'> => ({
  kind: 'CompleteRolloutStage',
  changeId: ID,
  actor: ci,
  at,
  stage: `${percent}%`,
  percent,
  gates: [],
  metrics,
});
const amend = (
  amendment: Intent<'AmendChange'>['amendment'],
  actor: Principal = rita,
): Intent<'AmendChange'> => ({ kind: 'AmendChange', changeId: ID, actor, at: MONDAY, amendment });
const overdue = (at: string): Intent<'RecordApprovalOverdue'> => ({
  kind: 'RecordApprovalOverdue',
  changeId: ID,
  actor: system,
  at,
});

function decide(intent: SpecIntent, state: ChangeState, o: ContextOverrides = {}): ChangeEvent[] {
  return decideCommand(complete(intent, o), state);
}

/** Each command decided and applied in turn, under the same context. */
function given(o: ContextOverrides, ...intents: SpecIntent[]): ExistingChange {
  const state = intents.reduce<ChangeState>(
    (current, intent) => decide(intent, current, o).reduce(evolve, current),
    initialState,
  );
  if (state.status === 'none') throw new Error('given() needs a RequestChange');
  return state;
}

function refusalOf(intent: SpecIntent, state: ChangeState, o: ContextOverrides = {}): DomainError {
  try {
    decide(intent, state, o);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${intent.kind} was accepted, but a refusal was expected`);
}

const typesOf = (events: readonly ChangeEvent[]) => events.map((e) => e.type);
/** The default policy, calendar included, on a tier-1 service. */
const policy = { policy: DEFAULT_POLICY, tier: 1 as const };
/** ANYTIME_POLICY, tier-3 services: for rules that are not about time. */
const ANYTIME: ContextOverrides = {};

describe('under the policy in force', () => {
  describe('standard and pre-approved changes: templates only', () => {
    it('refuses a standard change that names no template, and records the attempt', () => {
      // The bypass this rule closes: "standard" with a high blast radius and a migration.
      const bypass = requestChange(
        aRequest({ type: 'standard', blastRadius: 'high', hasDatabaseMigration: true }),
      );
      const error = refusalOf(bypass, initialState);
      expect(error).toMatchObject({ code: 'template-required', kind: 'rule' });
      expect(error.message).toBe(
        `cannot request change ${ID}: a standard change exists only as a template of the ` +
          'policy: name one in templateId',
      );
      expect(refusalRecord(complete(bypass), error)).toEqual({
        type: 'CommandRefused',
        data: {
          command: 'RequestChange',
          actor: 'rita',
          code: 'template-required',
          reason: error.message,
          policyVersion: ANYTIME_POLICY.version,
          request: bypass.request,
          at: MONDAY,
        },
      });
    });

    it('keeps a refused request on the stream without making it a change', () => {
      const bypass = requestChange(aRequest({ type: 'preapproved' }));
      const refusal = refusalRecord(complete(bypass), refusalOf(bypass, initialState));
      if (refusal === null) throw new Error('a template refusal is recorded');
      expect(evolve(initialState, refusal)).toBe(initialState);
    });

    it.each<[string, Partial<ChangeRequest>, string]>([
      ['an unknown template', { templateId: 'anything-goes' }, 'template-unknown'],
      ['a migration', { hasDatabaseMigration: true }, 'outside-template'],
      ['another category', { category: 'data' }, 'outside-template'],
      ['its own steps', { implementationSteps: ['ssh in and fix it'] }, 'outside-template'],
    ])('refuses a standard change with %s', (_why, overrides, code) => {
      const request = aRequest({
        type: 'standard',
        templateId: 'feature-flag-toggle',
        ...overrides,
      });
      expect(refusalOf(requestChange(request), initialState)).toMatchObject({ code, kind: 'rule' });
    });

    it('refuses a template change whose risk from the facts is above the template’s', () => {
      const request = aRequest({ type: 'standard', templateId: 'feature-flag-toggle' });
      const facts: ChangeFacts = {
        ...plainFacts(['checkout'], 2),
        downstream: ['web', 'app'].map((name) => ({ name, tier: 1, depth: 1 })),
      };
      const error = refusalOf(requestChange(request), initialState, { facts });
      expect(error.code).toBe('template-risk-exceeded');
      expect(error.message).toContain('assessed risk medium is above the low template');
    });
  });

  describe('risk from the facts the ledger knows', () => {
    it('sends a tier-1 change with many dependants to the CAB, whatever blast radius is declared', () => {
      // The bypass this rule closes: "blastRadius: low" on a hub dodged the CAB.
      const facts: ChangeFacts = {
        services: [{ name: 'payments', tier: 1 }],
        downstream: ['web', 'app', 'checkout', 'orders'].map((name) => ({
          name,
          tier: 1,
          depth: 1,
        })),
        history: { lookBackDays: 90, deployments: 0, failed: 0 },
      };
      const [, assessed] = decide(
        requestChange(aRequest({ services: ['payments'], blastRadius: 'low' })),
        initialState,
        { facts },
      );
      expect(assessed).toMatchObject({
        type: 'RiskAssessed',
        data: { score: 9, level: 'high', route: 'cab', requiredCabApprovals: 1, facts },
      });
    });

    it('needs the CAB quorum the policy sets: N approvers, M of them from the CAB', () => {
      const strict = policyWith((p) => {
        p.windows = [];
        p.scheduling.minimumNotice = { businessDays: 0 };
        p.routes.cab.approvals = 3;
        p.routes.cab.cabApprovals = 2;
      });
      const cab = requestChange(aRequest({ blastRadius: 'high' }));
      const o = { policy: strict };
      const twoOfThree = given(o, cab, approve(paul), approve(carla));
      expect(typesOf(decide(approve({ id: 'petra', roles: ['approver'] }), twoOfThree, o))).toEqual(
        ['ApprovalGranted'],
      );
      expect(typesOf(decide(approve(colin), twoOfThree, o))).toEqual([
        'ApprovalGranted',
        'ChangeApproved',
      ]);
    });
  });

  describe('maintenance windows, notice, blackouts and freezes', () => {
    it('accepts a normal change planned inside a maintenance window, after the notice', () => {
      const events = decide(
        requestChange(aRequest({ plannedWindow: TUESDAY_WINDOW })),
        initialState,
        policy,
      );
      expect(typesOf(events)).toEqual(['ChangeRequested', 'RiskAssessed']);
    });

    it('refuses a window outside every maintenance window, naming them', () => {
      const wednesday = { start: '2030-01-09T02:00:00.000Z', end: '2030-01-09T03:00:00.000Z' };
      const error = refusalOf(
        requestChange(aRequest({ plannedWindow: wednesday })),
        initialState,
        policy,
      );
      expect(error).toMatchObject({ code: 'outside-window', kind: 'rule' });
      expect(error.message).toContain('production-critical (tue, thu 02:00–04:00 Europe/London)');
    });

    it('refuses a window that starts before the minimum notice', () => {
      const error = refusalOf(
        requestChange(aRequest({ plannedWindow: TUESDAY_WINDOW }), '2030-01-03T10:00:00.000Z'),
        initialState,
        policy,
      );
      expect(error.code).toBe('insufficient-notice');
      expect(error.message).toContain('before 2030-01-10T10:00:00.000Z');
    });

    it('refuses a window in a blackout or a freeze, naming it', () => {
      const freeze: RestrictedPeriod = {
        kind: 'freeze',
        id: 'f-1',
        reason: 'payments migration',
        start: '2030-01-08T00:00:00Z',
        end: '2030-01-09T00:00:00Z',
      };
      const planned = requestChange(aRequest({ plannedWindow: TUESDAY_WINDOW }));
      const error = refusalOf(planned, initialState, { ...policy, freezes: [freeze] });
      expect(error.code).toBe('in-freeze');
      expect(error.message).toContain('freeze f-1 (payments migration');
      const blackout = policyWith((p) => {
        p.blackouts = [
          {
            id: 'sale',
            reason: 'January sale',
            start: '2030-01-08T00:00:00Z',
            end: '2030-01-09T00:00:00Z',
          },
        ];
      });
      expect(refusalOf(planned, initialState, { policy: blackout, tier: 1 }).code).toBe(
        'in-blackout',
      );
    });

    it('refuses a standard change in a freeze, and warns an emergency of it', () => {
      const freeze: RestrictedPeriod = {
        kind: 'freeze',
        id: 'f-2',
        reason: 'audit',
        start: '2030-01-01T00:00:00Z',
        end: '2030-02-01T00:00:00Z',
      };
      const o = { freezes: [freeze] };
      const standard = aRequest({
        type: 'standard',
        templateId: 'feature-flag-toggle',
        plannedWindow: TUESDAY_WINDOW,
      });
      expect(refusalOf(requestChange(standard), initialState, o).code).toBe('in-freeze');
      const emergency = aRequest({ type: 'emergency', plannedWindow: TUESDAY_WINDOW });
      expect(decide(requestChange(emergency), initialState, o)[1]).toMatchObject({
        data: { conflicts: [{ kind: 'freeze', with: 'f-2', action: 'warn' }] },
      });
    });

    it('refuses a window longer than the policy allows (the ten-year reschedule)', () => {
      const state = given(ANYTIME, requestChange(), approve());
      const tenYears = { start: '2030-01-08T02:00:00.000Z', end: '2040-01-08T02:00:00.000Z' };
      const error = refusalOf(schedule(tenYears), state);
      expect(error).toMatchObject({ code: 'window-too-long', kind: 'rule' });
      expect(error.message).toContain('the policy allows at most 8 h');
    });
  });

  describe('the deployment gate', () => {
    const scheduled = given(
      policy,
      requestChange(aRequest({ plannedWindow: TUESDAY_WINDOW })),
      approve(),
    );

    it('lets a normal change start inside its window and a maintenance window, naming it', () => {
      expect(decide(start(), scheduled, policy)[0]).toMatchObject({
        type: 'DeploymentStarted',
        data: { maintenanceWindow: 'production-critical', policyVersion: DEFAULT_POLICY.version },
      });
    });

    it('refuses a normal change in a freeze declared after it was approved', () => {
      const freeze: RestrictedPeriod = {
        kind: 'freeze',
        id: 'f-3',
        reason: 'incident',
        start: '2030-01-08T02:30:00Z',
        end: '2030-01-08T06:00:00Z',
        services: ['checkout'],
      };
      const error = refusalOf(start(), scheduled, { ...policy, freezes: [freeze] });
      expect(error).toMatchObject({ code: 'in-freeze', kind: 'rule' });
      expect(error.message).toContain('inside freeze f-3 (incident');
    });

    it('judges a reported deploy by the time the ledger received it as well', () => {
      // Back-dated into the window, received the next day: outside.
      const late = refusalOf(start(IN_TUESDAY, '2030-01-09T09:00:00.000Z'), scheduled, policy);
      expect(late.code).toBe('outside-window');
      expect(late.message).toContain(
        `${IN_TUESDAY} (received 2030-01-09T09:00:00.000Z) is outside`,
      );
      // Received within the policy's reporting delay of the window's end: inside.
      const prompt = decide(start(IN_TUESDAY, '2030-01-08T04:10:00.000Z'), scheduled, policy);
      expect(prompt[0]).toMatchObject({ data: { receivedAt: '2030-01-08T04:10:00.000Z' } });
      // Dated ahead into the window, received before it opened: outside.
      expect(refusalOf(start(IN_TUESDAY, '2030-01-07T12:00:00.000Z'), scheduled, policy).code).toBe(
        'outside-window',
      );
    });

    it('lets an emergency deploy in a blackout, recording it and its deadlines', () => {
      const blackout = policyWith((p) => {
        p.blackouts = [
          {
            id: 'sale',
            reason: 'sale',
            start: '2030-01-01T00:00:00Z',
            end: '2030-02-01T00:00:00Z',
          },
        ];
      });
      const o = { policy: blackout, tier: 1 as const };
      const emergency = given(o, requestChange(aRequest({ type: 'emergency' })));
      expect(decide(start('2030-01-09T12:00:00.000Z'), emergency, o)[0]).toMatchObject({
        data: {
          outsideWindow: true,
          restrictions: ['sale'],
          flaggedForReview: true,
          reviewDueBy: '2030-01-10T12:00:00.000Z',
          ticketDueBy: '2030-01-10T12:00:00.000Z',
          postMortemDueBy: '2030-01-11T12:00:00.000Z',
        },
      });
    });

    it('counts an emergency’s deadlines from the earlier of the reported and received times', () => {
      const emergency = given(ANYTIME, requestChange(aRequest({ type: 'emergency' })));
      const datedAhead = decide(start('2099-01-01T00:00:00.000Z', IN_TUESDAY), emergency);
      expect(datedAhead[0]).toMatchObject({ data: { reviewDueBy: '2030-01-09T03:00:00.000Z' } });
    });
  });

  describe('an approval binds what it approved', () => {
    const planned = requestChange(
      aRequest({
        plannedWindow: TUESDAY_WINDOW,
        externalRefs: { commit: 'abc1234' },
        version: '2.1.0',
      }),
    );

    it('records the window and the artifact it approved', () => {
      const [, approved] = decide(approve(), given(policy, planned), policy);
      expect(approved).toMatchObject({
        type: 'ChangeApproved',
        data: {
          approvedWindow: TUESDAY_WINDOW,
          approvedArtifact: { version: '2.1.0', commit: 'abc1234' },
        },
      });
    });

    it('invalidates the approvals when rescheduled outside the approved window', () => {
      const approved = given(policy, planned, approve());
      const thursday = { start: '2030-01-10T02:00:00.000Z', end: '2030-01-10T03:00:00.000Z' };
      const events = decide(schedule(thursday), approved, policy);
      expect(events[1]).toEqual({
        type: 'ApprovalsInvalidated',
        data: {
          reason:
            'rescheduled to 2030-01-10T02:00:00.000Z – 2030-01-10T03:00:00.000Z, outside the ' +
            'approved window 2030-01-08T02:00:00.000Z – 2030-01-08T04:00:00.000Z',
          invalidated: ['paul'],
          approvalDueBy: '2029-12-31T12:00:00.000Z',
          policyVersion: DEFAULT_POLICY.version,
          at: MONDAY,
        },
      });
      const after = events.reduce(evolve, approved as ChangeState);
      expect(after).toMatchObject({ status: 'awaiting-approval', approvals: new Map() });
      expect(refusalOf(start('2030-01-10T02:30:00.000Z'), after, policy).code).toBe('not-approved');
    });

    it('keeps the approvals for a window inside the approved one', () => {
      const approved = given(policy, planned, approve());
      const narrower = { start: '2030-01-08T02:30:00.000Z', end: '2030-01-08T03:30:00.000Z' };
      expect(typesOf(decide(schedule(narrower), approved, policy))).toEqual(['ChangeScheduled']);
    });

    it('needs new approvals after the scope is amended, and assesses it again', () => {
      const approved = given(ANYTIME, requestChange(), approve());
      const events = decide(amend({ services: ['checkout', 'payments'] }), approved);
      expect(typesOf(events)).toEqual(['ChangeAmended', 'RiskAssessed', 'ApprovalsInvalidated']);
      expect(events[0]).toMatchObject({ data: { scope: true, amendedBy: 'rita' } });
      const after = events.reduce(evolve, approved as ChangeState);
      expect(after).toMatchObject({
        status: 'awaiting-approval',
        request: { services: ['checkout', 'payments'] },
      });
    });

    it('lets documentation be amended without new approvals, even while deploying', () => {
      const deploying = given(ANYTIME, requestChange(), approve(), markDeployed());
      expect(
        decide(amend({ externalRefs: { ticket: 'OPS-9' }, testPlan: 'smoke tests' }), deploying),
      ).toEqual([
        {
          type: 'ChangeAmended',
          data: {
            amendedBy: 'rita',
            amendment: { externalRefs: { ticket: 'OPS-9' }, testPlan: 'smoke tests' },
            scope: false,
            at: MONDAY,
          },
        },
      ]);
      expect(refusalOf(amend({ services: ['payments'] }), deploying).code).toBe(
        'invalid-transition',
      );
    });

    it('lets only the requester or an admin amend, and re-checks a template change', () => {
      const approved = given(ANYTIME, requestChange(), approve());
      expect(refusalOf(amend({ title: 'mine now' }, paul), approved).code).toBe('not-permitted');
      const standard = given(
        ANYTIME,
        requestChange(aRequest({ type: 'standard', templateId: 'feature-flag-toggle' })),
      );
      expect(refusalOf(amend({ hasDatabaseMigration: true }), standard).code).toBe(
        'outside-template',
      );
      expect(typesOf(decide(amend({ services: ['search'] }), standard))).toEqual([
        'ChangeAmended',
        'RiskAssessed',
        'ChangeApproved',
      ]);
    });
  });

  describe('conflicts with other changes', () => {
    const other = (relation: OverlappingChange['relation']): OverlappingChange => ({
      changeId: 'chg-8',
      title: 'Resize pool',
      status: 'scheduled',
      window: TUESDAY_WINDOW,
      relation,
      services: ['checkout'],
    });

    it('refuses an overlap the policy refuses and records one it warns of', () => {
      const strict = policyWith((p) => {
        p.conflicts.sameService = 'refuse';
      });
      const planned = requestChange(aRequest({ plannedWindow: TUESDAY_WINDOW }));
      const error = refusalOf(planned, initialState, {
        policy: strict,
        tier: 1,
        overlapping: [other('same-service')],
      });
      expect(error).toMatchObject({ code: 'conflicting-change', kind: 'rule' });
      expect(error.message).toContain('meets change chg-8 (Resize pool, scheduled)');
      const [, assessed] = decide(planned, initialState, {
        ...policy,
        overlapping: [other('dependency')],
      });
      expect(assessed).toMatchObject({
        data: { conflicts: [{ kind: 'dependency', with: 'chg-8', action: 'warn' }] },
      });
    });
  });

  describe('rollout gates', () => {
    const deploying = given(ANYTIME, requestChange(), approve(), start('2030-01-08T02:00:00.000Z'));
    const healthy = { errorRate: 0.0002, p99LatencyMs: 210, baselineP99LatencyMs: 200 };

    it('promotes a stage whose metrics hold the policy’s gates after the hold time', () => {
      expect(decide(stage(5, '2030-01-08T02:20:00.000Z', healthy), deploying)[0]).toMatchObject({
        data: {
          verdict: 'promote',
          passed: true,
          heldMinutes: 20,
          policyVersion: ANYTIME_POLICY.version,
        },
      });
    });

    it('halts a stage that breaks a gate, and then only a rollback is accepted', () => {
      const events = decide(
        stage(5, '2030-01-08T02:20:00.000Z', { ...healthy, errorRate: 0.02 }),
        deploying,
      );
      expect(events[0]).toMatchObject({
        data: { verdict: 'halt', passed: false, reason: 'error-rate failed' },
      });
      expect((events[0] as ChangeEvent<'RolloutStageCompleted'>).data.checks).toContainEqual({
        name: 'error-rate',
        verdict: 'fail',
        observed: 0.02,
        threshold: 0.001,
      });
      const halted = events.reduce(evolve, deploying as ChangeState);
      const error = refusalOf(markDeployed(), halted);
      expect(error).toMatchObject({ code: 'rollout-halted', kind: 'rule' });
      expect(error.message).toContain('stage "5%" halted the rollout (error-rate failed)');
      expect(refusalOf(stage(25, '2030-01-08T02:40:00.000Z', healthy), halted).code).toBe(
        'rollout-halted',
      );
      expect(
        typesOf(
          decide(
            { kind: 'RollBackChange', changeId: ID, actor: ci, at: IN_TUESDAY, reason: 'gate' },
            halted,
          ),
        ),
      ).toEqual(['ChangeRolledBack']);
    });

    it('halts a stage reported before the hold time, measured by the ledger', () => {
      expect(decide(stage(5, '2030-01-08T02:05:00.000Z', healthy), deploying)[0]).toMatchObject({
        data: { verdict: 'halt', reason: 'hold-time failed', heldMinutes: 5 },
      });
    });
  });

  describe('the approval SLA', () => {
    const waiting = given(ANYTIME, requestChange());

    it('records once that approvals are overdue, with whom to escalate to', () => {
      expect(refusalOf(overdue('2029-12-31T11:59:00.000Z'), waiting).code).toBe('not-overdue');
      const events = decide(overdue('2029-12-31T12:00:00.000Z'), waiting);
      expect(events).toEqual([
        {
          type: 'ApprovalOverdue',
          data: {
            route: 'peer-review',
            dueBy: '2029-12-31T12:00:00.000Z',
            escalateTo: 'change-managers',
            policyVersion: ANYTIME_POLICY.version,
            at: '2029-12-31T12:00:00.000Z',
          },
        },
      ]);
      const after = events.reduce(evolve, waiting as ChangeState);
      expect(decide(overdue('2029-12-31T13:00:00.000Z'), after)).toEqual([]);
    });
  });

  describe('events recorded under the built-in rules', () => {
    it('are read in today’s shape', () => {
      const legacy = {
        type: 'RiskAssessed',
        data: {
          score: 4,
          level: 'medium',
          factors: ['low blast radius (+1)', 'includes a database migration (+3)'],
          route: 'cab',
          requiredApprovals: 2,
          requiresCab: true,
          policyVersion: 'builtin-1',
          at: MONDAY,
        },
      } as unknown as ChangeEvent;
      expect(upcast(legacy)).toMatchObject({
        data: {
          factors: [
            { factor: 'builtin', contribution: 1, detail: 'low blast radius (+1)' },
            { factor: 'builtin', contribution: 3, detail: 'includes a database migration (+3)' },
          ],
          requiredCabApprovals: 1,
          routedBy: 'the built-in rules (builtin-1)',
          mostCriticalTier: 1,
        },
      });
    });
  });
});
