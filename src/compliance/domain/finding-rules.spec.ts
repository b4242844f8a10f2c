import { policyWith } from '../../policy/fixtures/policies';
import type { UnplannedDeploymentDetectedData } from '../../deployments/domain/service-events';
import { alice, at, bob, ChangeHistory, ci } from './fixtures/change-history';
import {
  changeFindings,
  FINDING_RULE_IDS,
  refusedRequestFinding,
  ruleForAttempt,
  unplannedDeploymentFinding,
} from './finding-rules';

const admin = { id: 'alice', roles: ['admin' as const] };
/** An emergency with its ticket on record: only the findings a spec is about remain. */
const emergencyWithTicket = { type: 'emergency' as const, externalRefs: { ticket: 'OPS-1' } };
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
      'template-bypass-attempt',
      'deploy-in-freeze',
      'deploy-after-halt-attempt',
      'deployed-artifact-not-approved',
      'emergency-ticket-overdue',
      'emergency-postmortem-overdue',
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
    const change = ChangeHistory.requested(emergencyWithTicket, admin)
      .then('ApproveChange', {}, admin, 1)
      .then('MarkDeployed', {}, ci, 2)
      .then('RecordReview', { summary: 'mine' }, admin, 3);
    const findings = changeFindings(change.record);
    expect(findings.map((f) => [f.rule, f.at])).toEqual([
      ['self-approval-attempt', at(1)],
      ['self-review-attempt', at(3)],
      // The refused review is no review: 24 h after the deploy it is overdue.
      ['emergency-review-overdue', at(2 + 24 * 60)],
      ['emergency-postmortem-overdue', at(2 + 48 * 60)],
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
    const emergency = ChangeHistory.requested({ ...emergencyWithTicket, plannedWindow: window })
      .then('MarkDeployed', {}, ci, 30)
      .then('RecordReview', { summary: 'ok' }, bob, 60)
      .then('RecordReview', { summary: 'root cause', reviewKind: 'post-mortem' }, bob, 90);
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
      ChangeHistory.requested(emergencyWithTicket)
        .then('MarkDeployed', {}, ci, 10)
        .then('RecordReview', { summary: 'root cause', reviewKind: 'post-mortem' }, bob, 20);
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

  describe('what else an emergency owes', () => {
    it('finds no ticket by the policy’s hours, and takes one added by amendment in time', () => {
      const noTicket = ChangeHistory.requested({ type: 'emergency' })
        .then('MarkDeployed', {}, ci, 10)
        .then('RecordReview', { summary: 'ok' }, bob, 20)
        .then('RecordReview', { summary: 'root cause', reviewKind: 'post-mortem' }, bob, 30);
      expect(rules(noTicket)).toEqual([['emergency-ticket-overdue', at(10 + 24 * 60)]]);
      const amended = noTicket.then(
        'AmendChange',
        { amendment: { externalRefs: { ticket: 'OPS-2' } } },
        alice,
        60,
      );
      expect(rules(amended)).toEqual([]);
    });

    it('finds no post-mortem by the policy’s hours: a post-implementation review is not one', () => {
      const change = ChangeHistory.requested(emergencyWithTicket)
        .then('MarkDeployed', {}, ci, 10)
        .then('RecordReview', { summary: 'ok' }, bob, 20);
      expect(rules(change)).toEqual([['emergency-postmortem-overdue', at(10 + 48 * 60)]]);
    });
  });

  describe('what the policy refuses', () => {
    it('finds a standard change requested outside the templates, though no change exists', () => {
      const refused = ChangeHistory.requested({ type: 'standard' });
      expect(refused.refusals).toEqual(['template-required']);
      const [refusal] = refused.recordedRefusals;
      const finding = refusedRequestFinding(refused.changeId, refusal.data);
      expect(finding).toMatchObject({
        id: `template-bypass-attempt:${refused.changeId}:${at(0)}`,
        rule: 'template-bypass-attempt',
        at: at(0),
        changeId: refused.changeId,
        services: ['checkout'],
      });
      expect(finding?.detail).toMatch(
        /^RequestChange by alice: cannot request change .*templateId$/,
      );
    });

    it('finds attempts to deploy in a freeze, and emergencies that did', () => {
      const freeze = {
        kind: 'freeze' as const,
        id: 'f-1',
        reason: 'migration',
        start: at(0),
        end: at(600),
      };
      const normal = ChangeHistory.requested()
        .then('ApproveChange', {}, bob, 1)
        .then('MarkDeployed', {}, ci, 20, { freezes: [freeze] });
      expect(rules(normal)).toEqual([['deploy-in-freeze', at(20)]]);
      const emergency = ChangeHistory.requested(emergencyWithTicket)
        .then('MarkDeployed', {}, ci, 20, { freezes: [freeze] })
        .then('RecordReview', { summary: 'ok' }, bob, 60)
        .then('RecordReview', { summary: 'root cause', reviewKind: 'post-mortem' }, bob, 90);
      expect(rules(emergency)).toEqual([['deploy-in-freeze', at(20)]]);
      expect(changeFindings(emergency.record)[0].detail).toBe(
        'emergency deployment started in f-1',
      );
    });

    it('finds an attempt to go on with a rollout its gates halted', () => {
      const gated = policyWith((p) => {
        p.windows = [];
        p.scheduling.minimumNotice = { businessDays: 0 };
        p.gates.holdMinutes = 0;
      });
      const halted = ChangeHistory.requested()
        .then('ApproveChange', {}, bob, 1)
        .then('StartDeployment', {}, ci, 10)
        .then(
          'CompleteRolloutStage',
          { stage: 'canary', percent: 5, gates: [], metrics: { errorRate: 0.5 } },
          ci,
          20,
          { policy: gated },
        )
        .then('MarkDeployed', {}, ci, 30);
      expect(halted.refusals).toEqual(['rollout-halted']);
      expect(rules(halted)).toEqual([['deploy-after-halt-attempt', at(30)]]);
    });

    it('finds a deploy of another artifact than the one approved, commits compared as prefixes', () => {
      const approved = () =>
        ChangeHistory.requested({ version: '2.0.0', externalRefs: { commit: 'abc1234def' } }).then(
          'ApproveChange',
          {},
          bob,
          1,
        );
      const other = approved().then(
        'MarkDeployed',
        { version: '2.0.1', commit: 'abc1234' },
        ci,
        20,
      );
      expect(rules(other)).toEqual([['deployed-artifact-not-approved', at(20)]]);
      expect(changeFindings(other.record)[0].detail).toBe('version 2.0.1 deployed, 2.0.0 approved');
      expect(
        rules(approved().then('MarkDeployed', { version: '2.0.0', commit: 'abc1234' }, ci, 20)),
      ).toEqual([]);
      expect(rules(approved().then('MarkDeployed', {}, ci, 20))).toEqual([]);
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

    it('keeps a window refused at planning on the record, but as no deploy attempt', () => {
      expect(ruleForAttempt('outside-window', 'ScheduleChange')).toBeNull();
      expect(ruleForAttempt('in-freeze', 'RequestChange')).toBeNull();
      expect(ruleForAttempt('in-blackout', 'AmendChange')).toBeNull();
      expect(ruleForAttempt('in-freeze', 'StartDeployment')).toBe('deploy-in-freeze');
      expect(ruleForAttempt('outside-window')).toBe('deploy-outside-window');
      expect(ruleForAttempt('template-required', 'RequestChange')).toBe('template-bypass-attempt');
    });

    it('ignores reasons no rule is about', () => {
      expect(unplannedDeploymentFinding('e-3', flagged('something-new', null), 'x')).toBeNull();
      expect(ruleForAttempt('duplicate-approval')).toBeNull();
    });
  });
});
