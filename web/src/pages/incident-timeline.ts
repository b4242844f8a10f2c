import type { EChartsOption } from 'echarts';
import type { Schemas } from '../api/client';
import type { RolloutStage } from '../ledger-types';

type Suspect = Schemas['SuspectDto'];

export interface TimelineInput {
  readonly answer: Schemas['WhatChangedDto'];
  /** The suspect ranked first: drawn with a heavy outline. */
  readonly topKey: string | null;
  readonly stages: ReadonlyMap<string, readonly RolloutStage[]>;
  readonly freezes: readonly Schemas['FreezeDto'][];
  readonly alerts: ReadonlyArray<{ name: string; startsAt: string }>;
}

const COLOURS = {
  'rolling-out': '#b45309',
  deployed: '#1d4ed8',
  'rolled-back': '#b91c1c',
  unplanned: '#6d28d9',
} as const;

const colourOf = (s: Suspect) =>
  s.unplanned ? COLOURS.unplanned : COLOURS[s.status as keyof typeof COLOURS];

/** One lane per service: the alerting one on top, what it depends on below by depth. */
export function lanesOf(answer: Schemas['WhatChangedDto']): string[] {
  const upstream = [...answer.upstream].sort((a, b) => a.depth - b.depth);
  return [answer.service, ...upstream.map((u) => u.service)];
}

/**
 * The look-back window as an ECharts timeline: each deployment a bar from its start to its
 * completion or rollback (or the alert, still rolling out), its stages as diamonds coloured by
 * their gates, freezes shaded, alerts as vertical lines.
 */
export function timelineOption(input: TimelineInput): EChartsOption {
  const { answer } = input;
  const lanes = lanesOf(answer);
  const at = Date.parse(answer.at);
  const lane = (service: string) => lanes.length - 1 - lanes.indexOf(service);
  const bars = answer.suspects.map((s) => ({
    value: [
      lane(s.service),
      Date.parse(s.startedAt),
      Date.parse(s.rolledBackAt ?? s.deployedAt ?? answer.at),
    ],
    name: s.title ?? `unplanned ${s.version ?? ''}`,
    suspect: s,
    itemStyle: {
      color: colourOf(s),
      borderColor: '#111827',
      borderWidth: s.deploymentKey === input.topKey ? 3 : 0,
    },
  }));
  const stagePoints = answer.suspects.flatMap((s) =>
    (s.changeId ? (input.stages.get(s.changeId) ?? []) : []).map((stage) => ({
      value: [Date.parse(stage.at), lane(s.service)],
      stage,
      itemStyle: { color: stage.passed ? '#15803d' : '#b91c1c' },
    })),
  );
  const rollbacks = answer.suspects
    .filter((s) => s.rolledBackAt !== null)
    .map((s) => ({ value: [Date.parse(s.rolledBackAt as string), lane(s.service)] }));
  return {
    grid: { left: 150, right: 30, top: 30, bottom: 40 },
    tooltip: {
      formatter: (params) => {
        const p = params as { seriesName: string; data: Record<string, unknown> };
        if (p.seriesName === 'Deployments') {
          const s = p.data.suspect as Suspect;
          return [
            `<strong>${escape(s.title ?? 'Unplanned deploy')}</strong>`,
            `${escape(s.service)} ${escape(s.version ?? '')} · ${s.status}`,
            `started ${new Date(s.startedAt).toLocaleTimeString()}`,
            `score ${s.score.toFixed(3)} · ${s.reasons.join(', ')}`,
          ].join('<br/>');
        }
        if (p.seriesName === 'Rollout stages') {
          const stage = p.data.stage as RolloutStage;
          return [
            `<strong>${escape(stage.stage)} ${stage.percent}%</strong> ${stage.passed ? 'passed' : 'halted'}`,
            ...stage.gates.map((g) => `${escape(g.name)}: ${escape(g.verdict)}`),
          ].join('<br/>');
        }
        return p.seriesName;
      },
    },
    xAxis: {
      type: 'time',
      min: Date.parse(answer.from),
      max: at + 5 * 60_000,
    },
    yAxis: {
      type: 'category',
      data: [...lanes]
        .reverse()
        .map((service) =>
          service === answer.service ? `${service} (alerting)` : `${service} (depends)`,
        ),
    },
    series: [
      {
        name: 'Deployments',
        type: 'custom',
        encode: { x: [1, 2], y: 0 },
        renderItem: (params, api) => {
          const start = api.coord([api.value(1), api.value(0)]);
          const end = api.coord([api.value(2), api.value(0)]);
          const height = (api.size?.([0, 1]) as number[])[1] * 0.5;
          return {
            type: 'rect',
            shape: {
              x: start[0],
              y: start[1] - height / 2,
              width: Math.max(end[0] - start[0], 6),
              height,
            },
            style: api.style(),
            // ECharts passes the data index: the bar's own style carries its colour and outline.
            z2: params.dataIndex,
          };
        },
        data: bars,
        markLine: {
          symbol: 'none',
          label: { formatter: '{b}' },
          lineStyle: { color: '#991b1b', width: 2 },
          data: input.alerts.map((alert) => ({
            name: alert.name,
            xAxis: Date.parse(alert.startsAt),
          })),
        },
        markArea: {
          itemStyle: { color: 'rgba(100, 116, 139, 0.18)' },
          label: { color: '#1f2937' },
          data: input.freezes.map((f) => [
            { name: `freeze: ${f.reason}`, xAxis: Date.parse(f.start) },
            { xAxis: Date.parse(f.end) },
          ]),
        },
      },
      {
        name: 'Rollout stages',
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 14,
        data: stagePoints,
      },
      {
        name: 'Rollbacks',
        type: 'scatter',
        symbol: 'triangle',
        symbolSize: 14,
        itemStyle: { color: COLOURS['rolled-back'] },
        data: rollbacks,
      },
    ],
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
