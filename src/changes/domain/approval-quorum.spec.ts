import { isQuorumReached } from './approval-quorum';
import type { GivenApproval } from './change-state';

const approvals = (...cab: boolean[]) =>
  new Map<string, GivenApproval>(
    cab.map((countsAsCab, i) => [`p${i}`, { at: '2030-01-01T09:00:00Z', countsAsCab }]),
  );

describe('isQuorumReached', () => {
  const peerReview = { requiredApprovals: 1, requiredCabApprovals: 0 };
  const cab = { requiredApprovals: 2, requiredCabApprovals: 1 };

  it('needs as many distinct approvers as the route requires', () => {
    expect(isQuorumReached(approvals(), peerReview)).toBe(false);
    expect(isQuorumReached(approvals(false), peerReview)).toBe(true);
    expect(isQuorumReached(approvals(false, false), peerReview)).toBe(true);
  });

  it('is reached with no approvals when none are required', () => {
    expect(isQuorumReached(approvals(), { requiredApprovals: 0, requiredCabApprovals: 0 })).toBe(
      true,
    );
  });

  it('needs a CAB approver among them when the route requires the CAB', () => {
    expect(isQuorumReached(approvals(true), cab)).toBe(false);
    expect(isQuorumReached(approvals(false, false), cab)).toBe(false);
    expect(isQuorumReached(approvals(false, false, false), cab)).toBe(false);
    expect(isQuorumReached(approvals(false, true), cab)).toBe(true);
    expect(isQuorumReached(approvals(true, false), cab)).toBe(true);
    expect(isQuorumReached(approvals(true, true), cab)).toBe(true);
  });

  it('counts the CAB approvers a quorum of M from the CAB needs', () => {
    const twoOfThreeFromCab = { requiredApprovals: 3, requiredCabApprovals: 2 };
    expect(isQuorumReached(approvals(true, false, false), twoOfThreeFromCab)).toBe(false);
    expect(isQuorumReached(approvals(true, false, true), twoOfThreeFromCab)).toBe(true);
  });
});
