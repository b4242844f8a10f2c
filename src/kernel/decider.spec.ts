import { fold, type Decider } from './decider';

type Counted = { readonly type: 'Added'; readonly data: { readonly by: number } };

const counter: Decider<{ add: number }, Counted, number> = {
  initialState: 0,
  decide: ({ add }) => (add === 0 ? [] : [{ type: 'Added', data: { by: add } }]),
  evolve: (total, event) => total + event.data.by,
};

describe('a decider', () => {
  it('folds events from its initial state, in order', () => {
    expect(fold(counter, [])).toBe(0);
    expect(fold(counter, counter.decide({ add: 3 }, 0))).toBe(3);
    expect(fold({ ...counter, initialState: 10 }, counter.decide({ add: -4 }, 10))).toBe(6);
  });

  it('decides nothing when nothing is to be recorded', () => {
    expect(counter.decide({ add: 0 }, 5)).toEqual([]);
  });
});
