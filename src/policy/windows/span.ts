/** A half-open span of time in epoch milliseconds: the start is inside it, the end is not. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The span of one instant, for rules that ask "is this moment inside …". */
export function instantSpan(at: number): Span {
  return { start: at, end: at + 1 };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** An ISO-8601 window as a span; both ends were checked when they were recorded. */
export function spanOf(window: { readonly start: string; readonly end: string }): Span {
  return { start: Date.parse(window.start), end: Date.parse(window.end) };
}
