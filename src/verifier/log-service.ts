import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { decodeBase64 } from '../ledger/checkpoints/note-keys';
import type { RecordedEvent } from '../ledger/ledger-event';
import { UsageError, VerificationFailed } from './verification-failed';

/**
 * The service's verifiable log, over HTTP: what verify-log asks of it. Nothing it answers is
 * trusted; every answer is checked against signatures and hashes by the caller.
 */
export class LogService {
  constructor(
    private readonly url: string,
    private readonly apiKey: string | null,
  ) {}

  async checkpoint(): Promise<string> {
    return (await this.get('/ledger/checkpoint')).text();
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    const answer = (await (
      await this.get(`/ledger/proofs/consistency?from=${from}&to=${to}`)
    ).json()) as {
      hashes?: unknown;
    };
    if (!Array.isArray(answer.hashes))
      throw new VerificationFailed('the consistency proof has no hashes');
    return answer.hashes.map((hash) => {
      const bytes = typeof hash === 'string' ? decodeBase64(hash) : null;
      if (!bytes)
        throw new VerificationFailed(`the consistency proof holds ${JSON.stringify(hash)}`);
      return bytes;
    });
  }

  /** The events of leaves [start, end), as the service holds them now. */
  async *entries(
    start: number,
    end: number,
  ): AsyncGenerator<{ leafIndex: number; event: RecordedEvent }> {
    const response = await this.get(`/ledger/entries?start=${start}&end=${end}`);
    if (!response.body) return;
    const lines = createInterface({
      input: Readable.fromWeb(response.body),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      yield JSON.parse(line) as { leafIndex: number; event: RecordedEvent };
    }
  }

  private async get(path: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {},
      });
    } catch (error) {
      throw new UsageError(`cannot reach ${this.url}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const body = await response.text();
      const detail = /"detail":"([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 200);
      throw new VerificationFailed(`${path} answered ${response.status}: ${detail}`);
    }
    return response;
  }
}
