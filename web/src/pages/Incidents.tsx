import { useMemo, useState, type FormEvent } from 'react';
import { answer, type Problem, type Schemas } from '../api/client';
import { Chart } from '../components/Chart';
import { ProblemNotice } from '../components/ProblemNotice';
import { localInput, when } from '../format';
import type { RolloutStage } from '../ledger-types';
import { asProblem, useLoad } from '../load';
import { href, navigate } from '../route';
import { useSignedIn } from '../session-context';
import { timelineOption } from './incident-timeline';

type Suspect = Schemas['SuspectDto'];

interface Question {
  readonly service: string;
  readonly at: string;
  readonly hours: number;
}

/**
 * The responder's page: pick an alert (or a service and a moment) and see what changed before
 * it, on the service and what it depends on, ranked, with the button to record the cause.
 */
export function Incidents({ params }: { params: URLSearchParams }) {
  const { api, ledgerSize } = useSignedIn();
  const alertId = params.get('alert');
  const recent = useLoad(
    () => answer(api.GET('/alerts', { params: { query: { limit: 12 } } })),
    [api, ledgerSize],
  );
  const alert = useLoad(
    () =>
      alertId === null
        ? Promise.resolve(null)
        : answer(api.GET('/alerts/{id}', { params: { path: { id: alertId } } })),
    [api, alertId, ledgerSize],
  );
  const question: Question | null = alert.data
    ? { service: alert.data.service, at: alert.data.startsAt, hours: alert.data.windowHours ?? 4 }
    : alertId === null && params.get('service')
      ? {
          service: params.get('service') as string,
          at: params.get('at') ?? new Date().toISOString(),
          hours: Number(params.get('hours') ?? 4),
        }
      : null;

  return (
    <>
      <h1>Incidents: what changed?</h1>
      <div className="columns">
        <section className="side" aria-labelledby="recent-alerts">
          <h2 id="recent-alerts">Recent alerts</h2>
          <ProblemNotice problem={recent.problem} />
          {recent.data && recent.data.items.length === 0 && <p>No alerts recorded.</p>}
          <ul className="plain">
            {recent.data?.items.map((a) => (
              <li key={a.streamId}>
                <a
                  href={href('/incidents', { alert: a.streamId })}
                  aria-current={a.streamId === alertId ? 'true' : undefined}
                >
                  <strong>{a.name}</strong> on {a.service}
                </a>
                <div className="meta">
                  <span className={`badge ${a.status === 'firing' ? 'bad' : 'good'}`}>
                    {a.status}
                  </span>{' '}
                  {when(a.startsAt)}
                  {a.cause && <span className="badge info">cause recorded</span>}
                </div>
              </li>
            ))}
          </ul>
          <AskForm
            key={question ? `${question.service}@${question.at}` : 'none'}
            question={question}
          />
        </section>
        <section className="main-column" aria-label="What changed">
          <ProblemNotice problem={alert.problem} />
          {alert.data && <AlertHeader alert={alert.data} />}
          {question ? (
            <WhatChanged question={question} alert={alert.data ?? null} onCause={alert.reload} />
          ) : (
            <p>Open an alert, or ask about a service at a moment.</p>
          )}
        </section>
      </div>
    </>
  );
}

function AskForm({ question }: { question: Question | null }) {
  const [service, setService] = useState(question?.service ?? '');
  const [at, setAt] = useState(localInput(question ? new Date(question.at) : new Date()));
  const [hours, setHours] = useState(String(question?.hours ?? 4));
  const { api } = useSignedIn();
  const services = useLoad(() => answer(api.GET('/services')), [api]);
  function ask(event: FormEvent) {
    event.preventDefault();
    navigate('/incidents', { service, at: new Date(at).toISOString(), hours });
  }
  return (
    <form className="stacked" onSubmit={ask} aria-labelledby="ask-heading">
      <h2 id="ask-heading">Ask about a service</h2>
      <label htmlFor="ask-service">Service</label>
      <input
        id="ask-service"
        list="known-services"
        value={service}
        onChange={(e) => setService(e.target.value)}
        required
      />
      <datalist id="known-services">
        {services.data?.items.map((s) => (
          <option key={s.name} value={s.name} />
        ))}
      </datalist>
      <label htmlFor="ask-at">At</label>
      <input
        id="ask-at"
        type="datetime-local"
        value={at}
        onChange={(e) => setAt(e.target.value)}
        required
      />
      <label htmlFor="ask-hours">Look back (hours)</label>
      <input
        id="ask-hours"
        type="number"
        min={1}
        max={72}
        value={hours}
        onChange={(e) => setHours(e.target.value)}
      />
      <button type="submit">Show what changed</button>
    </form>
  );
}

