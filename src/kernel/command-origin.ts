/** Where a command came from, recorded in every event's metadata. */
export interface CommandOrigin {
  /** `api`, `webhook:<format>` or `kafka:<topic>`. */
  readonly source: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  /**
   * The sender's identity for this occurrence (an ingested message, a retried request):
   * event ids derive from it, and a command whose events are already recorded is not decided
   * again but answered with what was recorded.
   */
  readonly idempotencyKey?: string;
}
