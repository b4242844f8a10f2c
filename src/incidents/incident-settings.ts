import { ConfigError } from '../config/config';

/** The longest look-back anyone may ask for: the window is always bounded. */
export const MAX_WINDOW_HOURS = 72;
export const DEFAULT_WINDOW_HOURS = 4;

export interface IncidentSettings {
  /** WHAT_CHANGED_WINDOW_HOURS: the look-back when none is asked for, and for stored suspects. */
  readonly whatChangedWindowHours: number;
}

export function loadIncidentSettings(env: NodeJS.ProcessEnv): IncidentSettings {
  const raw = env.WHAT_CHANGED_WINDOW_HOURS?.trim();
  if (raw === undefined || raw === '') return { whatChangedWindowHours: DEFAULT_WINDOW_HOURS };
  const hours = Number(raw);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_WINDOW_HOURS) {
    throw new ConfigError([
      `WHAT_CHANGED_WINDOW_HOURS must be an integer from 1 to ${MAX_WINDOW_HOURS}, got ${JSON.stringify(raw)}`,
    ]);
  }
  return { whatChangedWindowHours: hours };
}

let settings: IncidentSettings | undefined;

/**
 * This process's settings, read once: the API's default window and the window of the suspects
 * stored when alerts fire are one and the same. The incidents module reads it at start-up, so
 * a bad value stops the service with a clear message.
 */
export function incidentSettings(): IncidentSettings {
  settings ??= loadIncidentSettings(process.env);
  return settings;
}

export const INCIDENT_SETTINGS = Symbol('IncidentSettings');
