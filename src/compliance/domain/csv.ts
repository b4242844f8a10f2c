export type CsvCell = string | number | boolean | null;

// A spreadsheet runs a cell that starts like a formula (OWASP "CSV injection"); titles and
// details are free text from requesters and CI systems.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180): null is empty, numbers and booleans as JavaScript prints them, text
 * quoted when it holds a quote, comma or line break (quotes doubled), and text that a
 * spreadsheet would run as a formula prefixed with a single quote.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row, then one row per record, CRLF-terminated as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
