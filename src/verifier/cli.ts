#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LogService } from './log-service';
import { trustedKeys } from './trusted-checkpoint';
import { UsageError, VerificationFailed } from './verification-failed';
import { verifyEvidence } from './verify-evidence';
import { verifyLog } from './verify-log';

const USAGE = `change-ledger: verify the change ledger offline, without trusting the service

  change-ledger verify-evidence <bundle.json> --key <log verifier key> [--witness-key <key>]...
      Checks an evidence bundle (GET /changes/{id}/evidence, GET /compliance/evidence): the
      checkpoint's signature (and every witness's given), every event's hash and chain, and
      every event's inclusion proof in the signed tree.

  change-ledger verify-log --checkpoint <saved.txt> --url <service> --key <log verifier key>
                           [--witness-key <key>]... [--api-key <key>] [--full] [--save <file>]
      Checks that the service's current tree extends the checkpoint you saved earlier
      (GET /ledger/checkpoint). --full also downloads every event and recomputes the tree from
      them. --save writes the verified current checkpoint, to use next time. The API key may
      also come from CHANGE_LEDGER_API_KEY.

  Keys are C2SP signed-note verifier keys (name+hexid+base64), e.g. from GET /ledger/keys,
  obtained through a channel you trust. Exit status: 0 verified, 1 not verified (the reason
  is printed), 2 the command could not run.`;

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

async function run(args: string[]): Promise<string[]> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string', multiple: true, default: [] },
      'witness-key': { type: 'string', multiple: true, default: [] },
      checkpoint: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      full: { type: 'boolean', default: false },
      save: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) return [USAGE];
  const keys = trustedKeys(values.key, values['witness-key']);
  switch (command) {
    case 'verify-evidence': {
      if (rest.length !== 1) throw new UsageError('verify-evidence takes one bundle file');
      return verifyEvidence(read(rest[0], 'the bundle'), keys);
    }
    case 'verify-log': {
      if (!values.checkpoint || !values.url || rest.length > 0) {
        throw new UsageError('verify-log needs --checkpoint <saved.txt> and --url <service>');
      }
      const service = new LogService(
        values.url,
        values['api-key'] ?? process.env.CHANGE_LEDGER_API_KEY ?? null,
      );
      const saved = read(values.checkpoint, 'the saved checkpoint');
      const { report, current } = await verifyLog(saved, service, keys, values.full);
      if (values.save) {
        writeFileSync(values.save, current);
        report.push(`saved the current checkpoint to ${values.save}`);
      }
      return report;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; see change-ledger --help`);
  }
}

run(process.argv.slice(2)).then(
  (report) => {
    process.stdout.write(`${report.join('\n')}\n`);
  },
  (error: unknown) => {
    if (error instanceof VerificationFailed) {
      process.stderr.write(`change-ledger: NOT VERIFIED: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`change-ledger: ${message}\n`);
      process.exitCode = 2;
    }
  },
);
