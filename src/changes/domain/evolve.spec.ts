import type { ChangeRequest } from './change-request';
import { initialState } from './change-state';
import type { ChangeStatus, ExistingChange } from './change-state';
import { CHANGE_EVENT_TYPES } from './events';
import type { ChangeEvent, ChangeEventDataMap, ChangeEventType } from './events';
import { evolve } from './evolve';
import { aRequest } from './fixtures/change-request';

const at = '2030-01-01T09:00:00.000Z';
const request: ChangeRequest = aRequest();

// One sample of every event's data; the mapped type makes the compiler insist on all of them.
const SAMPLE: { readonly [K in ChangeEventType]: ChangeEventDataMap[K] } = {
  ChangeRequested: { changeId: 'chg-1', request, requestedBy: 'rita', at },
  RiskAssessed: {
    score: 1,
    level: 'low',
    factors: [{ factor: 'service-tier', contribution: 1, detail: 'checkout: tier 3' }],
    route: 'peer-review',
    requiredApprovals: 1,
    requiredCabApprovals: 0,
    requiresCab: false,
    routedBy: 'routing rule 3',
    approvalSla: { hours: 2, escalateTo: 'change-managers' },
    approvalDueBy: '2030-01-01T11:00:00.000Z',
    facts: {
      services: [{ name: 'checkout', tier: 3 }],
      downstream: [],
      history: { lookBackDays: 90, deployments: 0, failed: 0 },
    },
    mostCriticalTier: 3,
    conflicts: [],
    policyVersion: 'sha256:0000',
    at,
  },
  ChangeAmended: { amendedBy: 'rita', amendment: { title: 'Raise it more' }, scope: false, at },
  ApprovalsInvalidated: {
    reason: 'its scope was amended',
    invalidated: ['paul'],
    policyVersion: 'sha256:0000',
    at,
  },
  ApprovalOverdue: {
    route: 'peer-review',
    dueBy: at,
    escalateTo: 'change-managers',
    policyVersion: 'sha256:0000',
    at,
  },
  ApprovalGranted: { approver: 'paul', roles: ['approver'], countsAsCab: false, at },
  ChangeRejected: { rejectedBy: 'paul', reason: 'no rollback plan', at },
  ChangeDeferred: { deferredBy: 'paul', reason: 'after the sale', at },
  ChangeApproved: { approvers: ['paul'], automatic: false, policyVersion: 'builtin-1', at },
  ChangeScheduled: {
    window: { start: '2030-01-02T09:00:00Z', end: '2030-01-02T10:00:00Z' },
    scheduledBy: 'paul',
    at,
  },
  DeploymentStarted: {
    startedBy: 'ci',
    deploymentId: 'd-7',
    outsideWindow: false,
    flaggedForReview: false,
    at,
  },
  RolloutStageCompleted: {
    stage: 'canary',
    percent: 5,
    gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.1, threshold: 1 }],
    passed: true,
    at,
  },
  ChangeDeployed: { deployedBy: 'ci', version: '1.4.2', at },
  ChangeVerified: { verifiedBy: 'paul', at },
  ChangeRolledBack: { rolledBackBy: 'ci', reason: 'error rate', toVersion: '1.4.1', at },
  ChangeClosed: { closedBy: 'rita', outcome: 'successful', at },
  ChangeCancelled: { cancelledBy: 'rita', reason: 'no longer needed', at },
  ReviewRecorded: { reviewer: 'paul', summary: 'went fine', findings: [], at },
  CommandRefused: {
    command: 'ApproveChange',
    actor: 'rita',
    code: 'self-approval',
    reason: 'cannot approve a change that is awaiting-approval: it is your own',
    at,
  },
};

const event = <T extends ChangeEventType>(type: T): ChangeEvent =>
  ({ type, data: SAMPLE[type] }) as ChangeEvent;

const requested = evolve(initialState, event('ChangeRequested')) as ExistingChange;

