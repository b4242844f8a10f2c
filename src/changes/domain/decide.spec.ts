import type { Principal } from '../../kernel/principal';
import type { ChangeAmendment } from './amendment';
import type { ChangeRequest, ChangeType } from './change-request';
import { CHANGE_STATUSES, initialState } from './change-state';
import type { ChangeState, ChangeStatus, ExistingChange } from './change-state';
import { CHANGE_COMMAND_KINDS } from './commands';
import type { ChangeCommandKind, ChangeOutcome } from './commands';
import type { TimeWindow } from './change-window';
import { decide as decideCommand } from './decide';
import { aRequest } from './fixtures/change-request';
import {
  ANYTIME_POLICY,
  complete,
  plainFacts,
  type ContextOverrides,
  type SpecIntent,
} from './fixtures/decision-context';
import { DomainError } from '../../kernel/domain-error';
import type { DomainErrorCode, DomainErrorKind } from '../../kernel/domain-error';
import type { ChangeEvent, ChangeEventType } from './events';
import { evolve } from './evolve';

// ---------------------------------------------------------------------------------------------
// Fixtures: people, a request, one builder per command, and a way to replay a history.

const ID = 'chg-42';
const T0 = Date.parse('2030-01-01T09:00:00.000Z');
/** Minutes after T0 as an ISO-8601 instant. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

// rita requests; she is an approver too, which must not let her approve her own change.
const rita: Principal = { id: 'rita', roles: ['requester', 'approver'] };
const paul: Principal = { id: 'paul', roles: ['approver'] };
const petra: Principal = { id: 'petra', roles: ['approver'] };
const carla: Principal = { id: 'carla', roles: ['approver', 'cab'] };
const colin: Principal = { id: 'colin', roles: ['cab'] };
const ci: Principal = { id: 'ci', roles: ['deployer'] };
const ada: Principal = { id: 'ada', roles: ['admin'] };
const system: Principal = { id: 'system:change-ledger', roles: ['admin'] };

/** Scheduled deployments happen inside this window; the table's commands come at its middle. */
const WINDOW: TimeWindow = { start: at(60), end: at(180) };
const IN_WINDOW = at(120);

const requestChange = (
  request: ChangeRequest = aRequest(),
  o: Partial<Intent<'RequestChange'>> = {},
): Intent<'RequestChange'> => ({
  kind: 'RequestChange',
  changeId: ID,
  actor: rita,
  at: at(0),
  request,
  ...o,
});
const approve = (
  actor: Principal = paul,
  o: Partial<Intent<'ApproveChange'>> = {},
): Intent<'ApproveChange'> => ({
  kind: 'ApproveChange',
  changeId: ID,
  actor,
  at: at(10),
  ...o,
});
const reject = (o: Partial<Intent<'RejectChange'>> = {}): Intent<'RejectChange'> => ({
  kind: 'RejectChange',
  changeId: ID,
  actor: paul,
  at: at(10),
  reason: 'no rollback plan',
  ...o,
});
const defer = (o: Partial<Intent<'DeferChange'>> = {}): Intent<'DeferChange'> => ({
  kind: 'DeferChange',
  changeId: ID,
  actor: paul,
  at: at(10),
  reason: 'after the sale',
  ...o,
});
const schedule = (
  window: TimeWindow = WINDOW,
  o: Partial<Intent<'ScheduleChange'>> = {},
): Intent<'ScheduleChange'> => ({
  kind: 'ScheduleChange',
  changeId: ID,
  actor: paul,
  at: at(20),
  window,
  ...o,
});
const startDeployment = (
  o: Partial<Intent<'StartDeployment'>> = {},
): Intent<'StartDeployment'> => ({
  kind: 'StartDeployment',
  changeId: ID,
  actor: ci,
  at: IN_WINDOW,
  ...o,
});
const completeStage = (
  percent: number,
  o: Partial<Intent<'CompleteRolloutStage'>> = {},
): Intent<'CompleteRolloutStage'> => ({
  kind: 'CompleteRolloutStage',
  changeId: ID,
  actor: ci,
  at: IN_WINDOW,
  stage: `${percent}%`,
  percent,
  gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.2, threshold: 1 }],
  ...o,
});
const markDeployed = (o: Partial<Intent<'MarkDeployed'>> = {}): Intent<'MarkDeployed'> => ({
  kind: 'MarkDeployed',
  changeId: ID,
  actor: ci,
  at: IN_WINDOW,
  ...o,
});
const verify = (o: Partial<Intent<'VerifyChange'>> = {}): Intent<'VerifyChange'> => ({
  kind: 'VerifyChange',
  changeId: ID,
  actor: paul,
  at: at(150),
  ...o,
});
const rollBack = (o: Partial<Intent<'RollBackChange'>> = {}): Intent<'RollBackChange'> => ({
  kind: 'RollBackChange',
  changeId: ID,
  actor: ci,
  at: at(150),
  reason: 'error rate above 1%',
  ...o,
});
const close = (
  outcome: ChangeOutcome = 'successful',
  o: Partial<Intent<'CloseChange'>> = {},
): Intent<'CloseChange'> => ({
  kind: 'CloseChange',
  changeId: ID,
  actor: rita,
  at: at(300),
  outcome,
  ...o,
});
const cancel = (o: Partial<Intent<'CancelChange'>> = {}): Intent<'CancelChange'> => ({
  kind: 'CancelChange',
  changeId: ID,
  actor: rita,
  at: at(30),
  reason: 'no longer needed',
  ...o,
});
const review = (o: Partial<Intent<'RecordReview'>> = {}): Intent<'RecordReview'> => ({
  kind: 'RecordReview',
  changeId: ID,
  actor: paul,
  at: at(240),
  summary: 'went as planned',
  ...o,
});

