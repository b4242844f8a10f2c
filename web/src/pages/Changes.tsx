import { useState, type FormEvent } from 'react';
import { answer } from '../api/client';
import { pathsChangesGetParametersQueryStatusValues } from '../api/schema';
import { ProblemNotice } from '../components/ProblemNotice';
import { when } from '../format';
import { useLoad } from '../load';
import { href, navigate } from '../route';
import { useSignedIn } from '../session-context';

// Every status the API filters by (from its OpenAPI document) but the "none" of a change not requested.
const STATUSES = pathsChangesGetParametersQueryStatusValues.filter((s) => s !== 'none');

type Status = (typeof STATUSES)[number];

/** Every change, newest first, by service and status: the way into a change's record. */
export function Changes({ params }: { params: URLSearchParams }) {
  const { api, ledgerSize } = useSignedIn();
  const service = params.get('service') ?? '';
  const status = (params.get('status') ?? '') as Status | '';
  const listed = useLoad(
    () =>
      answer(
        api.GET('/changes', {
          params: {
            query: { service: service || undefined, status: status || undefined, limit: 100 },
          },
        }),
      ),
    [api, service, status, ledgerSize],
  );
  const [serviceInput, setServiceInput] = useState(service);
  const [statusInput, setStatusInput] = useState<string>(status);
  function filter(event: FormEvent) {
    event.preventDefault();
    navigate('/changes', { service: serviceInput, status: statusInput });
  }
  return (
    <>
      <h1>Changes</h1>
      <form className="filters" onSubmit={filter}>
        <label htmlFor="changes-service">Service</label>
        <input
          id="changes-service"
          value={serviceInput}
          onChange={(e) => setServiceInput(e.target.value)}
        />
        <label htmlFor="changes-status">Status</label>
        <select
          id="changes-status"
          value={statusInput}
          onChange={(e) => setStatusInput(e.target.value)}
        >
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <ProblemNotice problem={listed.problem} />
      <table>
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Services</th>
            <th scope="col">Risk</th>
            <th scope="col">Requested</th>
          </tr>
        </thead>
        <tbody>
          {listed.data?.items.map((c) => (
            <tr key={c.changeId}>
              <td>
                <a href={href(`/changes/${c.changeId}`)}>{c.title}</a>
              </td>
              <td>{c.status}</td>
              <td>{c.type}</td>
              <td>
                {c.services.join(', ')} ({c.environment})
              </td>
              <td>{c.riskLevel ?? '—'}</td>
              <td>
                {c.requestedBy}, {when(c.requestedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
