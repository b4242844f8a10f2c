/** Whether a free-text field says something: audit records need more than whitespace. */
export function hasText(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