const amend = (
  amendment: ChangeAmendment,
  o: Partial<Intent<'AmendChange'>> = {},
): Intent<'AmendChange'> => ({
  kind: 'AmendChange',
  changeId: ID,
  actor: rita,
  at: at(30),
  amendment,
  ...o,
});
const overdue = (
  o: Partial<Intent<'RecordApprovalOverdue'>> = {},
): Intent<'RecordApprovalOverdue'> => ({
  kind: 'RecordApprovalOverdue',
  changeId: ID,
  actor: system,
  at: at(180),
  ...o,
});

/** A command of one kind as a spec states it. */
type Intent<K extends ChangeCommandKind> = Extract<SpecIntent, { kind: K }>;

/** Decides a command completed with the spec's context (ANYTIME_POLICY, tier-3 services). */
function decide(intent: SpecIntent, state: ChangeState, o: ContextOverrides = {}): ChangeEvent[] {
  return decideCommand(complete(intent, o), state);
}

/** The state after deciding and applying each command in turn, as the handler would. */
function given(...commands: SpecIntent[]): ExistingChange {
  const state = commands.reduce<ChangeState>(
    (current, command) => decide(command, current).reduce(evolve, current),
    initialState,
  );
  if (state.status === 'none') throw new Error('given() needs at least a RequestChange');
  return state;
}

