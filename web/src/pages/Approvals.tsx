import { answer, type Schemas } from '../api/client';
import { ChangeSummary, Conflicts } from '../components/ChangeSummary';
import { Decision } from '../components/Decision';
import { ProblemNotice } from '../components/ProblemNotice';
import { when } from '../format';
import { useLoad } from '../load';
import { href } from '../route';
import { useSignedIn } from '../session-context';

type Waiting = Schemas['AwaitingApprovalListDto']['items'][number];

const routeOf = (c: Waiting) => (c.assessment?.route as string | undefined) ?? 'unknown';

/** "Waiting for me": the approver's queue by route, oldest first, and the change to decide. */
export function Approvals({ params }: { params: URLSearchParams }) {
  const { api, ledgerSize, may } = useSignedIn();
  const selected = params.get('change');
  const waiting = useLoad(
    () =>
      may('approver', 'cab')
        ? answer(api.GET('/changes/awaiting-my-approval', { params: { query: { limit: 200 } } }))
        : Promise.resolve({ items: [] }),
    [api, ledgerSize],
  );
  const routes = [...new Set(waiting.data?.items.map(routeOf) ?? [])].sort();
  return (
    <>
      <h1>Approvals waiting for me</h1>
      {!may('approver', 'cab') && <p>Only approvers and the CAB approve changes.</p>}
      <div className="columns">
        <section className="side" aria-labelledby="queue">
          <h2 id="queue">Queue, oldest first</h2>
          <ProblemNotice problem={waiting.problem} />
          {waiting.data?.items.length === 0 && <p>Nothing is waiting for you.</p>}
          {routes.map((route) => (
            <div key={route}>
              <h3>Route: {route}</h3>
              <ul className="plain">
                {waiting.data?.items
                  .filter((c) => routeOf(c) === route)
                  .map((c) => (
                    <li key={c.changeId}>
                      <a
                        href={href('/approvals', { change: c.changeId })}
                        aria-current={c.changeId === selected ? 'true' : undefined}
                      >
                        {(c.request as { title?: string }).title}
                      </a>
                      <div className="meta">
                        by {c.requestedBy}, {when(c.requestedAt)}
                        {c.approvalDueBy && (
                          <>
                            {' · '}
                            <span className={`badge ${c.approvalOverdue ? 'bad' : 'warn'}`}>
                              {c.approvalOverdue ? 'overdue' : 'due'} {when(c.approvalDueBy)}
                            </span>
                          </>
                        )}
                      </div>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </section>
        <section className="main-column" aria-label="Change to decide">
          {selected ? (
            <ToDecide changeId={selected} onDecided={waiting.reload} />
          ) : (
            <p>Pick a change from the queue.</p>
          )}
        </section>
      </div>
    </>
  );
}

function ToDecide({ changeId, onDecided }: { changeId: string; onDecided: () => void }) {
  const { api, ledgerSize } = useSignedIn();
  const path = { params: { path: { id: changeId } } };
  const loaded = useLoad(
    () =>
      Promise.all([
        answer(api.GET('/changes/{id}', path)),
        answer(api.GET('/changes/{id}/conflicts', path)),
      ]),
    [api, changeId, ledgerSize],
  );
  if (loaded.problem) return <ProblemNotice problem={loaded.problem} />;
  if (!loaded.data) return <p>Loading…</p>;
  const [change, conflicts] = loaded.data;
  return (
    <div className="card">
      <h2>
        {(change.request as { title?: string }).title}{' '}
        <span className="badge info">{change.status}</span>
      </h2>
      <p>
        <a href={href(`/changes/${changeId}`)}>Open the change&apos;s full record</a>
      </p>
      <ChangeSummary change={change} />
      <h3>Conflicts</h3>
      <Conflicts conflicts={conflicts} />
      <h3>Your decision</h3>
      <Decision
        changeId={changeId}
        onDecided={() => {
          loaded.reload();
          onDecided();
        }}
      />
    </div>
  );
}
