import { useState } from 'react';
import { answer, type Problem } from '../api/client';
import { asProblem } from '../load';
import { useSignedIn } from '../session-context';
import { ProblemNotice } from './ProblemNotice';

type Verdict = 'approve' | 'reject' | 'defer';

/**
 * Approve, reject or defer through the API: the decider refuses what the rules forbid (one's
 * own change, a second approval by the same person…) and the refusal is shown as it came.
 */
export function Decision({ changeId, onDecided }: { changeId: string; onDecided: () => void }) {
  const { api } = useSignedIn();
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const path = { params: { path: { id: changeId } } };

  async function decide(verdict: Verdict) {
    setProblem(null);
    setDone(null);
    try {
      const result =
        verdict === 'approve'
          ? await answer(
              api.POST('/changes/{id}/approvals', { ...path, body: comment ? { comment } : {} }),
            )
          : verdict === 'reject'
            ? await answer(
                api.POST('/changes/{id}/rejections', { ...path, body: { reason: comment } }),
              )
            : await answer(
                api.POST('/changes/{id}/deferrals', { ...path, body: { reason: comment } }),
              );
      setDone(`Recorded: the change is now ${result.status}.`);
      setComment('');
      onDecided();
    } catch (error) {
      setProblem(asProblem(error));
    }
  }

  return (
    <div className="decision">
      <label htmlFor={`comment-${changeId}`}>Comment (the reason, to reject or defer)</label>
      <textarea
        id={`comment-${changeId}`}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="buttons">
        <button type="button" onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" className="danger" onClick={() => void decide('reject')}>
          Reject
        </button>
        <button type="button" className="secondary" onClick={() => void decide('defer')}>
          Defer
        </button>
      </div>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <ProblemNotice problem={problem} />
    </div>
  );
}