function AlertHeader({ alert }: { alert: Schemas['AlertDto'] }) {
  return (
    <div className="card">
      <h2>
        Alert {alert.name} on {alert.service}{' '}
        <span className={`badge ${alert.status === 'firing' ? 'bad' : 'good'}`}>
          {alert.status}
        </span>
      </h2>
      <p className="meta">
        Fired {when(alert.startsAt, true)}
        {alert.severity && ` · severity ${alert.severity}`}
        {alert.environment && ` · ${alert.environment}`}
        {alert.resolvedAt && ` · resolved ${when(alert.resolvedAt, true)}`}
      </p>
      {alert.summary && <p>{alert.summary}</p>}
      {alert.cause && (
        <p className="cause" role="status">
          Cause recorded by <strong>{alert.cause.recordedBy}</strong> {when(alert.cause.at)}:{' '}
          {alert.cause.changeId === null ? (
            'no change caused it'
          ) : (
            <a href={href(`/changes/${alert.cause.changeId}`)}>change {alert.cause.changeId}</a>
          )}{' '}
          — “{alert.cause.note}”
        </p>
      )}
    </div>
  );
}

function WhatChanged({
  question,
  alert,
  onCause,
}: {
  question: Question;
  alert: Schemas['AlertDto'] | null;
  onCause: () => void;
}) {
  const { api, ledgerSize } = useSignedIn();
  const { service, at, hours } = question;
  const live = useLoad(async () => {
    const [changed, freezes, alerts] = await Promise.all([
      answer(
        api.GET('/incidents/what-changed', {
          params: { query: { service, at, windowHours: hours, limit: 50 } },
        }),
      ),
      answer(api.GET('/freezes', { params: { query: { activeAt: at } } })),
      answer(api.GET('/alerts', { params: { query: { service, limit: 50 } } })),
    ]);
    const changeIds = [
      ...new Set(changed.suspects.flatMap((s) => (s.changeId ? [s.changeId] : []))),
    ];
    const changes = await Promise.all(
      changeIds.map((id) => answer(api.GET('/changes/{id}', { params: { path: { id } } }))),
    );
    const stages = new Map(
      changes.map((c) => [c.changeId, c.rolloutStages as unknown as RolloutStage[]]),
    );
    const inWindow = alerts.items.filter(
      (a) => a.startsAt >= changed.from && a.startsAt <= changed.at,
    );
    return { changed, freezes: freezes.freezes, stages, alerts: inWindow };
  }, [api, service, at, hours, ledgerSize]);

  // An alert's own suspects were stored when it fired (a named cause first); otherwise live.
  const suspects: Suspect[] = alert?.suspects ?? live.data?.changed.suspects ?? [];
  const top = suspects[0] ?? null;
  const option = useMemo(
    () =>
      live.data
        ? timelineOption({
            answer: live.data.changed,
            topKey: top?.deploymentKey ?? null,
            stages: live.data.stages,
            freezes: live.data.freezes,
            alerts: alert
              ? [alert, ...live.data.alerts.filter((a) => a.streamId !== alert.streamId)]
              : [{ name: 'asked about', startsAt: live.data.changed.at }, ...live.data.alerts],
          })
        : null,
    [live.data, top?.deploymentKey, alert],
  );

  return (
    <>
      <ProblemNotice problem={live.problem} />
      {live.data && option && (
        <div className="card">
          <h2>
            Timeline of {service}: {hours} h before {when(at)}
          </h2>
          <Chart
            option={option}
            label={`Deployments on ${service} and what it depends on in the ${hours} hours before ${when(at)}`}
            height={Math.max(180, 70 * (live.data.changed.upstream.length + 1) + 80)}
          />
          <p className="legend">
            <span className="swatch" style={{ background: '#1d4ed8' }} /> deployed{' '}
            <span className="swatch" style={{ background: '#b45309' }} /> rolling out{' '}
            <span className="swatch" style={{ background: '#b91c1c' }} /> rolled back{' '}
            <span className="swatch" style={{ background: '#6d28d9' }} /> unplanned (no approved
            change) · ◆ rollout stage (green passed, red halted) · shaded: freeze · red line: alert
          </p>
        </div>
      )}
      <div className="card">
        <h2>Suspects, most likely first</h2>
        {suspects.length === 0 && !live.loading && <p>Nothing changed in the window.</p>}
        {suspects.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Deployment</th>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Before alert</th>
                <th scope="col">Score</th>
                <th scope="col">Factors</th>
                <th scope="col">Reasons</th>
                {alert && <th scope="col">Cause</th>}
              </tr>
            </thead>
            <tbody>
              {suspects.map((s, i) => (
                <SuspectRow
                  key={s.deploymentKey}
                  rank={i + 1}
                  suspect={s}
                  top={s === top}
                  alert={alert}
                  onCause={onCause}
                />
              ))}
            </tbody>
          </table>
        )}
        {alert && <NoChangeCause alert={alert} onCause={onCause} />}
        {!alert && <p className="hint">Open an alert to record its cause.</p>}
      </div>
    </>
  );
}

