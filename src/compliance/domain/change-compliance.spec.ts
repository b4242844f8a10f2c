import { ANYTIME_POLICY } from '../../changes/domain/fixtures/decision-context';
import { applyChangeEvent, utc } from './change-compliance';
import { alice, at, bob, carol, ChangeHistory, ci, T0 } from './fixtures/change-history';

describe('the compliance record of a change', () => {
  it('keeps who requested and approved what, when, under which route and windows', () => {
    const window = { start: '2030-01-01T12:00:00+02:00', end: '2030-01-01T14:00:00+02:00' };
    const change = ChangeHistory.requested({ plannedWindow: window })
      .then('ApproveChange', {}, carol, 30)
      .then('ScheduleChange', { window: { start: at(120), end: at(180) } }, alice, 40);
    expect(change.record).toMatchObject({
      title: 'Raise checkout pool',
      type: 'normal',
      services: ['checkout'],
      requestedBy: 'alice',
      requestedAt: T0,
      provided: { justification: true, rollbackPlan: true, testPlan: true },
      rollbackExpectedMinutes: 10,
      // Offsets are read and every instant kept in UTC.
      plannedWindow: { start: '2030-01-01T10:00:00.000Z', end: '2030-01-01T12:00:00.000Z' },
      scheduledWindow: { start: at(120), end: at(180) },
      riskLevel: 'low',
      route: 'peer-review',
      requiredApprovals: 1,
      policyVersion: ANYTIME_POLICY.version,
      approvals: [{ approver: 'carol', at: at(30), countsAsCab: true }],
      approvedAt: at(30),
      approvedAutomatically: false,
    });
  });

  it('times the deployment and the rollback from the last deployment step', () => {
    const change = ChangeHistory.requested()
      .then('ApproveChange', {}, bob, 5)
      .then('StartDeployment', { version: '2.0.0' }, ci, 30)
      .then('CompleteRolloutStage', { stage: 'canary', percent: 5, gates: [] }, ci, 40)
      .then('RollBackChange', { reason: 'errors' }, ci, 52)
      .then('CloseChange', { outcome: 'rolled-back' }, alice, 60);
    expect(change.record).toMatchObject({
      deployStartedAt: at(30),
      lastDeploymentStepAt: at(40),
      deployedAt: null,
      rolledBackAt: at(52),
      rollbackMinutes: 12,
      closedAt: at(60),
      outcome: 'rolled-back',
    });
  });

  it('records an emergency outside its window, its review due time and first review', () => {
    const change = ChangeHistory.requested({
      type: 'emergency',
      plannedWindow: { start: at(600), end: at(700) },
    })
      .then('MarkDeployed', {}, ci, 10)
      .then('RecordReview', { summary: 'ok' }, bob, 120)
      .then('RecordReview', { summary: 'again' }, carol, 180);
    expect(change.record).toMatchObject({
      deployStartedAt: at(10),
      deployedAt: at(10),
      startedOutsideWindow: true,
      reviewDueBy: at(10 + 24 * 60),
      firstReviewAt: at(120),
    });
  });

  it('keeps refused attempts and flagged deploys, and ends rejected or cancelled changes', () => {
    const change = ChangeHistory.requested()
      .then('ApproveChange', {}, { ...alice, roles: ['approver'] }, 1)
      .then('MarkDeployed', {}, ci, 2)
      .flagged('not-approved', 2)
      .then('RejectChange', { reason: 'too risky' }, bob, 3);
    expect(change.record.attempts).toEqual([
      expect.objectContaining({
        code: 'self-approval',
        command: 'ApproveChange',
        actor: 'alice',
        at: at(1),
      }),
      expect.objectContaining({
        code: 'not-approved',
        command: 'MarkDeployed',
        actor: 'ci-bot',
        at: at(2),
      }),
      {
        code: 'not-approved',
        command: 'deploy',
        actor: 'ingest:generic',
        at: at(2),
        detail: 'checkout production 2.0.0: flagged by ingest',
      },
    ]);
    expect(change.record.outcome).toBe('rejected');
    const cancelled = ChangeHistory.requested().then('CancelChange', { reason: 'moot' }, alice, 1);
    expect(cancelled.record.outcome).toBe('cancelled');
  });

  it('leaves nothing for events of a change whose request it never saw', () => {
    expect(
      applyChangeEvent(undefined, {
        type: 'ChangeVerified',
        data: { verifiedBy: 'ci-bot', at: T0 },
      }),
    ).toBeUndefined();
  });

  it('spells instants in UTC and keeps what it cannot read', () => {
    expect(utc('2030-01-01T10:00:00+01:00')).toBe(T0);
    expect(utc('not a time')).toBe('not a time');
  });
});
