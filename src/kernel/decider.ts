/**
 * A stream's rules as pure functions, the one shape every stream kind shares: what a command
 * decides on the stream's state (events, or a refusal thrown as a DomainError), and how each
 * event moves that state on. The command path reads the stream, folds it from `initialState`
 * with `evolve`, asks `decide`, and appends what it says.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

/** A domain event as a decider emits it, before the ledger gives it an envelope. */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

/** What every command carries for the record: who gave it and when it came in. */
export interface Attributed {
  readonly actor: { readonly id: string };
  /** ISO-8601 instant the command came in with: a decider never reads a clock. */
  readonly at: string;
}

/** The state the events lead to, from the decider's initial state. */
export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}
