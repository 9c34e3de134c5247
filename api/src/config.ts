// Configuration from the environment, validated once at start-up (see the README's configuration table).
import path from 'node:path';
import { z } from 'zod';
import type { TrustedDocumentsMode } from './http/trusted-documents.ts';
import { ROOT_DIR, WEB_TRUSTED_DOCUMENTS } from './paths.ts';
import { DEFAULT_LIMITS, type ThrottleLimits } from './throttle.ts';

const commaList = (value: string) => value.split(',').flatMap((item) => item.trim() || []);
/** `scheme://host[:port]` and nothing else (what a browser sends in Origin). */
const origin = z.string().refine((value) => URL.canParse(value) && new URL(value).origin === value, {
  message: 'CORS_ORIGINS lists origins like https://app.example.com, comma-separated',
});

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  JWT_TTL: z
    .string()
    .regex(/^\d+[smhdw]$/, 'JWT_TTL looks like 30d, 12h or 900s')
    .default('30d'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().optional(),
  WEB_DIST: z.string().optional(),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  LOGIN_FAILURES_PER_USERNAME: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.logInFailuresPerUsername),
  LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.logInFailuresPerIp),
  SIGNUPS_PER_IP: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.signUpsPerIp),
  SENDS_PER_SECOND: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.sendsPerSecond),
  SEND_BURST: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.sendBurst),
  CHEAP_MUTATIONS_PER_SECOND: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.cheapPerSecond),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  WS_MAX_PAYLOAD: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(50),
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(20),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(100 * 1024),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  CORS_ORIGINS: z.string().transform(commaList).pipe(z.array(origin)).default([]),
  INTROSPECTION: z.enum(['on', 'off']).default('on'),
  TRUSTED_DOCUMENTS: z.enum(['off', 'only']).default('off'),
  TRUSTED_DOCUMENTS_MANIFESTS: z.string().transform(commaList).default([]),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  jwtSecret?: string;
  jwtTtl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  redisUrl?: string;
  webDist: string;
  /** Null: throttling off (RATE_LIMITS=off). */
  limits: ThrottleLimits | null;
  /** Read the client's address from X-Forwarded-For (behind a proxy you trust) instead of the socket. */
  trustProxy: boolean;
  http: HttpLimits;
  /** Other origins whose pages may call the API (CORS, without credentials); empty: same origin only. */
  corsOrigins: string[];
  /** Schema introspection (and field suggestions) allowed: INTROSPECTION=on. */
  introspection: boolean;
  /** TRUSTED_DOCUMENTS, and the manifests to trust: the web app's, then TRUSTED_DOCUMENTS_MANIFESTS. */
  trustedDocuments: { mode: TrustedDocumentsMode; manifests: string[] };
};

/** What one client may hold of a server: see the README's configuration table. */
export type HttpLimits = {
  wsMaxPayload: number;
  maxSubscriptionsPerSocket: number;
  maxSocketsPerUser: number;
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
};

// `npm start -w api` runs with api/ as the working directory; relative paths are meant from where the user typed.
const fromUserCwd = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR ? fromUserCwd(e.DATA_DIR) : path.join(ROOT_DIR, '.data'),
    jwtSecret: e.JWT_SECRET,
    jwtTtl: e.JWT_TTL,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    webDist: e.WEB_DIST ? fromUserCwd(e.WEB_DIST) : path.join(ROOT_DIR, 'web', 'dist'),
    limits:
      e.RATE_LIMITS === 'off'
        ? null
        : {
            logInFailuresPerUsername: e.LOGIN_FAILURES_PER_USERNAME,
            logInFailuresPerIp: e.LOGIN_FAILURES_PER_IP,
            signUpsPerIp: e.SIGNUPS_PER_IP,
            sendsPerSecond: e.SENDS_PER_SECOND,
            sendBurst: e.SEND_BURST,
            cheapPerSecond: e.CHEAP_MUTATIONS_PER_SECOND,
          },
    trustProxy: e.TRUST_PROXY === 'true',
    http: {
      wsMaxPayload: e.WS_MAX_PAYLOAD,
      maxSubscriptionsPerSocket: e.MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
      maxBodyBytes: e.MAX_BODY_BYTES,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    corsOrigins: e.CORS_ORIGINS,
    introspection: e.INTROSPECTION === 'on',
    trustedDocuments: {
      mode: e.TRUSTED_DOCUMENTS,
      manifests: [WEB_TRUSTED_DOCUMENTS, ...e.TRUSTED_DOCUMENTS_MANIFESTS.map(fromUserCwd)],
    },
  };
}
