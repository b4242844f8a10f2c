import type { RecordedEvent } from '../ledger/ledger-event';

/**
 * The evidence bundle: one JSON document an auditor keeps and checks offline with
 * `change-ledger verify-evidence`. Its format is what docs/verification.md describes.
 */
export const EVIDENCE_FORMAT = 'change-ledger-evidence/v1';

export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly generatedAt: string;
  /** The log's origin: the first line of its checkpoints. */
  readonly origin: string;
  /** The signed checkpoint every proof in the bundle leads to, with its cosignatures. */
  readonly checkpoint: { readonly treeSize: number; readonly note: string };
  /** Who signed that checkpoint, as key name+hex id: the log's key, then witnesses'. */
  readonly keyIds: readonly string[];
  /** For a period's bundle: the period. */
  readonly period?: {
    readonly from: string | null;
    readonly to: string | null;
    readonly service: string | null;
    readonly asOf: string;
  };
  readonly changes: readonly ChangeEvidence[];
}

export interface ChangeEvidence {
  readonly changeId: string;
  /**
   * The change's compliance record, as the compliance read model holds it (null until it has
   * seen the change). Derived from the events, not signed: the events are the evidence.
   */
  readonly compliance: unknown;
  /** Every event of the change's stream, in revision order. */
  readonly events: readonly EventEvidence[];
}

export interface EventEvidence {
  readonly event: RecordedEvent;
  /** Null while the event is not yet covered by the bundle's checkpoint. */
  readonly leafIndex: number | null;
  /** RFC 9162 inclusion path to the checkpoint's root, base64, leaf upward. */
  readonly inclusionProof: readonly string[] | null;
}
