// Throttling, shared by every instance through Redis when REDIS_URL is set (in memory otherwise, and in memory
// while Redis is unreachable, so an outage never turns into "no limits" or "no service"). Each limit is a
// rate-limiter-flexible limiter; this module only names them and turns a refusal into RATE_LIMITED.
import type { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import type * as Flexible from 'rate-limiter-flexible';
import type { IRateLimiterOptions } from 'rate-limiter-flexible';
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
type RateLimiterRes = Flexible.RateLimiterRes;

export type ThrottleLimits = {
  /** Failed log-ins per username, and per client IP, in 15 minutes. */
  logInFailuresPerUsername: number;
  logInFailuresPerIp: number;
  /** Sign-ups per client IP per hour. */
  signUpsPerIp: number;
  /** Sends per user: a steady rate per second, and a burst allowance over 10 s. */
  sendsPerSecond: number;
  sendBurst: number;
  /** Cheap mutations (markRead, setTyping) per user per second. */
  cheapPerSecond: number;
};

export const DEFAULT_LIMITS: ThrottleLimits = {
  logInFailuresPerUsername: 5,
  logInFailuresPerIp: 50,
  signUpsPerIp: 10,
  sendsPerSecond: 5,
  sendBurst: 30,
  cheapPerSecond: 10,
};

type Limiter = { consume(key: string): Promise<unknown>; get?(key: string): Promise<RateLimiterRes | null> };

export type Throttle = {
  /** Refuses a log-in attempt while the username or the IP has used up its failures. */
  beforeLogIn(username: string, ip: string): Promise<void>;
  /** Counts a failed log-in against the username and the IP. */
  logInFailed(username: string, ip: string): Promise<void>;
  /** A successful log-in forgives the username's failures. */
  logInSucceeded(username: string): Promise<void>;
  signUp(ip: string): Promise<void>;
  send(userId: string): Promise<void>;
  cheap(userId: string): Promise<void>;
};

/** Limits off: every call passes (tests that measure something else, benchmarks). */
export const NO_THROTTLE: Throttle = {
  beforeLogIn: async () => {},
  logInFailed: async () => {},
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
  /** Refuses when the key has no points left, without consuming. */
  const check = async (l: RateLimiterMemory | RateLimiterRedis, key: string, points: number) => {
    const res = await l.get(key);
    if (res && res.consumedPoints >= points) throw rateLimited(res.msBeforeNext);
  };

  return {
    beforeLogIn: async (username, ip) => {
      await check(loginByName, username, limits.logInFailuresPerUsername);
      await check(loginByIp, ip, limits.logInFailuresPerIp);
    },
    logInFailed: async (username, ip) => {
      await Promise.all([loginByName.penalty(username, 1), loginByIp.penalty(ip, 1)]);
    },
    logInSucceeded: async (username) => void (await loginByName.delete(username)),
    signUp: (ip) => take(signUps, ip),
    send: (userId) => take(sends, userId),
    cheap: (userId) => take(cheap, userId),
  };
}
