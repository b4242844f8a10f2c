/**
 * Every benchmark, one after the other, each in a process of its own (so one's memory and
 * JIT state do not colour the next), then one table of every figure they printed: the figure,
 * its baseline measured in the same run, the ratio, and whether it meets its aim.
 *
 *   npm run bench [-- --only append,ingest] [-- --full]
 *
 * By default the larger benchmarks run at sizes that keep the whole run near ten minutes on
 * two cores; --full runs each at its own defaults (1,000,000 events for the projections and
 * the checkpoint benchmark). Needs PostgreSQL (BENCH_DATABASE_URL) and, for ingest, the Kafka
 * broker of `bash scripts/kafka.sh start` (or KAFKA_BROKERS).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { aimMet, FIGURE_LINE, fmt, type Figure } from './support/bench-figures';

const { values } = parseArgs({
  options: { only: { type: 'string' }, full: { type: 'boolean', default: false } },
});

/** Each benchmark, the arguments it always gets, and those of the default (shorter) run. */
const BENCHMARKS: ReadonlyArray<{ name: string; always?: string[]; short?: string[] }> = [
  { name: 'append' },
  { name: 'ingest' },
  {
    name: 'projections',
    always: ['--verify'],
    short: ['--events', '250000', '--budget-seconds', '90'],
  },
  { name: 'what-changed', short: ['--changes', '50000', '--queries', '1000'] },
  { name: 'checkpoint', short: ['--events', '250000', '--samples', '1000'] },
];

function run(name: string, args: readonly string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', `bench/${name}.bench.ts`, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' },
    },
  );
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(FIGURE_LINE))
      figures.push(JSON.parse(line.slice(FIGURE_LINE.length)) as Figure);
    else console.log(`[${name}] ${line}`);
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      if (code !== 0) console.log(`[${name}] exited with ${code}: its figures are missing`);
      resolve(figures);
    }),
  );
}

function aimText({ aim }: Figure): string {
  if (aim === undefined) return '';
  return [
    aim.atLeast === undefined ? null : `≥ ${fmt(aim.atLeast)}`,
    aim.atMost === undefined ? null : `≤ ${fmt(aim.atMost)}`,
    aim.ratio === undefined ? null : `ratio ≥ ${aim.ratio}`,
  ]
    .filter((part) => part !== null)
    .join(', ');
}

function table(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => {
    const met = aimMet(figure);
    return [
      figure.figure,
      fmt(figure.value),
      figure.baseline ? `${fmt(figure.baseline.value)} (${figure.baseline.name})` : '—',
      figure.baseline ? (figure.value / figure.baseline.value).toFixed(2) : '—',
      aimText(figure) || '—',
      met === null ? '—' : met ? 'met' : '**not met**',
    ];
  });
  return [
    '| Figure | Value | Baseline (same run) | Ratio | Aim | Aim met |',
    '| --- | ---: | --- | ---: | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const selected = values.only?.split(',');
  const figures: Figure[] = [];
  const started = Date.now();
  for (const { name, always = [], short = [] } of BENCHMARKS) {
    if (selected !== undefined && !selected.includes(name)) continue;
    console.log(`=== ${name}`);
    figures.push(...(await run(name, values.full ? always : [...always, ...short])));
  }
  console.log(`\nAll benchmarks in ${((Date.now() - started) / 60_000).toFixed(1)} min:\n`);
  console.log(table(figures));
}

void main();
