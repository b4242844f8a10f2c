import { ConfigError } from '../config/config';
import { loadIncidentSettings } from './incident-settings';

describe('incident settings from the environment', () => {
  it('looks back 4 hours unless told otherwise', () => {
    expect(loadIncidentSettings({})).toEqual({ whatChangedWindowHours: 4 });
    expect(loadIncidentSettings({ WHAT_CHANGED_WINDOW_HOURS: ' 6 ' })).toEqual({
      whatChangedWindowHours: 6,
    });
  });

  it.each(['0', '73', '2.5', 'four'])('refuses %p with a clear message', (value) => {
    expect(() => loadIncidentSettings({ WHAT_CHANGED_WINDOW_HOURS: value })).toThrow(ConfigError);
    expect(() => loadIncidentSettings({ WHAT_CHANGED_WINDOW_HOURS: value })).toThrow(
      /WHAT_CHANGED_WINDOW_HOURS must be an integer from 1 to 72/,
    );
  });
});
