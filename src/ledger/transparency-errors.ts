import type { Refusal, Refused } from '../kernel/refusal';

/** Something the caller asked of the verifiable log that it does not (yet) have: a 404. */
export class NotInLog extends Error implements Refused {
  constructor(
    readonly code:
      'no-checkpoint' | 'checkpoint-not-found' | 'event-not-in-tree' | 'tree-size-not-reached',
    message: string,
  ) {
    super(message);
    this.name = 'NotInLog';
  }

  get refusal(): Refusal {
    return { kind: 'not-found', code: this.code };
  }
}
