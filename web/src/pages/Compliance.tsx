import { useMemo, useState, type FormEvent } from 'react';
import type { EChartsOption } from 'echarts';
import { answer, type Problem, type Schemas } from '../api/client';
import { pathsComplianceFindingsGetParametersQueryRuleValues } from '../api/schema';
import { Chart } from '../components/Chart';
import { ProblemNotice } from '../components/ProblemNotice';
import { progressText, saveStream, type Progress } from '../download';
import { localInput, minutes, percent, when } from '../format';
import { asProblem, useLoad } from '../load';
import { navigate } from '../route';
import { useSignedIn } from '../session-context';

type Rule = Schemas['FindingDto']['rule'];
type Report = Schemas['ComplianceReportDto'];

const DAY = 86_400_000;

const rounded = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

function bars(title: string, entries: Array<[string, number | null]>, unit = ''): EChartsOption {
  return {
    title: { text: title, textStyle: { fontSize: 14, color: '#111827' } },
    tooltip: {},
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: {
      type: 'category',
      data: entries.map(([name]) => name),
      axisLabel: { interval: 0, rotate: entries.length > 4 ? 30 : 0, color: '#1f2937' },
    },
    yAxis: { type: 'value', name: unit },
    series: [
      {
        type: 'bar',
        data: entries.map(([, value]) => rounded(value)),
        itemStyle: { color: '#1d4ed8' },
        label: { show: true, position: 'top', color: '#111827' },
      },
    ],
  };
}

/** Rule names are long: one bar per line. */
function findingBars(entries: Array<[string, number]>): EChartsOption {
  return {
    title: { text: 'Findings by rule', textStyle: { fontSize: 14, color: '#111827' } },
    tooltip: {},
    grid: { left: 220, right: 30, top: 40, bottom: 30 },
    yAxis: {
      type: 'category',
      data: entries.map(([name]) => name),
      axisLabel: { color: '#1f2937' },
    },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: entries.map(([, value]) => value),
        itemStyle: { color: '#b91c1c' },
        label: { show: true, position: 'right', color: '#111827' },
      },
    ],
  };
}

