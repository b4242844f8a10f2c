import type { Schemas } from '../api/client';
import { when } from '../format';
import type { Assessment, ChangeRequestFields } from '../ledger-types';

/** What an approver weighs: the request, its risk and factors, conflicts, the policy's route. */
export function ChangeSummary({ change }: { change: Schemas['ChangeViewDto'] }) {
  const request = change.request as unknown as ChangeRequestFields;
  const assessment = change.assessment as unknown as Assessment | undefined;
  const window = request.plannedWindow;
  return (
    <div className="summary">
      <dl className="facts">
        <dt>Requested by</dt>
        <dd>
          {change.requestedBy}, {when(change.requestedAt)}
        </dd>
        <dt>Type</dt>
        <dd>
          {request.type} · {request.category} · {request.environment}
        </dd>
        <dt>Services</dt>
        <dd>{request.services.join(', ')}</dd>
        <dt>Planned window</dt>
        <dd>{window ? `${when(window.start)} → ${when(window.end)}` : '—'}</dd>
        {request.version && (
          <>
            <dt>Version</dt>
            <dd>{request.version}</dd>
          </>
        )}
      </dl>
      {request.description && <p>{request.description}</p>}
      <dl className="facts">
        <dt>Justification</dt>
        <dd>{request.justification ?? '—'}</dd>
        <dt>Implementation</dt>
        <dd>{request.implementationSteps?.join('; ') ?? '—'}</dd>
        <dt>Rollback plan</dt>
        <dd>
          {request.rollbackPlan
            ? `${request.rollbackPlan.steps.join('; ')} (when ${request.rollbackPlan.trigger}, ${request.rollbackPlan.expectedMinutes} min)`
            : 'none'}
        </dd>
        <dt>Test plan</dt>
        <dd>{request.testPlan ?? '—'}</dd>
      </dl>
      {assessment && (
        <>
          <h3>
            Risk {assessment.level} (score {assessment.score.toFixed(2)}) · route {assessment.route}
          </h3>
          <p className="meta">
            Needs {assessment.requiredApprovals} approval(s)
            {assessment.requiredCabApprovals > 0 &&
              `, ${assessment.requiredCabApprovals} from the CAB`}{' '}
            · routed by {assessment.routedBy} · policy version{' '}
            <code title={assessment.policyVersion}>{assessment.policyVersion.slice(0, 19)}</code>
            {assessment.approvalDueBy &&
              (change.status === 'awaiting-approval' || change.status === 'deferred') &&
              ` · approvals due ${when(assessment.approvalDueBy)}`}
          </p>
          <table>
            <caption>Risk factors</caption>
            <thead>
              <tr>
                <th scope="col">Factor</th>
                <th scope="col">Contribution</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {assessment.factors.map((f) => (
                <tr key={f.factor + f.detail}>
                  <td>{f.factor}</td>
                  <td>{f.contribution}</td>
                  <td>{f.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p className="meta">
        Approvals so far:{' '}
        {change.approvals.length === 0
          ? 'none'
          : change.approvals.map((a) => `${a.principal} (${when(a.at)})`).join(', ')}
      </p>
    </div>
  );
}

/** Other changes, freezes and blackouts the change's window runs into (GET …/conflicts). */
export function Conflicts({ conflicts }: { conflicts: Schemas['ChangeConflictsDto'] | undefined }) {
  if (!conflicts) return null;
  if (conflicts.conflicts.length === 0) return <p className="meta">No conflicts in its window.</p>;
  return (
    <ul className="conflicts" aria-label="Conflicts">
      {conflicts.conflicts.map((c) => (
        <li key={c.kind + c.with}>
          <span className={`badge ${c.action === 'refuse' ? 'bad' : 'warn'}`}>{c.action}</span>{' '}
          {c.kind}: {c.detail}
        </li>
      ))}
    </ul>
  );
}
