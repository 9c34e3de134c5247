import { backoff } from './backoff';

it('doubles from the first delay up to the cap, jittered within the upper half', () => {
  const policy = { first: 500, max: 10_000 };
  expect([0, 1, 2, 4, 5, 30].map((n) => backoff(n, policy, () => 1))).toEqual([500, 1000, 2000, 8000, 10_000, 10_000]);
  expect([0, 5].map((n) => backoff(n, policy, () => 0))).toEqual([250, 5000]);
});
