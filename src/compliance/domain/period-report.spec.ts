import { alice, bob, ChangeHistory, ci } from './fixtures/change-history';
import { changeFindings } from './finding-rules';
import { periodFigures } from './period-report';

/** A normal change approved `approvalMinutes` and deployed `leadMinutes` after its request. */
const shipped = (approvalMinutes: number, leadMinutes: number) =>
  ChangeHistory.requested()
    .then('ApproveChange', {}, bob, approvalMinutes)
    .then('MarkDeployed', {}, ci, leadMinutes);

const template = { templateId: 'feature-flag-toggle' };

describe('periodFigures', () => {
  const history = [
    shipped(10, 60),
    // Requested without a rollback plan.
    ChangeHistory.requested({ rollbackPlan: undefined })
      .then('ApproveChange', {}, bob, 20)
      .then('MarkDeployed', {}, ci, 90),
    // Rolled back 15 min after deploying at +30, closed as failed.
    shipped(5, 30)
      .then('RollBackChange', { reason: 'errors' }, ci, 45)
      .then('CloseChange', { outcome: 'failed' }, alice, 50),
    // Started at +40, rolled back 25 min later, never deployed.
    ChangeHistory.requested()
      .then('ApproveChange', {}, bob, 30)
      .then('StartDeployment', {}, ci, 40)
      .then('RollBackChange', { reason: 'errors' }, ci, 65),
    // Approved by policy from a template (whose rollback plan it takes), deployed at +15.
    ChangeHistory.requested({ ...template, type: 'standard', rollbackPlan: undefined }).then(
      'MarkDeployed',
      {},
      ci,
      15,
    ),
    // An emergency deployed at +5 and never approved nor reviewed.
    ChangeHistory.requested({ type: 'emergency' }).then('MarkDeployed', {}, ci, 5),
    // Waiting for approval.
    ChangeHistory.requested({ ...template, type: 'preapproved', rollbackPlan: undefined }),
  ];
  const records = history.map((h) => h.record);
  const findings = records.flatMap(changeFindings);
  const figures = periodFigures(records, findings);

  it('counts the changes by type', () => {
    expect(figures.changes).toBe(7);
    expect(figures.volumeByType).toEqual({ standard: 1, preapproved: 1, normal: 4, emergency: 1 });
  });

  it('gives nearest-rank p50 and p90 of lead and approval times', () => {
    // Lead times (deployed): 60 90 30 15 5 → sorted 5 15 30 60 90; p50 #⌈2.5⌉=#3 = 30,
    // p90 #⌈4.5⌉=#5 = 90.
    expect(figures.leadTimeMinutes).toEqual({ count: 5, p50: 30, p90: 90 });
    // Approval by people: 10 20 5 30 → sorted 5 10 20 30; p50 #2 = 10, p90 #⌈3.6⌉=#4 = 30.
    expect(figures.approvalTimeMinutes).toEqual({ count: 4, p50: 10, p90: 30 });
  });

  it('shares automatic approvals among the approved changes', () => {
    // Approved: the four normal changes, standard and preapproved; two by policy.
    expect(figures).toMatchObject({ approved: 6, approvedAutomatically: 2 });
    expect(figures.approvedAutomaticallyShare).toBe(2 / 6);
  });

  it('rates failures and rollbacks over the changes whose deployment started', () => {
    // Started: all but preapproved → 6; failed and rolled back: the two rollbacks.
    expect(figures).toMatchObject({ deployed: 6, failed: 2, rolledBack: 2 });
    expect(figures.changeFailureRate).toBe(2 / 6);
    expect(figures.rollbackRate).toBe(2 / 6);
    // (15 + 25) / 2
    expect(figures.meanTimeToRollBackMinutes).toBe(20);
  });

  it('shares complete records and counts findings by rule', () => {
    // Incomplete: the one without a rollback plan, emergency (approvals) → 5 / 7.
    expect(figures.complete).toBe(5);
    expect(figures.auditCompletenessShare).toBe(5 / 7);
    expect(figures.findingsByRule).toMatchObject({
      'missing-rollback-plan': 1,
      'rollback-failed': 1,
      'emergency-review-overdue': 1,
      'self-approval-attempt': 0,
    });
  });

  it('gives each template its use and safety record', () => {
    expect(figures.templates).toEqual([
      {
        templateId: 'feature-flag-toggle',
        changes: 2,
        deployed: 1,
        failed: 0,
        rolledBack: 0,
        changeFailureRate: 0,
      },
    ]);
  });

  it('measures approval time against each route’s SLA', () => {
    expect(figures.approvalSla).toEqual([
      {
        route: 'emergency',
        slaHours: null,
        approved: 0,
        withinSla: 0,
        overdue: 0,
        approvalTimeMinutes: { count: 0, p50: null, p90: null },
      },
      {
        route: 'peer-review',
        slaHours: 2,
        approved: 4,
        withinSla: 4,
        overdue: 0,
        approvalTimeMinutes: { count: 4, p50: 10, p90: 30 },
      },
    ]);
    const late = ChangeHistory.requested()
      .then('RecordApprovalOverdue', {}, ci, 121)
      .then('ApproveChange', {}, bob, 150);
    expect(periodFigures([late.record], []).approvalSla).toEqual([
      expect.objectContaining({ route: 'peer-review', approved: 1, withinSla: 0, overdue: 1 }),
    ]);
  });

  it('counts a failure closed as failed without a rollback', () => {
    const closedFailed = shipped(1, 2).then('CloseChange', { outcome: 'failed' }, alice, 3);
    expect(periodFigures([closedFailed.record], [])).toMatchObject({
      deployed: 1,
      failed: 1,
      rolledBack: 0,
      changeFailureRate: 1,
      rollbackRate: 0,
      meanTimeToRollBackMinutes: null,
    });
  });

  it('has no ratios or percentiles for an empty period', () => {
    expect(periodFigures([], [])).toMatchObject({
      changes: 0,
      leadTimeMinutes: { count: 0, p50: null, p90: null },
      approvedAutomaticallyShare: null,
      changeFailureRate: null,
      rollbackRate: null,
      meanTimeToRollBackMinutes: null,
      auditCompletenessShare: null,
    });
  });
});
