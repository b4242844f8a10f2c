import { useState } from 'react';
import { answer, type Problem, type Schemas } from '../api/client';
import { ChangeSummary, Conflicts } from '../components/ChangeSummary';
import { Decision } from '../components/Decision';
import { ProblemNotice } from '../components/ProblemNotice';
import { progressText, saveStream, type Progress } from '../download';
import { shortHash, when } from '../format';
import { asProblem, useLoad } from '../load';
import { useSignedIn } from '../session-context';

type RecordedEvent = Schemas['RecordedEventDto'];

/** One line of the lifecycle per event, in the words of the ledger's event. */
function describe(event: RecordedEvent): string {
  // The fields read here are plain values in every version of these events.
  const d = event.data as Record<string, string | number | boolean | undefined>;
  switch (event.type) {
    case 'RiskAssessed':
      return `risk ${String(d.level)}, route ${String(d.route)}`;
    case 'ApprovalGranted':
      return `approved by ${String(d.approver)}${d.comment ? `: “${String(d.comment)}”` : ''}`;
    case 'ChangeRejected':
    case 'ChangeDeferred':
    case 'ChangeRolledBack':
    case 'ChangeCancelled':
      return String(d.reason ?? '');
    case 'RolloutStageCompleted':
      return `${String(d.stage)} ${String(d.percent)}% ${d.passed ? 'passed its gates' : 'halted by its gates'}`;
    case 'ChangeClosed':
      return `outcome ${String(d.outcome)}`;
    case 'CommandRefused':
      return `refused ${String(d.command)} by ${String(d.actor)}: ${String(d.code)}`;
    default:
      return '';
  }
}

/** A change's record: lifecycle, the full trail with hashes, verification, evidence. */
export function ChangePage({ changeId }: { changeId: string }) {
  const { api, ledgerSize, may } = useSignedIn();
  const path = { params: { path: { id: changeId } } };
  const loaded = useLoad(
    () =>
      Promise.all([
        answer(api.GET('/changes/{id}', path)),
        answer(api.GET('/changes/{id}/events', path)),
        answer(api.GET('/changes/{id}/verify', path)),
        answer(api.GET('/changes/{id}/conflicts', path)),
      ]),
    [api, changeId, ledgerSize],
  );
  if (loaded.problem) return <ProblemNotice problem={loaded.problem} />;
  if (!loaded.data) return <p>Loading…</p>;
  const [change, trail, verification, conflicts] = loaded.data;
  const open = change.status === 'awaiting-approval' || change.status === 'deferred';
  return (
    <>
      <h1>
        {(change.request as { title?: string }).title}{' '}
        <span className="badge info">{change.status}</span>
      </h1>
      <div className="columns wide-first">
        <section className="main-column" aria-labelledby="lifecycle">
          <h2 id="lifecycle">Lifecycle</h2>
          <ol className="lifecycle">
            {trail.map((event) => (
              <li key={event.eventId} className={event.type === 'CommandRefused' ? 'refused' : ''}>
                <strong>{event.type}</strong>{' '}
                <span className="meta">{when(event.metadata.occurredAt, true)}</span>
                <div>
                  {describe(event)} <span className="meta">by {event.metadata.actor}</span>
                </div>
              </li>
            ))}
          </ol>
          <h2>Request and assessment</h2>
          <ChangeSummary change={change} />
          <h3>Conflicts</h3>
          <Conflicts conflicts={conflicts} />
          {open && may('approver', 'cab') && (
            <>
              <h2>Decide</h2>
              <Decision changeId={changeId} onDecided={loaded.reload} />
            </>
          )}
        </section>
        <section className="side" aria-labelledby="integrity">
          <h2 id="integrity">Integrity</h2>
          <p role="status">
            {verification.intact ? (
              <span className="badge good">hash chain intact</span>
            ) : (
              <span className="badge bad">chain broken</span>
            )}{' '}
            {verification.events} event(s) recomputed
          </p>
          {verification.broken && (
            <p>
              Broken at revision {verification.broken.revision} ({verification.broken.reason}):
              expected <code>{shortHash(verification.broken.expectedHash)}</code>, found{' '}
              <code>{shortHash(verification.broken.foundHash)}</code>
            </p>
          )}
          <Evidence changeId={changeId} />
        </section>
      </div>
      <h2>Full trail</h2>
      <div className="scroll">
        <table className="trail">
          <thead>
            <tr>
              <th scope="col">Rev</th>
              <th scope="col">Event</th>
              <th scope="col">Actor</th>
              <th scope="col">Recorded</th>
              <th scope="col">Position</th>
              <th scope="col">Previous hash</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {trail.map((event) => (
              <tr key={event.eventId}>
                <td>{event.revision}</td>
                <td>{event.type}</td>
                <td>{event.metadata.actor}</td>
                <td>{when(event.recordedAt, true)}</td>
                <td>
                  <code>{event.position}</code>
                </td>
                <td>
                  <code title={event.prevHash}>{shortHash(event.prevHash)}</code>
                </td>
                <td>
                  <code title={event.hash}>{shortHash(event.hash)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The evidence bundle (events, proofs, checkpoint) for the offline verifier; auditors only. */
function Evidence({ changeId }: { changeId: string }) {
  const { api, may } = useSignedIn();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  async function download() {
    setProblem(null);
    setSaved(false);
    try {
      await saveStream(
        api.GET('/changes/{id}/evidence', {
          params: { path: { id: changeId } },
          parseAs: 'stream',
        }),
        `evidence-${changeId}.json`,
        setProgress,
      );
      setSaved(true);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }
  return (
    <div>
      <h3>Evidence bundle</h3>
      <p className="meta">
        Events, inclusion proofs and the signed checkpoint: check it offline with{' '}
        <code>npx change-ledger verify-evidence</code>.
      </p>
      <button type="button" onClick={() => void download()} disabled={!may('auditor')}>
        Download evidence bundle
      </button>
      {!may('auditor') && <p className="meta">Auditors download evidence.</p>}
      <p aria-live="polite">
        {progressText(progress)}
        {saved && ' · saved'}
      </p>
      <ProblemNotice problem={problem} />
    </div>
  );
}
