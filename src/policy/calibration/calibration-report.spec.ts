import { calibrationReport, type CalibrationSample } from './calibration-report';

const sample = (o: Partial<CalibrationSample>): CalibrationSample => ({
  level: 'low',
  score: 1,
  policyVersion: 'sha256:a',
  deployed: true,
  rolledBack: false,
  closedFailed: false,
  causedAlert: false,
  ...o,
});

describe('calibrationReport', () => {
  it('counts changes, deployments and failures per level, failures over deployments', () => {
    const report = calibrationReport([
      sample({ score: 1 }),
      sample({ score: 2, rolledBack: true }),
      sample({ score: 3, deployed: false }),
      sample({ level: 'high', score: 9, causedAlert: true, policyVersion: 'sha256:b' }),
      sample({ level: 'high', score: 11, closedFailed: true }),
    ]);
    expect(report.levels).toEqual([
      {
        level: 'low',
        changes: 3,
        deployed: 2,
        failed: 1,
        rolledBack: 1,
        causedAlert: 0,
        failureRate: 0.5,
        meanScore: 2,
      },
      {
        level: 'medium',
        changes: 0,
        deployed: 0,
        failed: 0,
        rolledBack: 0,
        causedAlert: 0,
        failureRate: null,
        meanScore: null,
      },
      {
        level: 'high',
        changes: 2,
        deployed: 2,
        failed: 2,
        rolledBack: 0,
        causedAlert: 1,
        failureRate: 1,
        meanScore: 10,
      },
    ]);
    expect(report.policyVersions).toEqual(['sha256:a', 'sha256:b']);
  });
});
