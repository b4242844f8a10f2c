import type { ComplianceChangeView, ComplianceReport } from './compliance-view';
import { toCsv, type CsvCell } from './csv';
import type { Finding } from './finding-rules';

// Lists inside one cell: services, approvers, missing items, findings.
const LIST_SEPARATOR = '; ';

const CHANGE_COLUMNS: ReadonlyArray<[string, (c: ComplianceChangeView) => CsvCell]> = [
  ['changeId', (c) => c.changeId],
  ['title', (c) => c.title],
  ['type', (c) => c.type],
  ['category', (c) => c.category],
  ['environment', (c) => c.environment],
  ['services', (c) => c.services.join(LIST_SEPARATOR)],
  ['route', (c) => c.route],
  ['riskLevel', (c) => c.riskLevel],
  ['requestedBy', (c) => c.requestedBy],
  ['requestedAt', (c) => c.requestedAt],
  ['approvers', (c) => c.approvals.map((a) => `${a.approver} ${a.at}`).join(LIST_SEPARATOR)],
  ['approvedAt', (c) => c.approvedAt],
  ['approvedAutomatically', (c) => c.approvedAutomatically],
  ['plannedWindowStart', (c) => c.plannedWindow?.start ?? null],
  ['plannedWindowEnd', (c) => c.plannedWindow?.end ?? null],
  ['scheduledWindowStart', (c) => c.scheduledWindow?.start ?? null],
  ['scheduledWindowEnd', (c) => c.scheduledWindow?.end ?? null],
  ['deployStartedAt', (c) => c.deployStartedAt],
  ['deployedAt', (c) => c.deployedAt],
  ['rolledBackAt', (c) => c.rolledBackAt],
  ['rollbackMinutes', (c) => c.rollbackMinutes],
  ['rollbackExpectedMinutes', (c) => c.rollbackExpectedMinutes],
  ['reviewDueBy', (c) => c.reviewDueBy],
  ['firstReviewAt', (c) => c.firstReviewAt],
  ['closedAt', (c) => c.closedAt],
  ['outcome', (c) => c.outcome],
  ['complete', (c) => c.completeness.complete],
  ['missing', (c) => c.completeness.missing.join(LIST_SEPARATOR)],
  ['findings', (c) => c.findings.map((f) => f.rule).join(LIST_SEPARATOR)],
];

const FINDING_COLUMNS: ReadonlyArray<[string, (f: Finding) => CsvCell]> = [
  ['id', (f) => f.id],
  ['rule', (f) => f.rule],
  ['at', (f) => f.at],
  ['changeId', (f) => f.changeId],
  ['services', (f) => f.services.join(LIST_SEPARATOR)],
  ['detail', (f) => f.detail],
];

function table<T>(columns: ReadonlyArray<[string, (row: T) => CsvCell]>, rows: readonly T[]) {
  return toCsv(
    columns.map(([name]) => name),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );
}

export function changesCsv(changes: readonly ComplianceChangeView[]): string {
  return table(CHANGE_COLUMNS, changes);
}

export function findingsCsv(findings: readonly Finding[]): string {
  return table(FINDING_COLUMNS, findings);
}

/** Nested figures as dotted names: `leadTimeMinutes.p50`, `volumeByType.normal`. */
function metrics(value: unknown, name: string): Array<[string, CsvCell]> {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      metrics(inner, name === '' ? key : `${name}.${key}`),
    );
  }
  return [[name, value as CsvCell]];
}

/** One `metric,value` row per figure, the period first. */
export function reportCsv(report: ComplianceReport): string {
  return toCsv(['metric', 'value'], metrics(report, ''));
}
