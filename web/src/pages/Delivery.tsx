import { useMemo, useState, type FormEvent } from 'react';
import type { EChartsOption } from 'echarts';
import { answer, type Schemas } from '../api/client';
import { Chart } from '../components/Chart';
import { ProblemNotice } from '../components/ProblemNotice';
import { percent } from '../format';
import { useLoad } from '../load';
import { navigate } from '../route';
import { useSignedIn } from '../session-context';

type Figures = Schemas['DeliveryFiguresDto'];

const hours = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10;

function perBucket(
  title: string,
  buckets: readonly Figures[],
  value: (f: Figures) => number | null,
  kind: 'bar' | 'line',
  unit: string,
): EChartsOption {
  return {
    title: { text: title, textStyle: { fontSize: 14, color: '#111827' } },
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 40, bottom: 40 },
    xAxis: {
      type: 'category',
      data: buckets.map((b) => b.start.slice(0, 10)),
      axisLabel: { color: '#1f2937' },
    },
    yAxis: { type: 'value', name: unit },
    series: [
      {
        type: kind,
        data: buckets.map(value),
        itemStyle: { color: '#1d4ed8' },
        connectNulls: true,
      },
    ],
  };
}

/** The four keys (DORA) per service or team, bucket by bucket. */
export function Delivery({ params }: { params: URLSearchParams }) {
  const { api, ledgerSize } = useSignedIn();
  const service = params.get('service') || undefined;
  const team = params.get('team') || undefined;
  const bucket = params.get('bucket') === 'day' ? 'day' : 'week';
  const metrics = useLoad(
    () => answer(api.GET('/delivery/metrics', { params: { query: { service, team, bucket } } })),
    [api, service, team, bucket, ledgerSize],
  );
  const charts = useMemo(() => {
    const buckets = metrics.data?.buckets ?? [];
    return {
      frequency: perBucket('Deployment frequency', buckets, (f) => f.deployments, 'bar', 'deploys'),
      lead: perBucket(
        'Lead time, median (h)',
        buckets,
        (f) => hours(f.leadTime.medianSeconds),
        'line',
        'h',
      ),
      failure: perBucket(
        'Change failure rate (%)',
        buckets,
        (f) =>
          f.changeFailureRate.rate == null
            ? null
            : Math.round(f.changeFailureRate.rate * 1000) / 10,
        'bar',
        '%',
      ),
      recovery: perBucket(
        'Failed deployment recovery time, median (h)',
        buckets,
        (f) => hours(f.recoveryTime.medianSeconds),
        'line',
        'h',
      ),
    };
  }, [metrics.data]);
  const total = metrics.data?.total;
  return (
    <>
      <h1>Delivery metrics</h1>
      <ScopeForm service={service} team={team} bucket={bucket} />
      <ProblemNotice problem={metrics.problem} />
      {total && (
        <dl className="figures">
          <div>
            <dt>Deployments</dt>
            <dd>{total.deployments}</dd>
          </div>
          <div>
            <dt>Lead time (median)</dt>
            <dd>{hours(total.leadTime.medianSeconds) ?? '—'} h</dd>
          </div>
          <div>
            <dt>Change failure rate</dt>
            <dd>{percent(total.changeFailureRate.rate)}</dd>
          </div>
          <div>
            <dt>Recovery time (median)</dt>
            <dd>{hours(total.recoveryTime.medianSeconds) ?? '—'} h</dd>
          </div>
        </dl>
      )}
      <div className="grid">
        <Chart option={charts.frequency} label="Deployments per period" />
        <Chart option={charts.lead} label="Median lead time for changes per period, in hours" />
        <Chart option={charts.failure} label="Change failure rate per period, in percent" />
        <Chart
          option={charts.recovery}
          label="Median failed deployment recovery time per period, in hours"
        />
      </div>
    </>
  );
}

function ScopeForm(props: { service?: string; team?: string; bucket: 'day' | 'week' }) {
  const [service, setService] = useState(props.service ?? '');
  const [team, setTeam] = useState(props.team ?? '');
  const [bucket, setBucket] = useState<string>(props.bucket);
  function apply(event: FormEvent) {
    event.preventDefault();
    navigate('/delivery', { service, team, bucket });
  }
  return (
    <form className="filters" onSubmit={apply}>
      <label htmlFor="delivery-service">Service</label>
      <input id="delivery-service" value={service} onChange={(e) => setService(e.target.value)} />
      <label htmlFor="delivery-team">or team</label>
      <input id="delivery-team" value={team} onChange={(e) => setTeam(e.target.value)} />
      <label htmlFor="delivery-bucket">Per</label>
      <select id="delivery-bucket" value={bucket} onChange={(e) => setBucket(e.target.value)}>
        <option value="week">week</option>
        <option value="day">day</option>
      </select>
      <button type="submit">Show</button>
    </form>
  );
}
