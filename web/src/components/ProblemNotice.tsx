import type { Problem } from '../api/client';

/** A refusal as the API gave it: its reason in words, the rule's code and each field. */
export function ProblemNotice({ problem }: { problem: Problem | null }) {
  if (problem === null) return null;
  return (
    <div className="problem" role="alert">
      <strong>
        {problem.status > 0 ? `${problem.status} ${problem.title ?? ''}` : problem.title}
        {problem.code ? ` · ${problem.code}` : ''}
      </strong>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
