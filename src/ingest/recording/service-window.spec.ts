import { HISTORY_EVENTS, ServiceWindow } from './service-window';

const observed = (revision: number, version: string) => ({
  eventId: `deploy-${revision}`,
  revision,
  type: 'DeploymentObserved',
  data: { version, environment: 'production', phase: 'succeeded' },
});
const other = (revision: number) => ({
  eventId: `other-${revision}`,
  revision,
  type: 'X',
  data: {},
});

describe('ServiceWindow', () => {
  it('keeps the events of the last HISTORY_EVENTS revisions and the deploys among them', () => {
    const events = Array.from({ length: HISTORY_EVENTS + 2 }, (_, revision) =>
      revision % 2 === 0 ? observed(revision, `v${revision}`) : other(revision),
    );
    const window = ServiceWindow.EMPTY.plus(events.slice(0, 3)).plus(events.slice(3));
    expect(window.head).toBe(HISTORY_EVENTS + 1);
    expect(window.wholeStream).toBe(false);
    expect(window.has('deploy-0') || window.has('other-1')).toBe(false);
    expect(window.has('deploy-2') && window.has(`other-${HISTORY_EVENTS + 1}`)).toBe(true);
    expect(window.deploys()[0]).toMatchObject({ version: 'v2' });
    expect(window.weight).toBe(1 + HISTORY_EVENTS);
  });

  it('reaches the stream start while the stream is shorter than the window', () => {
    expect(ServiceWindow.EMPTY.wholeStream).toBe(true);
    const window = ServiceWindow.EMPTY.plus([observed(0, 'v1'), other(1)]);
    expect(window.wholeStream).toBe(true);
    expect(window.deploys()).toEqual([observed(0, 'v1').data]);
    expect(window.plus([])).toBe(window);
  });
});
