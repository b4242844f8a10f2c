import { changesCsv, findingsCsv, reportCsv } from './compliance-csv';
import { complianceView } from './compliance-view';
import { at, bob, ChangeHistory, ci, T0 } from './fixtures/change-history';
import { changeFindings } from './finding-rules';
import { periodFigures } from './period-report';

const rows = (csv: string) => csv.split('\r\n').slice(0, -1);

describe('compliance CSV exports', () => {
  const change = ChangeHistory.requested({ title: 'Pool, "big"', rollbackPlan: undefined })
    .then('ApproveChange', {}, bob, 5)
    .then('MarkDeployed', {}, ci, 30);
  const findings = changeFindings(change.record);
  const view = complianceView(change.record, findings);

  it('writes one row per change with lists joined inside their cell', () => {
    const [header, row] = rows(changesCsv([view]));
    expect(header.split(',')).toHaveLength(29);
    const cells = Object.fromEntries(header.split(',').map((name, i) => [name, i]));
    expect(row.startsWith(`${change.changeId},"Pool, ""big""",normal,`)).toBe(true);
    expect(row).toContain(`,checkout,peer-review,low,alice,${T0},bob ${at(5)},${at(5)},false,`);
    expect(row.endsWith(',false,rollbackPlan,missing-rollback-plan')).toBe(true);
    expect(cells.findings).toBe(28);
  });

  it('writes one row per finding', () => {
    expect(rows(findingsCsv(findings))).toEqual([
      'id,rule,at,changeId,services,detail',
      `missing-rollback-plan:${change.changeId}:${T0},missing-rollback-plan,${T0},${change.changeId},checkout,requested without a rollback plan`,
    ]);
  });

  it('writes the report as metric,value rows with dotted names', () => {
    const report = {
      period: { from: T0, to: null, service: 'checkout', asOf: at(60) },
      ...periodFigures([change.record], findings),
    };
    const lines = rows(reportCsv(report));
    expect(lines.slice(0, 6)).toEqual([
      'metric,value',
      `period.from,${T0}`,
      'period.to,',
      'period.service,checkout',
      `period.asOf,${at(60)}`,
      'changes,1',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'volumeByType.normal,1',
        'leadTimeMinutes.count,1',
        'leadTimeMinutes.p50,30',
        'approvalTimeMinutes.p90,5',
        'changeFailureRate,0',
        'meanTimeToRollBackMinutes,',
        'findingsByRule.missing-rollback-plan,1',
      ]),
    );
  });
});
