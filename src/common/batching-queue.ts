interface Waiting<Request, Result> {
  readonly request: Request;
  readonly resolve: (result: Result) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Requests that arrive while a batch is in flight wait for it, then go together in the next
 * one — one statement, one round trip — and each is settled on its own. No timer: a lone
 * request goes at once, and under load the queue fills by itself while the batch before is
 * out. A request never joins a batch already sent, so its answer is as fresh as a lone one.
 */
export class BatchingQueue<Request, Result> {
  private queue: Array<Waiting<Request, Result>> = [];
  private sending = false;

  constructor(
    /** Settles every request of a batch, in the order given. */
    private readonly send: (
      requests: readonly Request[],
    ) => Promise<Array<PromiseSettledResult<Result>>>,
    /** Requests per batch at most: bounds a statement's size under a burst. */
    private readonly maxBatch: number,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const settled = await this.send(batch.map((waiting) => waiting.request)).catch(
          (reason: unknown) =>
            batch.map((): PromiseSettledResult<Result> => ({ status: 'rejected', reason })),
        );
        for (const [i, { resolve, reject }] of batch.entries()) {
          const outcome = settled[i];
          if (outcome.status === 'fulfilled') resolve(outcome.value);
          else reject(outcome.reason);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
