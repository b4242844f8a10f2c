import type { ChangeCompliance } from './change-compliance';
import { completeness, type Completeness } from './completeness';
import type { Finding } from './finding-rules';
import type { PeriodFigures } from './period-report';

/** A change as the compliance API shows it: its record, how complete it is, its findings. */
export interface ComplianceChangeView extends ChangeCompliance {
  readonly completeness: Completeness;
  readonly findings: readonly Finding[];
}

export function complianceView(
  record: ChangeCompliance,
  findings: readonly Finding[],
): ComplianceChangeView {
  return { ...record, completeness: completeness(record), findings };
}

/** What was asked: the period [from, to) of request times, a service, and the "as of" time. */
export interface ReportPeriod {
  readonly from: string | null;
  readonly to: string | null;
  readonly service: string | null;
  readonly asOf: string;
}

export interface ComplianceReport extends PeriodFigures {
  readonly period: ReportPeriod;
}