function SuspectRow({
  rank,
  suspect: s,
  top,
  alert,
  onCause,
}: {
  rank: number;
  suspect: Suspect;
  top: boolean;
  alert: Schemas['AlertDto'] | null;
  onCause: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr className={top ? 'likeliest' : undefined}>
        <td>{rank}</td>
        <td>
          {s.changeId ? (
            <a href={href(`/changes/${s.changeId}`)}>{s.title ?? s.changeId}</a>
          ) : (
            <span>Unplanned deploy</span>
          )}
          <div className="meta">
            {s.version && `version ${s.version}`} {s.commit && `· commit ${s.commit}`}
          </div>
          {top && <span className="badge bad">most likely</span>}
          {s.reasons.includes('explicit-cause') && (
            <span className="badge info">recorded cause</span>
          )}
        </td>
        <td>
          {s.service}
          {s.depth > 0 && <div className="meta">via {s.path.join(' → ')}</div>}
        </td>
        <td>
          {s.unplanned ? 'unplanned, ' : ''}
          {s.status}
        </td>
        <td>{Math.round(s.minutesBefore)} min</td>
        <td>{s.score.toFixed(3)}</td>
        <td className="meta">
          proximity {s.factors.proximity} · relation {s.factors.relation} · risk {s.factors.risk} ·
          state {s.factors.state}
        </td>
        <td>
          {s.reasons.map((r) => (
            <span key={r} className="chip">
              {r}
            </span>
          ))}
        </td>
        {alert && (
          <td>
            {s.changeId && (
              <button
                type="button"
                className="secondary"
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                Record as cause
              </button>
            )}
          </td>
        )}
      </tr>
      {open && alert && s.changeId && (
        <tr>
          <td colSpan={9}>
            <CauseForm
              alert={alert}
              changeId={s.changeId}
              label={`Why ${s.title ?? s.changeId} caused ${alert.name}`}
              onDone={() => {
                setOpen(false);
                onCause();
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function NoChangeCause({ alert, onCause }: { alert: Schemas['AlertDto']; onCause: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="secondary" onClick={() => setOpen(!open)}>
        No change caused it
      </button>
      {open && (
        <CauseForm
          alert={alert}
          changeId={null}
          label={`Why no change caused ${alert.name}`}
          onDone={() => {
            setOpen(false);
            onCause();
          }}
        />
      )}
    </>
  );
}

/** Records the explicit cause on the alert's stream in the ledger (POST /alerts/{id}/cause). */
function CauseForm({
  alert,
  changeId,
  label,
  onDone,
}: {
  alert: Schemas['AlertDto'];
  changeId: string | null;
  label: string;
  onDone: () => void;
}) {
  const { api } = useSignedIn();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const id = `cause-${changeId ?? 'none'}`;
  async function record(event: FormEvent) {
    event.preventDefault();
    try {
      await answer(
        api.POST('/alerts/{id}/cause', {
          params: { path: { id: alert.streamId } },
          body: { changeId, note },
        }),
      );
      onDone();
    } catch (error) {
      setProblem(asProblem(error));
    }
  }
  return (
    <form className="stacked inline-form" onSubmit={(e) => void record(e)}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} value={note} onChange={(e) => setNote(e.target.value)} required />
      <button type="submit">Record cause</button>
      <ProblemNotice problem={problem} />
    </form>
  );
}
