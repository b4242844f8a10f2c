import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A benchmark's figures, printed as it goes and, one line each, in a form `npm run bench`
 * collects into its table (bench/run-all.ts).
 */
export interface Figure {
  /** What was measured, e.g. "append: command path, 16 writers". */
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  /** The same work done the plainest way, measured in the same run. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** What the figure should reach: a floor, a ceiling, a floor on value / baseline. */
  readonly aim?: { readonly atLeast?: number; readonly atMost?: number; readonly ratio?: number };
}

export const FIGURE_LINE = 'bench-figure ';

export function printFigure(figure: Figure): void {
  console.log(`${FIGURE_LINE}${JSON.stringify(figure)}`);
}

/** Whether the figure meets every aim it has; null when it has none. */
export function aimMet({ value, baseline, aim }: Figure): boolean | null {
  if (aim === undefined) return null;
  const ratio = baseline ? value / baseline.value : undefined;
  return (
    (aim.atLeast === undefined || value >= aim.atLeast) &&
    (aim.atMost === undefined || value <= aim.atMost) &&
    (aim.ratio === undefined || (ratio !== undefined && ratio >= aim.ratio))
  );
}

export const fmt = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** Elapsed seconds and this process's CPU seconds over `work`. */
export async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** The resident set size before `work` and the highest seen while it ran (sampled), in MB. */
export async function rssDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; beforeMb: number; peakMb: number }> {
  const mb = () => process.memoryUsage.rss() / 2 ** 20;
  const beforeMb = mb();
  let peakMb = beforeMb;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, mb())), 50);
  try {
    const result = await work();
    return { result, beforeMb, peakMb: Math.max(peakMb, mb()) };
  } finally {
    clearInterval(sampler);
  }
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * A CPU profile of this process over the measured span only (set-up and baselines left out),
 * written where asked: open it in Chrome DevTools or VS Code. No file: no profile.
 */
export async function cpuProfiler(file: string | undefined): Promise<{ stop(): Promise<void> }> {
  if (file === undefined) return { stop: () => Promise.resolve() };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`CPU profile of the measured span: ${file}`);
    },
  };
}
