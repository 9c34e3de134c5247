// Throttling, shared by every instance through Redis when REDIS_URL is set (in memory otherwise, and in memory
// while Redis is unreachable, so an outage never turns into "no limits" or "no service"). Each limit is a
// rate-limiter-flexible limiter; this module only names them and turns a refusal into RATE_LIMITED.
import type { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import type * as Flexible from 'rate-limiter-flexible';
import type { IRateLimiterOptions } from 'rate-limiter-flexible';
import type { ThrottleLimits } from './config.ts';
import { rateLimited } from './errors.ts';

// The limiter classes one by one: the package's index loads every store it supports (Mongo, MySQL, …), a sixth of
// the server's start-up.
const load = createRequire(import.meta.url);
const BurstyRateLimiter = load('rate-limiter-flexible/lib/BurstyRateLimiter.js') as typeof Flexible.BurstyRateLimiter;
const RateLimiterMemory = load('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof Flexible.RateLimiterMemory;
const RateLimiterRedis = load('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof Flexible.RateLimiterRedis;
const RateLimiterRes = load('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof Flexible.RateLimiterRes;
type RateLimiterMemory = Flexible.RateLimiterMemory;
type RateLimiterRedis = Flexible.RateLimiterRedis;

// The limits and their defaults are configuration (config.ts, the bottom layer).
export type { ThrottleLimits };

type Limiter = { consume(key: string): Promise<unknown> };

export type Throttle = {
  /** Counts a log-in attempt against the username and the IP before its password is checked, and refuses it when
   * either has none left: attempts sent together are limited as attempts sent one after another are. */
  beforeLogIn(username: string, ip: string): Promise<void>;
  /** A successful log-in is refunded: it forgives the username's failures and gives the IP its attempt back. */
  logInSucceeded(username: string, ip: string): Promise<void>;
  signUp(ip: string): Promise<void>;
  send(userId: string): Promise<void>;
  cheap(userId: string): Promise<void>;
};

/** Limits off: every call passes (tests that measure something else, benchmarks). */
export const NO_THROTTLE: Throttle = {
  beforeLogIn: async () => {},
  logInSucceeded: async () => {},
  signUp: async () => {},
  send: async () => {},
  cheap: async () => {},
};

/**
 * `namespace` keeps deployments that share one Redis apart (each names its own database): one parley's counters
 * never throttle another's users.
 */
export function createThrottle(limits: ThrottleLimits, redis?: Redis, namespace = 'parley'): Throttle {
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterMemory | RateLimiterRedis => {
    const options: IRateLimiterOptions = { keyPrefix: `parley:${namespace}:${keyPrefix}`, points, duration };
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
  const loginByName = limiter('login-user', limits.logInFailuresPerUsername, 15 * 60);
  const loginByIp = limiter('login-ip', limits.logInFailuresPerIp, 15 * 60);
  const signUps = limiter('signup-ip', limits.signUpsPerIp, 60 * 60);
  const sends = new BurstyRateLimiter(
    limiter('send', limits.sendsPerSecond, 1),
    limiter('send-burst', limits.sendBurst, 10),
  );
  const cheap = limiter('cheap', limits.cheapPerSecond, 1);

  /** Consumes one point; a refusal becomes RATE_LIMITED with the seconds to wait. */
  const take = async (l: Limiter, key: string) => {
    try {
      await l.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw rateLimited(res.msBeforeNext);
      throw res;
    }
  };

  return {
    // Consume first, check the password after, refund a success (rate-limiter-flexible's login-protection
    // pattern): reading the count first and adding a failure later let every guess sent at once through. The
    // increment is atomic (a Lua script in Redis), so exactly `points` attempts pass however many arrive together.
    beforeLogIn: async (username, ip) => {
      const [byName, byIp] = await Promise.allSettled([take(loginByName, username), take(loginByIp, ip)]);
      if (byName.status === 'fulfilled' && byIp.status === 'fulfilled') return;
      // Refused without a password check: it must not count against the limit that let it through.
      if (byName.status === 'fulfilled') await loginByName.reward(username, 1);
      if (byIp.status === 'fulfilled') await loginByIp.reward(ip, 1);
      throw (byName.status === 'rejected' ? byName : (byIp as PromiseRejectedResult)).reason;
    },
    logInSucceeded: async (username, ip) => {
      await Promise.all([loginByName.delete(username), loginByIp.reward(ip, 1)]);
    },
    signUp: (ip) => take(signUps, ip),
    send: (userId) => take(sends, userId),
    cheap: (userId) => take(cheap, userId),
  };
}