describe('evolve', () => {
  it('starts a change awaiting approval from ChangeRequested', () => {
    expect(requested).toEqual({
      status: 'awaiting-approval',
      changeId: 'chg-1',
      request,
      requestedBy: 'rita',
      requestedAt: at,
      approvals: new Map(),
      overdueRecorded: false,
      rolloutStages: [],
      reviews: [],
    });
  });

  it('keeps a refused request on a stream where no change was requested', () => {
    expect(evolve(initialState, event('CommandRefused'))).toBe(initialState);
  });

  it.each(CHANGE_EVENT_TYPES.filter((t) => t !== 'ChangeRequested' && t !== 'CommandRefused'))(
    'refuses %s before the change was requested: the stream is corrupt',
    (type) => {
      expect(() => evolve(initialState, event(type))).toThrow(
        `${type} cannot apply to a change that was never requested`,
      );
    },
  );

  const STATUS_AFTER: { readonly [K in ChangeEventType]: ChangeStatus } = {
    ChangeRequested: 'awaiting-approval',
    RiskAssessed: 'awaiting-approval',
    ChangeAmended: 'awaiting-approval',
    ApprovalsInvalidated: 'awaiting-approval',
    ApprovalOverdue: 'awaiting-approval',
    ApprovalGranted: 'awaiting-approval',
    ChangeRejected: 'rejected',
    ChangeDeferred: 'deferred',
    ChangeApproved: 'approved',
    ChangeScheduled: 'scheduled',
    DeploymentStarted: 'deploying',
    RolloutStageCompleted: 'awaiting-approval',
    ChangeDeployed: 'deployed',
    ChangeVerified: 'verified',
    ChangeRolledBack: 'rolled-back',
    ChangeClosed: 'closed',
    ChangeCancelled: 'cancelled',
    ReviewRecorded: 'awaiting-approval',
    CommandRefused: 'awaiting-approval',
  };

  it.each(CHANGE_EVENT_TYPES)('moves a change awaiting approval as %s says', (type) => {
    expect(evolve(requested, event(type)).status).toBe(STATUS_AFTER[type]);
  });

  it('keeps the status for facts that are not transitions', () => {
    const deferred = evolve(requested, event('ChangeDeferred'));
    for (const type of ['RiskAssessed', 'ApprovalGranted', 'ReviewRecorded'] as const) {
      expect(evolve(deferred, event(type)).status).toBe('deferred');
    }
  });

  it('records the risk assessment', () => {
    expect(evolve(requested, event('RiskAssessed'))).toMatchObject({
      assessment: SAMPLE.RiskAssessed,
    });
  });

  it('records each approval under its approver, leaving the previous state untouched', () => {
    const once = evolve(requested, event('ApprovalGranted')) as ExistingChange;
    const twice = evolve(once, {
      type: 'ApprovalGranted',
      data: { approver: 'carla', roles: ['cab'], countsAsCab: true, at: '2030-01-01T10:00:00Z' },
    }) as ExistingChange;
    expect(requested.approvals.size).toBe(0);
    expect([...once.approvals]).toEqual([['paul', { at, countsAsCab: false }]]);
    expect([...twice.approvals]).toEqual([
      ['paul', { at, countsAsCab: false }],
      ['carla', { at: '2030-01-01T10:00:00Z', countsAsCab: true }],
    ]);
  });

  it('records the scheduled window', () => {
    expect(evolve(requested, event('ChangeScheduled'))).toMatchObject({
      window: SAMPLE.ChangeScheduled.window,
    });
  });

  it('records the deployment, including when a review falls due', () => {
    const flagged = {
      ...SAMPLE.DeploymentStarted,
      flaggedForReview: true,
      reviewDueBy: '2030-01-02T09:00:00.000Z',
    };
    expect(evolve(requested, { type: 'DeploymentStarted', data: flagged })).toMatchObject({
      deployment: flagged,
    });
  });

  it('appends rollout stages in order', () => {
    const first = evolve(requested, event('RolloutStageCompleted'));
    const second = evolve(first, {
      type: 'RolloutStageCompleted',
      data: { stage: 'quarter', percent: 25, gates: [], passed: true, at },
    }) as ExistingChange;
    expect(second.rolloutStages.map((s) => [s.stage, s.percent])).toEqual([
      ['canary', 5],
      ['quarter', 25],
    ]);
  });

  it('records what was deployed', () => {
    expect(evolve(requested, event('ChangeDeployed'))).toMatchObject({
      deployed: SAMPLE.ChangeDeployed,
    });
  });

  it('records the outcome on closing', () => {
    expect(evolve(requested, event('ChangeClosed'))).toMatchObject({ outcome: 'successful' });
  });

  it('appends reviews', () => {
    const once = evolve(requested, event('ReviewRecorded'));
    const twice = evolve(once, event('ReviewRecorded')) as ExistingChange;
    expect(twice.reviews).toEqual([SAMPLE.ReviewRecorded, SAMPLE.ReviewRecorded]);
  });
});
