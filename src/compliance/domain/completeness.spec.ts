import { approvalsSatisfied, completeness } from './completeness';
import { alice, bob, carol, ChangeHistory, ci } from './fixtures/change-history';

describe('completeness', () => {
  it('is complete with justification, rollback plan, test plan and the route approved', () => {
    const change = ChangeHistory.requested()
      .then('ApproveChange', {}, bob, 5)
      .then('MarkDeployed', {}, ci, 10);
    expect(completeness(change.record)).toEqual({ complete: true, missing: [] });
  });

  it('names every missing field; blank text is missing', () => {
    const change = ChangeHistory.requested({
      justification: '  ',
      rollbackPlan: undefined,
      testPlan: undefined,
    });
    expect(completeness(change.record)).toEqual({
      complete: false,
      missing: ['justification', 'rollbackPlan', 'testPlan'],
    });
  });

  it('owes no approvals until a deployment starts', () => {
    const waiting = ChangeHistory.requested();
    expect(approvalsSatisfied(waiting.record)).toBe(true);
    const rejected = ChangeHistory.requested().then('RejectChange', { reason: 'no' }, bob, 5);
    expect(completeness(rejected.record).complete).toBe(true);
  });

  it('takes an automatic approval for a standard change', () => {
    const change = ChangeHistory.requested({
      type: 'standard',
      templateId: 'feature-flag-toggle',
      rollbackPlan: undefined,
    }).then('MarkDeployed', {}, ci, 1);
    expect(approvalsSatisfied(change.record)).toBe(true);
  });

  it('asks the CAB route for two approvals, one of them from the CAB', () => {
    const highRisk = { blastRadius: 'high' as const };
    const oneApprover = ChangeHistory.requested(highRisk).then('ApproveChange', {}, bob, 1);
    expect(oneApprover.record.route).toBe('cab');
    // Deploying is refused (not approved), which is a recorded attempt, not a start.
    oneApprover.then('MarkDeployed', {}, ci, 2);
    expect(oneApprover.record.deployStartedAt).toBeNull();

    const quorum = ChangeHistory.requested(highRisk)
      .then('ApproveChange', {}, bob, 1)
      .then('ApproveChange', {}, carol, 2)
      .then('MarkDeployed', {}, ci, 3);
    expect(approvalsSatisfied(quorum.record)).toBe(true);
  });

  it('accepts an approval or the review for an emergency, and neither is missing approvals', () => {
    const deployed = () =>
      ChangeHistory.requested({ type: 'emergency' }).then('MarkDeployed', {}, ci, 1);
    expect(completeness(deployed().record).missing).toEqual(['approvals']);
    const reviewed = deployed().then('RecordReview', { summary: 'ok' }, bob, 60);
    expect(approvalsSatisfied(reviewed.record)).toBe(true);
    const approvedFirst = ChangeHistory.requested({ type: 'emergency' })
      .then('ApproveChange', {}, bob, 1)
      .then('MarkDeployed', {}, ci, 2);
    expect(approvalsSatisfied(approvedFirst.record)).toBe(true);
  });

  it('does not count a refused self-approval', () => {
    const change = ChangeHistory.requested({ type: 'emergency' }, { ...alice, roles: ['admin'] })
      .then('ApproveChange', {}, { ...alice, roles: ['admin'] }, 1)
      .then('MarkDeployed', {}, ci, 2);
    expect(change.refusals).toEqual(['self-approval']);
    expect(approvalsSatisfied(change.record)).toBe(false);
  });
});
