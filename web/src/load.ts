import { useCallback, useEffect, useState } from 'react';
import { ProblemError, type Problem } from './api/client';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly problem: Problem | null;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function asProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return { status: 0, title: 'The service did not answer', detail: String(error) };
}

/**
 * Loads what `load` fetches, again whenever `deps` change (the ledger's size among them, so a
 * page follows the ledger); the previous data stays on screen while the next loads.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setProblem(null);
        setLoading(false);
      },
      (error: unknown) => {
        if (!current) return;
        setProblem(asProblem(error));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, problem, loading, reload };
}
