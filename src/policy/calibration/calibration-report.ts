import { RISK_LEVELS, type RiskLevel } from '../policy';

/** One change as calibration counts it: its assessed risk and how it went. */
export interface CalibrationSample {
  readonly level: RiskLevel;
  readonly score: number;
  readonly policyVersion: string;
  readonly deployed: boolean;
  readonly rolledBack: boolean;
  readonly closedFailed: boolean;
  /** An alert is attributed to it: a responder named it the cause, or it was the top suspect. */
  readonly causedAlert: boolean;
}

export interface LevelOutcomes {
  readonly level: RiskLevel;
  readonly changes: number;
  readonly deployed: number;
  /** Deployed changes that were rolled back, closed as failed, or caused an alert. */
  readonly failed: number;
  readonly rolledBack: number;
  readonly causedAlert: number;
  /** failed / deployed; null when nothing was deployed. */
  readonly failureRate: number | null;
  readonly meanScore: number | null;
}

export interface CalibrationReport {
  readonly levels: readonly LevelOutcomes[];
  /** The policy versions the changes were assessed under: weights differ between them. */
  readonly policyVersions: readonly string[];
}

/**
 * How each risk level fared: if high-risk changes fail no more often than low-risk ones, the
 * weights do not separate risk and want tuning. Pure.
 */
export function calibrationReport(samples: readonly CalibrationSample[]): CalibrationReport {
  return {
    levels: RISK_LEVELS.map((level) => {
      const at = samples.filter((s) => s.level === level);
      const deployed = at.filter((s) => s.deployed);
      const failed = deployed.filter((s) => s.rolledBack || s.closedFailed || s.causedAlert);
      return {
        level,
        changes: at.length,
        deployed: deployed.length,
        failed: failed.length,
        rolledBack: deployed.filter((s) => s.rolledBack).length,
        causedAlert: deployed.filter((s) => s.causedAlert).length,
        failureRate: deployed.length === 0 ? null : failed.length / deployed.length,
        meanScore:
          at.length === 0
            ? null
            : Math.round((at.reduce((sum, s) => sum + s.score, 0) / at.length) * 100) / 100,
      };
    }),
    policyVersions: [...new Set(samples.map((s) => s.policyVersion))].sort(),
  };
}
