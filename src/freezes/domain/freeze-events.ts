/** Every ad-hoc freeze lives on this one stream: its revision orders declarations and ends. */
export const FREEZES_STREAM = 'freezes';

/** What a freeze covers; without environments or services it covers every one. */
export interface FreezeScope {
  readonly reason: string;
  /** ISO-8601 instants; the start is inside the freeze, the end is not. */
  readonly start: string;
  readonly end: string;
  readonly environments?: readonly string[];
  readonly services?: readonly string[];
}

export interface FreezeDeclaredData extends FreezeScope {
  readonly freezeId: string;
  readonly declaredBy: string;
  readonly at: string;
}

/** A freeze ended before its planned end; one that had not begun is thereby withdrawn. */
export interface FreezeEndedData {
  readonly freezeId: string;
  readonly endedBy: string;
  readonly reason?: string;
  readonly at: string;
}

export type FreezeEvent =
  | { readonly type: 'FreezeDeclared'; readonly data: FreezeDeclaredData }
  | { readonly type: 'FreezeEnded'; readonly data: FreezeEndedData };

export const FREEZE_EVENT_TYPES: ReadonlySet<string> = new Set<FreezeEvent['type']>([
  'FreezeDeclared',
  'FreezeEnded',
]);
