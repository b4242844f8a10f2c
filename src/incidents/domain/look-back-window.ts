/** The longest look-back anyone may ask for: an incident is never blamed on last month. */
export const MAX_WINDOW_HOURS = 72;
