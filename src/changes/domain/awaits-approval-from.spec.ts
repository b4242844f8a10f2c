import type { Principal } from '../../kernel/principal';
import { awaitsApprovalFrom } from './awaits-approval-from';
import { initialState, type ChangeState, type ExistingChange } from './change-state';
import type { ChangeEvent } from './events';
import { evolve } from './evolve';
import { aRequest } from './fixtures/change-request';

const at = '2030-01-01T09:00:00.000Z';
const rita: Principal = { id: 'rita', roles: ['requester', 'approver'] };
const paul: Principal = { id: 'paul', roles: ['approver'] };
const petra: Principal = { id: 'petra', roles: ['approver'] };
const carla: Principal = { id: 'carla', roles: ['approver', 'cab'] };
const audrey: Principal = { id: 'audrey', roles: ['auditor'] };

/** A CAB change by rita: two approvals, one of them from the CAB. */
const requested: ChangeEvent[] = [
  {
    type: 'ChangeRequested',
    data: { changeId: 'chg-1', request: aRequest(), requestedBy: 'rita', at },
  },
  {
    type: 'RiskAssessed',
    data: {
      score: 9,
      level: 'high',
      factors: [],
      route: 'cab',
      requiredApprovals: 2,
      requiredCabApprovals: 1,
      requiresCab: true,
      routedBy: 'routing rule 1',
      approvalSla: null,
      facts: {
        services: [{ name: 'checkout', tier: 1 }],
        downstream: [],
        history: { lookBackDays: 90, deployments: 0, failed: 0 },
      },
      mostCriticalTier: 1,
      conflicts: [],
      policyVersion: 'sha256:0000',
      at,
    },
  },
];

const approvedBy = (principal: Principal): ChangeEvent => ({
  type: 'ApprovalGranted',
  data: {
    approver: principal.id,
    roles: [...principal.roles],
    countsAsCab: principal.roles.includes('cab'),
    at,
  },
});

function changeAfter(...events: ChangeEvent[]): ExistingChange {
  const state: ChangeState = [...requested, ...events].reduce(evolve, initialState);
  if (state.status === 'none') throw new Error('no change');
  return state;
}

describe('awaitsApprovalFrom', () => {
  it('waits for approvers other than the requester', () => {
    const change = changeAfter();
    expect(awaitsApprovalFrom(change, paul)).toBe(true);
    expect(awaitsApprovalFrom(change, carla)).toBe(true);
    expect(awaitsApprovalFrom(change, rita)).toBe(false);
  });

  it('does not wait for someone who cannot approve', () => {
    expect(awaitsApprovalFrom(changeAfter(), audrey)).toBe(false);
  });

  it('does not wait twice for one approver', () => {
    expect(awaitsApprovalFrom(changeAfter(approvedBy(paul)), paul)).toBe(false);
  });

  it('waits only for the CAB once enough approvers said yes', () => {
    const change = changeAfter(approvedBy(paul), approvedBy(petra));
    expect(change.status).toBe('awaiting-approval');
    expect(awaitsApprovalFrom(change, { id: 'pia', roles: ['approver'] })).toBe(false);
    expect(awaitsApprovalFrom(change, carla)).toBe(true);
  });

  it('waits for nobody once the change is approved or rejected', () => {
    expect(awaitsApprovalFrom(changeAfter(approvedBy(paul), approvedBy(carla)), petra)).toBe(false);
    const rejected = changeAfter({
      type: 'ChangeRejected',
      data: { rejectedBy: 'paul', reason: 'no', at },
    });
    expect(awaitsApprovalFrom(rejected, carla)).toBe(false);
  });

  it('still waits on a deferred change', () => {
    const deferred = changeAfter({
      type: 'ChangeDeferred',
      data: { deferredBy: 'paul', reason: 'after the sale', at },
    });
    expect(awaitsApprovalFrom(deferred, carla)).toBe(true);
  });
});
