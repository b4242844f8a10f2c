/** The evidence does not prove what it claims: the message is the reason, for the auditor. */
export class VerificationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationFailed';
  }
}

/** The command cannot run as asked (a file, a key, an argument): nothing was verified. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
