import { DOMAIN_ERROR_KINDS, DomainError } from './domain-error';

describe('DomainError', () => {
  it('carries its code, the kind that code maps to, and the message', () => {
    const error = new DomainError('self-approval', 'cannot approve a change that is deferred');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'DomainError',
      code: 'self-approval',
      kind: 'rule',
      message: 'cannot approve a change that is deferred',
    });
  });

  it('maps not-found and state conflicts to their own kinds, everything else to rule', () => {
    expect(new DomainError('change-not-found', 'x').kind).toBe('not-found');
    expect(new DomainError('invalid-transition', 'x').kind).toBe('conflict');
    expect(new DomainError('change-exists', 'x').kind).toBe('conflict');
    const rules = Object.entries(DOMAIN_ERROR_KINDS)
      .filter(([, kind]) => kind === 'rule')
      .map(([code]) => code);
    const others = ['change-not-found', 'change-exists', 'invalid-transition'];
    const freezes = ['freeze-not-found', 'freeze-exists', 'freeze-over'];
    expect(rules).toHaveLength(
      Object.keys(DOMAIN_ERROR_KINDS).length - others.length - freezes.length,
    );
  });
});