function refusalOf(command: SpecIntent, state: ChangeState, o: ContextOverrides = {}): DomainError {
  try {
    decide(command, state, o);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${command.kind} was accepted, but a refusal was expected`);
}

const typesOf = (events: readonly ChangeEvent[]) => events.map((event) => event.type);
const after = (state: ChangeState, events: readonly ChangeEvent[]) => events.reduce(evolve, state);

const normalChange = requestChange();
const cabChange = requestChange(aRequest({ blastRadius: 'high' }));
const emergencyChange = requestChange(aRequest({ type: 'emergency' }));

// ---------------------------------------------------------------------------------------------

describe('decide', () => {
  describe('RequestChange', () => {
    it('records the request and its risk assessment, and awaits peer review', () => {
      const request = aRequest();
      const events = decide(requestChange(request), initialState);
      expect(events[0]).toEqual({
        type: 'ChangeRequested',
        data: { changeId: ID, request, requestedBy: 'rita', at: at(0) },
      });
      const { factors, ...assessment } = (events[1] as ChangeEvent<'RiskAssessed'>).data;
      expect(factors).toContainEqual({
        factor: 'service-tier',
        contribution: 1,
        detail: 'checkout: tier 3',
      });
      expect(assessment).toEqual({
        score: 1,
        level: 'low',
        route: 'peer-review',
        requiredApprovals: 1,
        requiredCabApprovals: 0,
        requiresCab: false,
        routedBy: 'routing rule 3',
        approvalSla: { hours: 2, escalateTo: 'change-managers' },
        approvalDueBy: at(120),
        facts: plainFacts(['checkout']),
        mostCriticalTier: 3,
        conflicts: [],
        policyVersion: ANYTIME_POLICY.version,
        at: at(0),
      });
      expect(after(initialState, events).status).toBe('awaiting-approval');
    });

    it.each(['standard', 'preapproved'] as const)(
      'approves a %s change that fits a template of the policy automatically',
      (type) => {
        const request = aRequest({ type, templateId: 'feature-flag-toggle' });
        const events = decide(requestChange(request), initialState);
        expect(typesOf(events)).toEqual(['ChangeRequested', 'RiskAssessed', 'ChangeApproved']);
        const template = ANYTIME_POLICY.document.templates[0];
        expect(events[0]).toMatchObject({
          data: {
            request: {
              ...request,
              implementationSteps: template.steps,
              rollbackPlan: template.rollbackPlan,
            },
          },
        });
        expect(events[1]).toMatchObject({
          data: { route: 'automatic', requiredApprovals: 0, templateId: 'feature-flag-toggle' },
        });
        expect(events[2]).toEqual({
          type: 'ChangeApproved',
          data: {
            approvers: [],
            automatic: true,
            policyVersion: ANYTIME_POLICY.version,
            at: at(0),
          },
        });
        expect(after(initialState, events).status).toBe('approved');
      },
    );

    it('routes a high-risk normal change to the CAB', () => {
      const events = decide(cabChange, initialState);
      expect(typesOf(events)).toEqual(['ChangeRequested', 'RiskAssessed']);
      expect(events[1]).toMatchObject({
        data: {
          score: 8,
          level: 'high',
          route: 'cab',
          requiredApprovals: 2,
          requiredCabApprovals: 1,
          requiresCab: true,
        },
      });
    });

    it('routes an emergency change as an emergency, without approving it', () => {
      const events = decide(emergencyChange, initialState);
      expect(typesOf(events)).toEqual(['ChangeRequested', 'RiskAssessed']);
      expect(events[1]).toMatchObject({ data: { route: 'emergency', requiredApprovals: 1 } });
    });

    it('accepts a request with every optional part missing, and with all of them', () => {
      expect(typesOf(decide(requestChange(aRequest()), initialState))).toHaveLength(2);
      const complete = aRequest({
        justification: 'Sale traffic',
        implementationSteps: ['edit config', 'reload'],
        rollbackPlan: { trigger: 'error rate > 1%', steps: ['revert'], expectedMinutes: 5 },
        testPlan: 'load test',
        communicationPlan: '#checkout',
        plannedWindow: WINDOW,
        externalRefs: { pullRequest: 'org/repo#12', commit: 'abc123', ticket: 'OPS-7' },
      });
      expect(decide(requestChange(complete), initialState)[0]).toMatchObject({
        data: { request: complete },
      });
    });

    it('refuses an id that is already taken, naming the status', () => {
      const error = refusalOf(requestChange(), given(normalChange));
      expect(error).toMatchObject({ code: 'change-exists', kind: 'conflict' });
      expect(error.message).toBe(
        `cannot request a change that is awaiting-approval: change ${ID} already exists`,
      );
    });

    it.each<[string, Partial<ChangeRequest>, string]>([
      ['a blank title', { title: '  ' }, 'title is required'],
      ['no description', { description: '' }, 'description is required'],
      ['no environment', { environment: '' }, 'environment is required'],
      ['no services', { services: [] }, 'at least one service is required'],
      ['a blank service', { services: ['checkout', ' '] }, 'service names must not be blank'],
      ['an unknown type', { type: 'urgent' as ChangeType }, 'type must be one of'],
      ['an unknown category', { category: 'misc' as never }, 'category must be one of'],
      ['an unknown blast radius', { blastRadius: 'huge' as never }, 'blastRadius must be one of'],
      [
        'a migration flag that is not a boolean',
        { hasDatabaseMigration: 'yes' as never },
        'true or false',
      ],
      [
        'a rollback time that cannot be recorded',
        { rollbackPlan: { trigger: 't', steps: [], expectedMinutes: Number.NaN } },
        'expectedMinutes',
      ],
      [
        'a negative rollback time',
        { rollbackPlan: { trigger: 't', steps: [], expectedMinutes: -1 } },
        'expectedMinutes',
      ],
    ])('refuses a request with %s', (_why, overrides, says) => {
      const error = refusalOf(requestChange(aRequest(overrides)), initialState);
      expect(error).toMatchObject({ code: 'invalid-request', kind: 'rule' });
      expect(error.message).toContain(`cannot request change ${ID}: `);
      expect(error.message).toContain(says);
    });

    it('lists every problem of a request at once', () => {
      const error = refusalOf(requestChange(aRequest({ title: '', services: [] })), initialState);
      expect(error.message).toBe(
        `cannot request change ${ID}: title is required; at least one service is required`,
      );
    });

    it('refuses a planned window that ends before it starts', () => {
      const plannedWindow = { start: at(60), end: at(30) };
      const error = refusalOf(requestChange(aRequest({ plannedWindow })), initialState);
      expect(error).toMatchObject({ code: 'invalid-window', kind: 'rule' });
      expect(error.message).toContain('the planned window must end after it starts');
    });
  });

  describe('time', () => {
    it.each([
      ['without an offset', '2030-01-01T09:00:00'],
      ['that is not a date', 'now'],
      ['on a day that does not exist', '2030-02-30T09:00:00Z'],
    ])('refuses a command whose time is %s', (_why, bad) => {
      expect(refusalOf(requestChange(aRequest(), { at: bad }), initialState)).toMatchObject({
        code: 'invalid-time',
        kind: 'rule',
      });
      expect(refusalOf(approve(paul, { at: bad }), given(normalChange))).toMatchObject({
        code: 'invalid-time',
      });
    });
  });

  describe('approval', () => {
    it.each([
      ['approve', approve(rita)],
      ['reject', reject({ actor: rita })],
      ['defer', defer({ actor: rita })],
    ])('refuses to let the requester %s their own change', (verb, command) => {
      const error = refusalOf(command, given(normalChange));
      expect(error).toMatchObject({ code: 'self-approval', kind: 'rule' });
      expect(error.message).toBe(
        `cannot ${verb} a change that is awaiting-approval: rita requested it and cannot decide on it`,
      );
    });

    it('approves a peer-reviewed change with one approval from someone else', () => {
      const events = decide(approve(paul, { comment: 'looks good' }), given(normalChange));
      expect(events).toEqual([
        {
          type: 'ApprovalGranted',
          data: {
            approver: 'paul',
            roles: ['approver'],
            comment: 'looks good',
            countsAsCab: false,
            at: at(10),
          },
        },
        {
          type: 'ChangeApproved',
          data: {
            approvers: ['paul'],
            automatic: false,
            policyVersion: ANYTIME_POLICY.version,
            at: at(10),
          },
        },
      ]);
      expect(after(given(normalChange), events).status).toBe('approved');
    });

    it('records that an approval from a CAB member counts as CAB', () => {
      const [granted] = decide(approve(carla), given(normalChange));
      expect(granted).toMatchObject({
        type: 'ApprovalGranted',
        data: { approver: 'carla', roles: ['approver', 'cab'], countsAsCab: true },
      });
    });

    it('counts one principal once toward a quorum', () => {
      const error = refusalOf(approve(paul, { at: at(11) }), given(cabChange, approve(paul)));
      expect(error).toMatchObject({ code: 'duplicate-approval', kind: 'rule' });
      expect(error.message).toBe(
        'cannot approve a change that is awaiting-approval: paul already approved it',
      );
    });

    describe('on the CAB route', () => {
      it('records a first approval and keeps waiting', () => {
        const events = decide(approve(paul), given(cabChange));
        expect(typesOf(events)).toEqual(['ApprovalGranted']);
        expect(after(given(cabChange), events).status).toBe('awaiting-approval');
      });

      it('does not approve with two approvals when none is from the CAB', () => {
        const events = decide(approve(petra), given(cabChange, approve(paul)));
        expect(typesOf(events)).toEqual(['ApprovalGranted']);
        expect(after(given(cabChange, approve(paul)), events).status).toBe('awaiting-approval');
      });

      it('approves once a CAB member joins the approvals, listing every approver', () => {
        const state = given(cabChange, approve(paul), approve(petra));
        const events = decide(approve(colin, { at: at(12) }), state);
        expect(events[1]).toEqual({
          type: 'ChangeApproved',
          data: {
            approvers: ['paul', 'petra', 'colin'],
            automatic: false,
            policyVersion: ANYTIME_POLICY.version,
            at: at(12),
          },
        });
      });

      it('approves with a CAB approval first and any second approval', () => {
        const events = decide(approve(paul), given(cabChange, approve(carla)));
        expect(typesOf(events)).toEqual(['ApprovalGranted', 'ChangeApproved']);
        expect(events[1]).toMatchObject({ data: { approvers: ['carla', 'paul'] } });
      });

      it('approves with two CAB approvals', () => {
        expect(typesOf(decide(approve(colin), given(cabChange, approve(carla))))).toEqual([
          'ApprovalGranted',
          'ChangeApproved',
        ]);
      });

      it('does not approve with a single CAB approval', () => {
        expect(typesOf(decide(approve(carla), given(cabChange)))).toEqual(['ApprovalGranted']);
      });

      it('keeps approvals given before a deferral and approves from deferred', () => {
        const state = given(cabChange, approve(paul), defer({ actor: petra }));
        expect(state.status).toBe('deferred');
        const events = decide(approve(carla), state);
        expect(typesOf(events)).toEqual(['ApprovalGranted', 'ChangeApproved']);
        expect(after(state, events).status).toBe('approved');
      });
    });

    it('lets someone approve an emergency change, though it does not need it', () => {
      const events = decide(approve(paul), given(emergencyChange));
      expect(typesOf(events)).toEqual(['ApprovalGranted', 'ChangeApproved']);
    });

    it('records a rejection with who and why', () => {
      const events = decide(reject(), given(normalChange));
      expect(events).toEqual([
        {
          type: 'ChangeRejected',
          data: { rejectedBy: 'paul', reason: 'no rollback plan', at: at(10) },
        },
      ]);
      expect(after(given(normalChange), events).status).toBe('rejected');
    });

    it('records a deferral with who, why and until when', () => {
      const events = decide(defer({ until: at(60 * 24) }), given(normalChange));
      expect(events).toEqual([
        {
          type: 'ChangeDeferred',
          data: { deferredBy: 'paul', reason: 'after the sale', until: at(60 * 24), at: at(10) },
        },
      ]);
      expect(after(given(normalChange), events).status).toBe('deferred');
    });

    it.each([
      ['before the deferral', at(5)],
      ['at the moment of deferral', at(10)],
      ['unreadable', 'next week'],
    ])('refuses to defer until a time %s', (_why, until) => {
      expect(refusalOf(defer({ until }), given(normalChange))).toMatchObject({
        code: 'invalid-time',
        kind: 'rule',
      });
    });

    it.each([
      ['reject', reject({ reason: ' ' })],
      ['defer', defer({ reason: '' })],
    ])('refuses to %s without a reason', (verb, command) => {
      const error = refusalOf(command, given(normalChange));
      expect(error).toMatchObject({ code: 'reason-required', kind: 'rule' });
      expect(error.message).toBe(
        `cannot ${verb} a change that is awaiting-approval: a reason is required`,
      );
    });
  });

  describe('ScheduleChange', () => {
    it('schedules an approved change, recording who and when', () => {
      const state = given(normalChange, approve());
      const events = decide(schedule(), state);
      expect(events).toEqual([
        {
          type: 'ChangeScheduled',
          data: {
            window: WINDOW,
            scheduledBy: 'paul',
            conflicts: [],
            policyVersion: ANYTIME_POLICY.version,
            at: at(20),
          },
        },
      ]);
      expect(after(state, events)).toMatchObject({ status: 'scheduled', window: WINDOW });
    });

    it('reschedules a scheduled change into a new window', () => {
      const later = { start: at(600), end: at(660) };
      const state = given(normalChange, approve(), schedule());
      expect(after(state, decide(schedule(later), state))).toMatchObject({ window: later });
    });

    it.each([
      ['ends before it starts', { start: at(120), end: at(60) }],
      ['ends when it starts', { start: at(60), end: at(60) }],
      ['cannot be read', { start: 'tonight', end: at(60) }],
    ])('refuses a window that %s', (_why, window) => {
      expect(refusalOf(schedule(window), given(normalChange, approve()))).toMatchObject({
        code: 'invalid-window',
        kind: 'rule',
      });
    });
  });

  describe('StartDeployment', () => {
    it('starts an approved change that has no window at once', () => {
      const state = given(normalChange, approve());
      const events = decide(
        startDeployment({ deploymentId: 'd-7', version: '1.4.2', commit: 'abc123' }),
        state,
      );
      expect(events).toEqual([
        {
          type: 'DeploymentStarted',
          data: {
            startedBy: 'ci',
            deploymentId: 'd-7',
            version: '1.4.2',
            commit: 'abc123',
            outsideWindow: false,
            flaggedForReview: false,
            policyVersion: ANYTIME_POLICY.version,
            at: IN_WINDOW,
          },
        },
      ]);
      expect(events[0].data).not.toHaveProperty('reviewDueBy');
      expect(after(state, events)).toMatchObject({
        status: 'deploying',
        deployment: events[0].data,
      });
    });

    it('starts a change approved automatically by policy', () => {
      const state = given(
        requestChange(aRequest({ type: 'standard', templateId: 'feature-flag-toggle' })),
      );
      expect(typesOf(decide(startDeployment(), state))).toEqual(['DeploymentStarted']);
    });

    it.each([
      ['awaiting approval', given(normalChange), 'awaiting-approval', 'it has not been approved'],
      ['deferred', given(normalChange, defer()), 'deferred', 'an approver deferred it'],
      [
        'short of its CAB approval',
        given(cabChange, approve(paul), approve(petra)),
        'awaiting-approval',
        'it has not been approved',
      ],
    ])('refuses a normal change that is %s', (_why, state, status, why) => {
      const error = refusalOf(startDeployment(), state);
      expect(error).toMatchObject({ code: 'not-approved', kind: 'rule' });
      expect(error.message).toBe(`cannot start deploying a change that is ${status}: ${why}`);
    });

    describe('inside the scheduled window', () => {
      const state = given(normalChange, approve(), schedule());

      it.each([
        ['at its start', WINDOW.start],
        ['in its middle', IN_WINDOW],
        ['given in another offset', '2030-01-01T12:00:00+01:00'],
      ])('starts %s', (_when, when) => {
        expect(typesOf(decide(startDeployment({ at: when }), state))).toEqual([
          'DeploymentStarted',
        ]);
      });

      it.each([
        ['before its start', at(59)],
        ['at its end, which is excluded', WINDOW.end],
        ['after its end', at(200)],
      ])('refuses to start %s', (_when, when) => {
        const error = refusalOf(startDeployment({ at: when }), state);
        expect(error).toMatchObject({ code: 'outside-window', kind: 'rule' });
        expect(error.message).toBe(
          `cannot start deploying a change that is scheduled: ${when} is outside its window ${WINDOW.start} – ${WINDOW.end}`,
        );
      });
    });

    it('holds an approved change to its planned window when it was not scheduled', () => {
      const planned = requestChange(aRequest({ plannedWindow: { start: at(300), end: at(360) } }));
      const state = given(planned, approve());
      expect(refusalOf(startDeployment(), state)).toMatchObject({ code: 'outside-window' });
      expect(typesOf(decide(startDeployment({ at: at(330) }), state))).toEqual([
        'DeploymentStarted',
      ]);
    });

    it('prefers the scheduled window over the planned one', () => {
      const planned = requestChange(aRequest({ plannedWindow: { start: at(60), end: at(360) } }));
      const state = given(planned, approve(), schedule());
      expect(typesOf(decide(startDeployment(), state))).toEqual(['DeploymentStarted']);
      expect(refusalOf(startDeployment({ at: at(330) }), state)).toMatchObject({
        code: 'outside-window',
      });
    });

    describe('of an emergency change', () => {
      it('starts at once without approval, flagged for a review due within 24 hours', () => {
        const state = given(emergencyChange);
        const events = decide(startDeployment({ at: '2030-01-01T11:00:00.000Z' }), state);
        expect(events).toEqual([
          {
            type: 'DeploymentStarted',
            data: {
              startedBy: 'ci',
              outsideWindow: false,
              flaggedForReview: true,
              reviewDueBy: '2030-01-02T11:00:00.000Z',
              ticketDueBy: '2030-01-02T11:00:00.000Z',
              postMortemDueBy: '2030-01-03T11:00:00.000Z',
              policyVersion: ANYTIME_POLICY.version,
              at: '2030-01-01T11:00:00.000Z',
            },
          },
        ]);
        expect(after(state, events)).toMatchObject({
          status: 'deploying',
          deployment: { flaggedForReview: true, reviewDueBy: '2030-01-02T11:00:00.000Z' },
        });
      });

      it('flags an approved emergency change for review too', () => {
        expect(decide(startDeployment(), given(emergencyChange, approve()))[0]).toMatchObject({
          data: { flaggedForReview: true },
        });
      });

      it('starts outside its window, and records that it did', () => {
        const outside = requestChange(
          aRequest({ type: 'emergency', plannedWindow: { start: at(300), end: at(360) } }),
        );
        expect(decide(startDeployment(), given(outside))[0]).toMatchObject({
          data: { outsideWindow: true, flaggedForReview: true },
        });
        expect(decide(startDeployment({ at: at(330) }), given(outside))[0]).toMatchObject({
          data: { outsideWindow: false },
        });
      });

      it('refuses an emergency change an approver deferred', () => {
        const error = refusalOf(startDeployment(), given(emergencyChange, defer()));
        expect(error).toMatchObject({ code: 'not-approved', kind: 'rule' });
        expect(error.message).toBe(
          'cannot start deploying a change that is deferred: an approver deferred it',
        );
      });
    });
  });

  describe('MarkDeployed', () => {
    it('completes a deployment in progress', () => {
      const state = given(normalChange, approve(), startDeployment());
      const events = decide(markDeployed({ version: '1.4.2', commit: 'abc123' }), state);
      expect(events).toEqual([
        {
          type: 'ChangeDeployed',
          data: { deployedBy: 'ci', version: '1.4.2', commit: 'abc123', at: IN_WINDOW },
        },
      ]);
      expect(after(state, events)).toMatchObject({ status: 'deployed', deployed: events[0].data });
    });

    it('starts and completes the deployment of an approved change in one decision', () => {
      const events = decide(markDeployed({ version: '1.4.2' }), given(normalChange, approve()));
      expect(events).toEqual([
        {
          type: 'DeploymentStarted',
          data: {
            startedBy: 'ci',
            version: '1.4.2',
            outsideWindow: false,
            flaggedForReview: false,
            policyVersion: ANYTIME_POLICY.version,
            at: IN_WINDOW,
          },
        },
        { type: 'ChangeDeployed', data: { deployedBy: 'ci', version: '1.4.2', at: IN_WINDOW } },
      ]);
    });

    it('applies the deployment gate when it starts the deployment', () => {
      expect(refusalOf(markDeployed(), given(normalChange))).toMatchObject({
        code: 'not-approved',
        message:
          'cannot mark as deployed a change that is awaiting-approval: it has not been approved',
      });
      expect(
        refusalOf(markDeployed({ at: at(10) }), given(normalChange, approve(), schedule())),
      ).toMatchObject({ code: 'outside-window' });
    });

    it('deploys an emergency change at once, flagged for review', () => {
      const events = decide(markDeployed(), given(emergencyChange));
      expect(typesOf(events)).toEqual(['DeploymentStarted', 'ChangeDeployed']);
      expect(events[0]).toMatchObject({ data: { flaggedForReview: true } });
    });
  });

  describe('CompleteRolloutStage', () => {
    const deploying = given(normalChange, approve(), startDeployment());

    it('records a stage whose gates all passed', () => {
      const events = decide(completeStage(5, { stage: 'canary' }), deploying);
      expect(events).toEqual([
        {
          type: 'RolloutStageCompleted',
          data: {
            stage: 'canary',
            percent: 5,
            gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.2, threshold: 1 }],
            checks: [],
            verdict: 'promote',
            reason: 'no metrics reported: not gated',
            heldMinutes: 0,
            passed: true,
            policyVersion: ANYTIME_POLICY.version,
            at: IN_WINDOW,
          },
        },
      ]);
      expect(after(deploying, events)).toMatchObject({
        status: 'deploying',
        rolloutStages: [events[0].data],
      });
    });

    it('records a stage with a failed gate as not passed, and does not roll back by itself', () => {
      const gates = [
        { name: 'error-rate', verdict: 'pass', observed: 0.2, threshold: 1 },
        { name: 'p99-latency-delta', verdict: 'fail', observed: 180, threshold: 50 },
      ] as const;
      const events = decide(completeStage(5, { gates }), deploying);
      expect(typesOf(events)).toEqual(['RolloutStageCompleted']);
      expect(events[0]).toMatchObject({ data: { passed: false, gates } });
      expect(after(deploying, events).status).toBe('deploying');
    });

    it('counts a stage without gates as passed', () => {
      expect(decide(completeStage(5, { gates: [] }), deploying)[0]).toMatchObject({
        data: { passed: true },
      });
    });

    it('accepts stages in increasing percent up to 100', () => {
      const state = given(normalChange, approve(), startDeployment(), completeStage(5));
      const more = after(state, decide(completeStage(25), state));
      expect(typesOf(decide(completeStage(100), more))).toEqual(['RolloutStageCompleted']);
    });

    it.each([
      ['the same percent again', 25, 'percent must exceed 25 (stage "25%"), got 25'],
      ['a lower percent', 10, 'percent must exceed 25 (stage "25%"), got 10'],
    ])('refuses %s', (_why, percent, says) => {
      const state = given(normalChange, approve(), startDeployment(), completeStage(25));
      const error = refusalOf(completeStage(percent), state);
      expect(error).toMatchObject({ code: 'invalid-rollout-stage', kind: 'rule' });
      expect(error.message).toBe(
        `cannot complete a rollout stage of a change that is deploying: ${says}`,
      );
    });

    it.each([
      ['0 percent', completeStage(0)],
      ['a negative percent', completeStage(-5)],
      ['more than 100 percent', completeStage(101)],
      ['a percent that is not a number', completeStage(Number.NaN)],
      ['an unnamed stage', completeStage(5, { stage: ' ' })],
      ['an unnamed gate', completeStage(5, { gates: [{ name: '', verdict: 'pass' }] })],
      [
        'a gate reading that cannot be recorded',
        completeStage(5, {
          gates: [{ name: 'error-rate', verdict: 'pass', observed: Number.POSITIVE_INFINITY }],
        }),
      ],
      [
        'a gate threshold that cannot be recorded',
        completeStage(5, {
          gates: [{ name: 'error-rate', verdict: 'fail', threshold: Number.NaN }],
        }),
      ],
      [
        'an unknown gate verdict',
        completeStage(5, { gates: [{ name: 'error-rate', verdict: 'maybe' as never }] }),
      ],
    ])('refuses %s', (_why, command) => {
      expect(refusalOf(command, deploying)).toMatchObject({
        code: 'invalid-rollout-stage',
        kind: 'rule',
      });
    });
  });

  describe('VerifyChange', () => {
    it('records who verified a deployed change', () => {
      const state = given(normalChange, approve(), markDeployed());
      const events = decide(verify({ notes: 'dashboards green' }), state);
      expect(events).toEqual([
        {
          type: 'ChangeVerified',
          data: { verifiedBy: 'paul', notes: 'dashboards green', at: at(150) },
        },
      ]);
      expect(after(state, events).status).toBe('verified');
    });
  });

  describe('RollBackChange', () => {
    it.each([
      ['deploying', given(normalChange, approve(), startDeployment())],
      ['deployed', given(normalChange, approve(), markDeployed())],
      ['verified', given(normalChange, approve(), markDeployed(), verify())],
    ])('rolls back a change that is %s, recording who, why and to what', (_status, state) => {
      const events = decide(rollBack({ toVersion: '1.4.1' }), state);
      expect(events).toEqual([
        {
          type: 'ChangeRolledBack',
          data: {
            rolledBackBy: 'ci',
            reason: 'error rate above 1%',
            toVersion: '1.4.1',
            at: at(150),
          },
        },
      ]);
      expect(after(state, events).status).toBe('rolled-back');
    });

    it('refuses to roll back without a reason', () => {
      const error = refusalOf(
        rollBack({ reason: '' }),
        given(normalChange, approve(), markDeployed()),
      );
      expect(error).toMatchObject({ code: 'reason-required', kind: 'rule' });
      expect(error.message).toBe(
        'cannot roll back a change that is deployed: a reason is required',
      );
    });
  });

  describe('CloseChange', () => {
    const verified = given(normalChange, approve(), markDeployed(), verify());
    const rolledBack = given(normalChange, approve(), markDeployed(), rollBack());

    it('closes a verified change with its outcome, recording who', () => {
      const events = decide(close('successful', { notes: 'no issues' }), verified);
      expect(events).toEqual([
        {
          type: 'ChangeClosed',
          data: { closedBy: 'rita', outcome: 'successful', notes: 'no issues', at: at(300) },
        },
      ]);
      expect(after(verified, events)).toMatchObject({ status: 'closed', outcome: 'successful' });
    });

    it.each(['successful', 'successful-with-issues', 'failed'] as const)(
      'closes a deployed change as %s',
      (outcome) => {
        const deployed = given(normalChange, approve(), markDeployed());
        expect(decide(close(outcome), deployed)[0]).toMatchObject({ data: { outcome } });
      },
    );

    it('refuses the outcome rolled-back for a change that was not rolled back', () => {
      const error = refusalOf(close('rolled-back'), verified);
      expect(error).toMatchObject({ code: 'invalid-outcome', kind: 'rule' });
      expect(error.message).toBe(
        'cannot close a change that is verified: it was never rolled back',
      );
    });

    it.each(['rolled-back', 'failed'] as const)('closes a rolled-back change as %s', (outcome) => {
      expect(decide(close(outcome), rolledBack)[0]).toMatchObject({ data: { outcome } });
    });

    it.each(['successful', 'successful-with-issues'] as const)(
      'refuses to close a rolled-back change as %s',
      (outcome) => {
        const error = refusalOf(close(outcome), rolledBack);
        expect(error).toMatchObject({ code: 'invalid-outcome', kind: 'rule' });
        expect(error.message).toBe(
          `cannot close a change that is rolled-back: it was rolled back, so it cannot be ${outcome}`,
        );
      },
    );

    it('refuses an outcome it does not know', () => {
      expect(refusalOf(close('fine' as ChangeOutcome), verified)).toMatchObject({
        code: 'invalid-outcome',
      });
    });

    it('refuses to close an emergency change before its review is recorded', () => {
      const deployed = given(emergencyChange, markDeployed());
      const error = refusalOf(close(), deployed);
      expect(error).toMatchObject({ code: 'review-required', kind: 'rule' });
      expect(error.message).toBe(
        'cannot close a change that is deployed: its deployment was flagged for review and none is recorded',
      );
      expect(typesOf(decide(close(), given(emergencyChange, markDeployed(), review())))).toEqual([
        'ChangeClosed',
      ]);
    });
  });

  describe('CancelChange', () => {
    it('lets the requester withdraw the change, recording why', () => {
      const state = given(normalChange, approve());
      const events = decide(cancel(), state);
      expect(events).toEqual([
        {
          type: 'ChangeCancelled',
          data: { cancelledBy: 'rita', reason: 'no longer needed', at: at(30) },
        },
      ]);
      expect(after(state, events).status).toBe('cancelled');
    });

    it('lets an admin cancel someone else’s change', () => {
      expect(decide(cancel({ actor: ada }), given(normalChange))[0]).toMatchObject({
        data: { cancelledBy: 'ada' },
      });
    });

    it('refuses anyone else, even an approver', () => {
      const error = refusalOf(cancel({ actor: paul }), given(normalChange));
      expect(error).toMatchObject({ code: 'not-permitted', kind: 'rule' });
      expect(error.message).toBe(
        'cannot cancel a change that is awaiting-approval: only rita or an admin may do that',
      );
    });

    it('refuses to cancel without a reason', () => {
      expect(refusalOf(cancel({ reason: '' }), given(normalChange))).toMatchObject({
        code: 'reason-required',
      });
    });
  });

  describe('RecordReview', () => {
    const deployed = given(emergencyChange, markDeployed());

    it('records a review with its findings, keeping the status', () => {
      const events = decide(review({ findings: ['no rollback rehearsal'] }), deployed);
      expect(events).toEqual([
        {
          type: 'ReviewRecorded',
          data: {
            reviewer: 'paul',
            summary: 'went as planned',
            findings: ['no rollback rehearsal'],
            kind: 'post-implementation',
            at: at(240),
          },
        },
      ]);
      expect(after(deployed, events)).toMatchObject({
        status: 'deployed',
        reviews: [events[0].data],
      });
    });

    it('records no findings as an empty list', () => {
      expect(decide(review(), deployed)[0]).toMatchObject({ data: { findings: [] } });
    });

    it('accepts several reviews, even from the same reviewer', () => {
      const state = given(emergencyChange, markDeployed(), review(), review({ actor: carla }));
      expect(state.reviews.map((r) => r.reviewer)).toEqual(['paul', 'carla']);
      expect(typesOf(decide(review(), state))).toEqual(['ReviewRecorded']);
    });

    it('refuses a review by the requester', () => {
      const error = refusalOf(review({ actor: rita }), deployed);
      expect(error).toMatchObject({ code: 'self-review', kind: 'rule' });
      expect(error.message).toBe(
        'cannot record a review of a change that is deployed: rita requested it and cannot decide on it',
      );
    });

    it('refuses a review without a summary', () => {
      const error = refusalOf(review({ summary: '\n' }), deployed);
      expect(error).toMatchObject({ code: 'summary-required', kind: 'rule' });
    });
  });

  it('refuses to decide on a stream cut short before its risk assessment', () => {
    const [requested] = decide(normalChange, initialState);
    const truncated = evolve(initialState, requested);
    expect(() => decide(approve(), truncated)).toThrow(
      `change ${ID} has no risk assessment: its stream is incomplete`,
    );
    expect(() => decide(approve(), truncated)).not.toThrow(DomainError);
  });
});

// ---------------------------------------------------------------------------------------------
// Every command in every status: accepted where the lifecycle allows it, and otherwise refused
// with the status named.

type Outcome = readonly ChangeEventType[] | DomainErrorCode;

const GRANTED_AND_APPROVED = ['ApprovalGranted', 'ChangeApproved'] as const;
const STARTED_AND_DEPLOYED = ['DeploymentStarted', 'ChangeDeployed'] as const;

const AMENDED_FROM: readonly ChangeStatus[] = [
  'awaiting-approval',
  'deferred',
  'approved',
  'scheduled',
  'deploying',
  'deployed',
  'verified',
  'rolled-back',
];

const NORMAL: { readonly [K in ChangeCommandKind]: Partial<Record<ChangeStatus, Outcome>> } = {
  RequestChange: { none: ['ChangeRequested', 'RiskAssessed'] },
  AmendChange: Object.fromEntries(AMENDED_FROM.map((status) => [status, ['ChangeAmended']])),
  ApproveChange: { 'awaiting-approval': GRANTED_AND_APPROVED, deferred: GRANTED_AND_APPROVED },
  RejectChange: { 'awaiting-approval': ['ChangeRejected'], deferred: ['ChangeRejected'] },
  DeferChange: { 'awaiting-approval': ['ChangeDeferred'], deferred: ['ChangeDeferred'] },
  ScheduleChange: { approved: ['ChangeScheduled'], scheduled: ['ChangeScheduled'] },
  StartDeployment: {
    'awaiting-approval': 'not-approved',
    deferred: 'not-approved',
    approved: ['DeploymentStarted'],
    scheduled: ['DeploymentStarted'],
  },
  CompleteRolloutStage: { deploying: ['RolloutStageCompleted'] },
  MarkDeployed: {
    'awaiting-approval': 'not-approved',
    deferred: 'not-approved',
    approved: STARTED_AND_DEPLOYED,
    scheduled: STARTED_AND_DEPLOYED,
    deploying: ['ChangeDeployed'],
  },
  VerifyChange: { deployed: ['ChangeVerified'] },
  RollBackChange: {
    deploying: ['ChangeRolledBack'],
    deployed: ['ChangeRolledBack'],
    verified: ['ChangeRolledBack'],
  },
  CloseChange: {
    deployed: ['ChangeClosed'],
    verified: ['ChangeClosed'],
    'rolled-back': ['ChangeClosed'],
  },
  CancelChange: {
    'awaiting-approval': ['ChangeCancelled'],
    deferred: ['ChangeCancelled'],
    approved: ['ChangeCancelled'],
    scheduled: ['ChangeCancelled'],
  },
  RecordReview: {
    deploying: ['ReviewRecorded'],
    deployed: ['ReviewRecorded'],
    verified: ['ReviewRecorded'],
    'rolled-back': ['ReviewRecorded'],
    closed: ['ReviewRecorded'],
  },
  RecordApprovalOverdue: {
    'awaiting-approval': ['ApprovalOverdue'],
    deferred: ['ApprovalOverdue'],
  },
};

const EMERGENCY: typeof NORMAL = {
  ...NORMAL,
  StartDeployment: { ...NORMAL.StartDeployment, 'awaiting-approval': ['DeploymentStarted'] },
  MarkDeployed: { ...NORMAL.MarkDeployed, 'awaiting-approval': STARTED_AND_DEPLOYED },
  // An emergency has no approval SLA: nothing is ever overdue.
  RecordApprovalOverdue: { 'awaiting-approval': [], deferred: [] },
  // Every emergency deployment is flagged, and these states carry no review yet.
  CloseChange: {
    deployed: 'review-required',
    verified: 'review-required',
    'rolled-back': 'review-required',
  },
};

const KIND_OF: Partial<Record<DomainErrorCode, DomainErrorKind>> = {
  'change-not-found': 'not-found',
  'change-exists': 'conflict',
  'invalid-transition': 'conflict',
  'not-approved': 'rule',
  'review-required': 'rule',
};

function expectedOutcome(
  table: typeof NORMAL,
  kind: ChangeCommandKind,
  status: ChangeStatus,
): Outcome {
  const listed = table[kind][status];
  if (listed !== undefined) return listed;
  if (status === 'none') return 'change-not-found';
  return kind === 'RequestChange' ? 'change-exists' : 'invalid-transition';
}

/** A change of the given type brought to `status` through its ordinary lifecycle. */
function changeIn(status: ChangeStatus, type: 'normal' | 'emergency'): ChangeState {
  if (status === 'none') return initialState;
  const requested = requestChange(aRequest({ type }));
  const deployed = [requested, approve(), startDeployment(), markDeployed()];
  const paths: Record<Exclude<ChangeStatus, 'none'>, SpecIntent[]> = {
    'awaiting-approval': [requested],
    deferred: [requested, defer()],
    approved: [requested, approve()],
    rejected: [requested, reject()],
    scheduled: [requested, approve(), schedule()],
    deploying: [requested, approve(), startDeployment()],
    deployed,
    verified: [...deployed, verify()],
    'rolled-back': [...deployed, rollBack()],
    closed: [...deployed, review(), close()],
    cancelled: [requested, cancel()],
  };
  return given(...paths[status]);
}

/** One acceptable command of each kind, from someone entitled to give it, inside the window. */
function commandOf(kind: ChangeCommandKind, type: 'normal' | 'emergency'): SpecIntent {
  const commands: { readonly [K in ChangeCommandKind]: SpecIntent } = {
    RequestChange: requestChange(aRequest({ type })),
    AmendChange: amend({ title: 'Raise checkout pool size to 60' }),
    ApproveChange: approve(carla),
    RejectChange: reject(),
    DeferChange: defer(),
    ScheduleChange: schedule(),
    StartDeployment: startDeployment(),
    CompleteRolloutStage: completeStage(5),
    MarkDeployed: markDeployed(),
    VerifyChange: verify(),
    RollBackChange: rollBack(),
    CloseChange: close('failed'),
    CancelChange: cancel(),
    RecordReview: review(),
    RecordApprovalOverdue: overdue(),
  };
  return { ...commands[kind], at: IN_WINDOW };
}

describe.each([
  ['normal', NORMAL],
  ['emergency', EMERGENCY],
] as const)('every command in every status of a %s change', (type, table) => {
  it.each(CHANGE_STATUSES)('reaches %s through the lifecycle', (status) => {
    expect(changeIn(status, type).status).toBe(status);
  });

  const cases = CHANGE_COMMAND_KINDS.flatMap((kind) =>
    CHANGE_STATUSES.map((status) => [kind, status, expectedOutcome(table, kind, status)] as const),
  );

  it.each(cases)('%s when %s → %j', (kind, status, outcome) => {
    const command = commandOf(kind, type);
    const state = changeIn(status, type);
    if (typeof outcome !== 'string') {
      expect(typesOf(decide(command, state))).toEqual(outcome);
      return;
    }
    const error = refusalOf(command, state);
    expect(error.code).toBe(outcome);
    expect(error.kind).toBe(KIND_OF[outcome]);
    expect(error.message).toContain(
      status === 'none' ? `change ${ID} does not exist` : `a change that is ${status}`,
    );
  });
});