/** The auditor's page: the period's figures as charts, a verification badge, the findings. */
export function Compliance({ params }: { params: URLSearchParams }) {
  const { api, ledgerSize, may } = useSignedIn();
  const to =
    params.get('to') ?? new Date(Date.now() + DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z';
  const from = params.get('from') ?? new Date(Date.parse(to) - 30 * DAY).toISOString();
  const service = params.get('service') || undefined;
  const rule = (params.get('rule') || undefined) as Rule | undefined;
  const period = { from, to, service };
  const report = useLoad(
    () => answer(api.GET('/compliance/report', { params: { query: period } })),
    [api, from, to, service, ledgerSize],
  );
  const findings = useLoad(
    () => answer(api.GET('/compliance/findings', { params: { query: { ...period, rule } } })),
    [api, from, to, service, rule, ledgerSize],
  );
  // Verifying reads the whole log: once per visit, and again on request, not at every event.
  const verification = useLoad(() => answer(api.GET('/ledger/verify')), [api]);

  return (
    <>
      <h1>Compliance</h1>
      {!may('auditor') && <p>The compliance record is for auditors.</p>}
      <PeriodForm from={from} to={to} service={service} rule={rule} />
      <p role="status" className="verification">
        {verification.data ? (
          verification.data.intact ? (
            <span className="badge good">
              Ledger verified: {verification.data.events} events, {verification.data.streams}{' '}
              streams
              {verification.data.tree ? ', Merkle tree matches the signed checkpoints' : ''}
            </span>
          ) : (
            <span className="badge bad">
              Ledger verification FAILED at {verification.data.broken?.streamId} revision{' '}
              {verification.data.broken?.revision}
            </span>
          )
        ) : (
          'Verifying the ledger…'
        )}{' '}
        <button
          type="button"
          className="secondary"
          onClick={verification.reload}
          disabled={verification.loading}
        >
          Verify again
        </button>
      </p>
      <ProblemNotice problem={verification.problem} />
      <ProblemNotice problem={report.problem} />
      {report.data && <ReportCharts report={report.data} />}
      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">
          Findings {rule ? `(${rule})` : ''} {findings.data && `· ${findings.data.items.length}`}
        </h2>
        <CsvExport query={{ ...period, rule }} />
        <ProblemNotice problem={findings.problem} />
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Rule</th>
              <th scope="col">Services</th>
              <th scope="col">Detail</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {findings.data?.items.map((f) => (
              <tr key={f.id}>
                <td>{when(f.at)}</td>
                <td>
                  <span className="chip">{f.rule}</span>
                </td>
                <td>{f.services.join(', ')}</td>
                <td>{f.detail}</td>
                <td>{f.changeId ? <a href={`#/changes/${f.changeId}`}>open</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function PeriodForm(props: { from: string; to: string; service?: string; rule?: Rule }) {
  const [from, setFrom] = useState(localInput(new Date(props.from)));
  const [to, setTo] = useState(localInput(new Date(props.to)));
  const [service, setService] = useState(props.service ?? '');
  const [rule, setRule] = useState<string>(props.rule ?? '');
  function apply(event: FormEvent) {
    event.preventDefault();
    navigate('/compliance', {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      service,
      rule,
    });
  }
  return (
    <form className="filters" onSubmit={apply}>
      <label htmlFor="period-from">From</label>
      <input
        id="period-from"
        type="datetime-local"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
      />
      <label htmlFor="period-to">To</label>
      <input
        id="period-to"
        type="datetime-local"
        value={to}
        onChange={(e) => setTo(e.target.value)}
      />
      <label htmlFor="period-service">Service</label>
      <input id="period-service" value={service} onChange={(e) => setService(e.target.value)} />
      <label htmlFor="period-rule">Finding rule</label>
      <select id="period-rule" value={rule} onChange={(e) => setRule(e.target.value)}>
        <option value="">every rule</option>
        {pathsComplianceFindingsGetParametersQueryRuleValues.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <button type="submit">Show</button>
    </form>
  );
}

function ReportCharts({ report }: { report: Report }) {
  const charts = useMemo(
    () => ({
      volume: bars('Changes by type', Object.entries(report.volumeByType)),
      times: bars(
        'Lead and approval time (minutes)',
        [
          ['lead p50', report.leadTimeMinutes.p50],
          ['lead p90', report.leadTimeMinutes.p90],
          ['approval p50', report.approvalTimeMinutes.p50],
          ['approval p90', report.approvalTimeMinutes.p90],
        ],
        'min',
      ),
      rates: bars(
        'Rates (%)',
        [
          ['automatic', share(report.approvedAutomaticallyShare)],
          ['failure', share(report.changeFailureRate)],
          ['rollback', share(report.rollbackRate)],
          ['complete', share(report.auditCompletenessShare)],
        ],
        '%',
      ),
      findings: findingBars(Object.entries(report.findingsByRule).filter(([, n]) => n > 0)),
    }),
    [report],
  );
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">
        Period report: {report.changes} changes, {report.deployed} deployed
      </h2>
      <dl className="figures">
        <div>
          <dt>Automatically approved</dt>
          <dd>{percent(report.approvedAutomaticallyShare)}</dd>
        </div>
        <div>
          <dt>Change failure rate</dt>
          <dd>{percent(report.changeFailureRate)}</dd>
        </div>
        <div>
          <dt>Rollback rate</dt>
          <dd>{percent(report.rollbackRate)}</dd>
        </div>
        <div>
          <dt>Audit completeness</dt>
          <dd>{percent(report.auditCompletenessShare)}</dd>
        </div>
        <div>
          <dt>Lead time p50</dt>
          <dd>{minutes(report.leadTimeMinutes.p50)}</dd>
        </div>
        <div>
          <dt>Mean time to roll back</dt>
          <dd>{minutes(report.meanTimeToRollBackMinutes)}</dd>
        </div>
      </dl>
      <div className="grid">
        <Chart option={charts.volume} label="Changes requested in the period by type" />
        <Chart option={charts.times} label="Lead time and approval time percentiles in minutes" />
        <Chart
          option={charts.rates}
          label="Automatic approval share, failure, rollback and completeness rates"
        />
        <Chart option={charts.findings} label="Findings in the period by rule" />
      </div>
    </section>
  );
}

const share = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/** CSV of the findings shown, streamed with its progress, saved as a file. */
function CsvExport({
  query,
}: {
  query: { from: string; to: string; service?: string; rule?: Rule };
}) {
  const { api } = useSignedIn();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function exportCsv() {
    setProblem(null);
    setDone(null);
    setProgress({ bytes: 0, total: null });
    try {
      const bytes = await saveStream(
        api.GET('/compliance/findings', {
          params: { query: { ...query, format: 'csv' } },
          parseAs: 'stream',
        }),
        'compliance-findings.csv',
        setProgress,
      );
      setDone(`Exported ${(bytes / 1024).toFixed(1)} KiB to compliance-findings.csv`);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }
  return (
    <div className="export">
      <button type="button" onClick={() => void exportCsv()}>
        Export findings as CSV
      </button>
      {progress && !done && (
        <progress
          aria-label="Export progress"
          max={progress.total ?? undefined}
          value={progress.total ? progress.bytes : undefined}
        />
      )}
      <span aria-live="polite">{done ?? progressText(progress)}</span>
      <ProblemNotice problem={problem} />
    </div>
  );
}
