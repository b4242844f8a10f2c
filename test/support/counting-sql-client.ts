import type { SqlClient } from '../../src/sql/sql-client';

/** A SqlClient that counts the statements sent through it: round trips to the database. */
export class CountingSqlClient implements SqlClient {
  constructor(
    private readonly inner: SqlClient,
    readonly tally = { statements: 0, byTable: new Map<string, number>() },
    private readonly inTransaction = false,
  ) {}

  get statements(): number {
    return this.tally.statements;
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]> {
    this.tally.statements += 1;
    // Which table a statement reads or writes first: enough to tell where round trips go.
    const table = /(INSERT INTO|UPDATE|FROM)\s+(\w+)/.exec(text)?.slice(1).join(' ') ?? text;
    this.tally.byTable.set(table, (this.tally.byTable.get(table) ?? 0) + 1);
    return this.inner.query<Row>(text, params);
  }

  exec(script: string): Promise<void> {
    this.tally.statements += 1;
    return this.inner.exec(script);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    // BEGIN and COMMIT are round trips of their own.
    this.tally.statements += 2;
    return this.inner.transaction((tx) => work(new CountingSqlClient(tx, this.tally, true)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
