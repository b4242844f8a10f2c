import type { UnplannedDeploymentDetectedData } from '../../deployments/domain/service-events';
import { alice, at, bob, ChangeHistory, ci } from './fixtures/change-history';
import {
  changeFindings,
  FINDING_RULE_IDS,
  ruleForAttempt,
  unplannedDeploymentFinding,
} from './finding-rules';

const admin = { id: 'alice', roles: ['admin' as const] };
const rules = (history: ChangeHistory) => changeFindings(history.record).map((f) => [f.rule, f.at]);

describe('finding rules', () => {
  it('publishes stable rule ids', () => {
    expect(FINDING_RULE_IDS).toEqual([
      'self-approval-attempt',
      'self-review-attempt',
      'deploy-without-approved-change',
      'deploy-before-approval',
      'deploy-outside-window',
      'emergency-review-overdue',
      'missing-rollback-plan',
      'rollback-failed',
      'rollback-slower-than-plan',
    ]);
  });

  it('finds nothing in a clean change', () => {
    const change = ChangeHistory.requested()
      .then('ApproveChange', {}, bob, 5)
      .then('MarkDeployed', {}, ci, 30)
      .then('VerifyChange', {}, ci, 40)
      .then('CloseChange', { outcome: 'successful' }, alice, 50);
    expect(changeFindings(change.record)).toEqual([]);
  });

  it('finds refused self-approvals and self-reviews, each with who and when', () => {
    const change = ChangeHistory.requested({ type: 'emergency' }, admin)
      .then('ApproveChange', {}, admin, 1)
      .then('MarkDeployed', {}, ci, 2)
      .then('RecordReview', { summary: 'mine' }, admin, 3);
    const findings = changeFindings(change.record);
    expect(findings.map((f) => [f.rule, f.at])).toEqual([
      ['self-approval-attempt', at(1)],
      ['self-review-attempt', at(3)],
      // The refused review is no review: 24 h after the deploy it is overdue.
      ['emergency-review-overdue', at(2 + 24 * 60)],
    ]);
    expect(findings[0]).toMatchObject({
      id: `self-approval-attempt:${change.changeId}:${at(1)}`,
      changeId: change.changeId,
      services: ['checkout'],
    });
    expect(findings[0].detail).toMatch(/^ApproveChange by alice: cannot approve/);
  });

  it('finds one deploy-before-approval for a deploy both refused and flagged', () => {
    const change = ChangeHistory.requested()
      .then('MarkDeployed', {}, ci, 5)
      .flagged('not-approved', 5)
      .flagged('not-approved', 9);
    expect(rules(change)).toEqual([
      ['deploy-before-approval', at(5)],
      ['deploy-before-approval', at(9)],
    ]);
  });

  it('finds deploys outside the window: refused ones and emergencies started anyway', () => {
    const window = { start: at(600), end: at(700) };
    const normal = ChangeHistory.requested({ plannedWindow: window })
      .then('ApproveChange', {}, bob, 1)
      .then('MarkDeployed', {}, ci, 20);
    expect(normal.refusals).toEqual(['outside-window']);
    expect(rules(normal)).toEqual([['deploy-outside-window', at(20)]]);
    const emergency = ChangeHistory.requested({ type: 'emergency', plannedWindow: window })
      .then('MarkDeployed', {}, ci, 30)
      .then('RecordReview', { summary: 'ok' }, bob, 60);
    expect(rules(emergency)).toEqual([['deploy-outside-window', at(30)]]);
  });

  it('finds a deploy of a change that was rejected as one without an approved change', () => {
    const change = ChangeHistory.requested()
      .then('RejectChange', { reason: 'no' }, bob, 1)
      .flagged('change-rejected', 4);
    expect(rules(change)).toEqual([['deploy-without-approved-change', at(4)]]);
  });

  it('finds a missing rollback plan at the request', () => {
    expect(rules(ChangeHistory.requested({ rollbackPlan: undefined }))).toEqual([
      ['missing-rollback-plan', at(0)],
    ]);
  });

  describe('emergency review overdue', () => {
    const emergency = () =>
      ChangeHistory.requested({ type: 'emergency' }).then('MarkDeployed', {}, ci, 10);
    const due = at(10 + 24 * 60);

    it('is a finding dated when the review fell due, while none is recorded', () => {
      expect(rules(emergency())).toEqual([['emergency-review-overdue', due]]);
    });

    it('is one when the review came late, and none when it came by the due time', () => {
      const late = emergency().then('RecordReview', { summary: 'late' }, bob, 10 + 24 * 60 + 1);
      expect(rules(late)).toEqual([['emergency-review-overdue', due]]);
      const onTime = emergency().then('RecordReview', { summary: 'ok' }, bob, 10 + 24 * 60);
      expect(rules(onTime)).toEqual([]);
    });

    it('reads the same whether or not a late review came since', () => {
      const [open] = changeFindings(emergency().record);
      const [late] = changeFindings(
        emergency().then('RecordReview', { summary: 'late' }, bob, 3000).record,
      );
      expect(late).toEqual(open);
    });
  });

  describe('rollbacks', () => {
    const deployed = (expectedMinutes: number) =>
      ChangeHistory.requested({
        rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes },
      })
        .then('ApproveChange', {}, bob, 1)
        .then('StartDeployment', {}, ci, 10)
        .then('CompleteRolloutStage', { stage: 'canary', percent: 5, gates: [] }, ci, 20);

    it('finds one slower than its plan, timed from the last deployment step', () => {
      // 20 → 36: 16 minutes against a plan of 15.
      const slow = deployed(15).then('RollBackChange', { reason: 'errors' }, ci, 36);
      expect(rules(slow)).toEqual([['rollback-slower-than-plan', at(36)]]);
      expect(changeFindings(slow.record)[0].detail).toBe(
        'rolled back 16 min after the last deployment step; the plan said 15 min',
      );
      // Exactly on plan is not slower.
      expect(rules(deployed(16).then('RollBackChange', { reason: 'errors' }, ci, 36))).toEqual([]);
    });

    it('finds a rollback that failed: closed as failed after it', () => {
      const failed = deployed(30)
        .then('RollBackChange', { reason: 'errors' }, ci, 25)
        .then('CloseChange', { outcome: 'failed' }, alice, 90);
      expect(rules(failed)).toEqual([['rollback-failed', at(90)]]);
      const clean = deployed(30)
        .then('RollBackChange', { reason: 'errors' }, ci, 25)
        .then('CloseChange', { outcome: 'rolled-back' }, alice, 90);
      expect(rules(clean)).toEqual([]);
    });
  });

  describe('deploys no change accounts for', () => {
    const flagged = (reason: string, changeId: string | null): UnplannedDeploymentDetectedData => ({
      service: 'checkout',
      environment: 'production',
      version: '9.9.9',
      reason,
      detail: 'no approved change matches this deploy',
      changeId,
      at: '2030-01-01T10:00:00+01:00',
    });

    it('finds them by event id, on the deploy service, in UTC', () => {
      expect(
        unplannedDeploymentFinding('e-1', flagged('no-matching-change', null), 'spinnaker'),
      ).toEqual({
        id: 'deploy-without-approved-change:e-1',
        rule: 'deploy-without-approved-change',
        at: '2030-01-01T09:00:00.000Z',
        changeId: null,
        services: ['checkout'],
        detail:
          'deploy by spinnaker: checkout production 9.9.9: no approved change matches this deploy',
      });
      expect(unplannedDeploymentFinding('e-2', flagged('unknown-change', null), 'x')?.rule).toBe(
        'deploy-without-approved-change',
      );
    });

    it('ignores reasons no rule is about', () => {
      expect(unplannedDeploymentFinding('e-3', flagged('something-new', null), 'x')).toBeNull();
      expect(ruleForAttempt('duplicate-approval')).toBeNull();
    });
  });
});
