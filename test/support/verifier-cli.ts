import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformFileSync } from '@swc/core';

const ROOT = resolve(__dirname, '../..');
const ENTRY = join(ROOT, 'src/verifier/cli.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The offline verifier as auditors run it: a separate Node process. It is compiled here, file
 * by file from its entry point, following its relative requires: what it is made of is exactly
 * `sources`, which the suites check holds only the pure Merkle, note and hash-chain modules.
 */
export class VerifierCli {
  private constructor(
    private readonly directory: string,
    readonly sources: readonly string[],
  ) {}

  static build(): VerifierCli {
    // Inside the checkout, so that its packages (canonicalize) resolve as they do for dist/.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const directory = mkdtempSync(join(ROOT, '.cache', 'verifier-cli-'));
    const sources: string[] = [];
    const pending = [ENTRY];
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (sources.includes(file)) continue;
      sources.push(file);
      const { code } = transformFileSync(file, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      const out = join(directory, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, code);
      for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        pending.push(`${resolve(dirname(file), specifier)}.ts`);
      }
    }
    return new VerifierCli(directory, sources.map((file) => relative(ROOT, file)).sort());
  }

  run(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
    const entry = join(this.directory, relative(ROOT, ENTRY)).replace(/\.ts$/, '.js');
    return new Promise((resolvePromise) => {
      execFile(
        process.execPath,
        [entry, ...args],
        { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolvePromise({ code, stdout, stderr });
        },
      );
    });
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
