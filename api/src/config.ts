// Configuration from the environment, validated once at start-up (see docs/operations.md's configuration table).
// The bottom of the layers (CONTRIBUTING.md): it imports nothing else of parley, so every module may read it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository (as paths.ts computes it: src/ and the bundle's dist/ sit at the same depth). */
const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** What throttle.ts enforces: see docs/operations.md's configuration table. */
export type ThrottleLimits = {
  /** Failed log-ins per username, and per client IP, in 15 minutes. */
  logInFailuresPerUsername: number;
  logInFailuresPerIp: number;
  /** Sign-ups per client IP per hour. */
  signUpsPerIp: number;
  /** Sends per user: a steady rate per second, and a burst allowance over 10 s. */
  sendsPerSecond: number;
  sendBurst: number;
  /** Cheap mutations (markRead, setTyping, edits, deletions, reactions) per user per second. */
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

/** TRUSTED_DOCUMENTS: `only` runs nothing but the trusted documents (http/trusted-documents.ts). */
export type TrustedDocumentsMode = 'off' | 'only';

const commaList = (value: string) => value.split(',').flatMap((item) => item.trim() || []);
/** `scheme://host[:port]` and nothing else (what a browser sends in Origin). */
const origin = z.string().refine((value) => URL.canParse(value) && new URL(value).origin === value, {
  message: 'CORS_ORIGINS lists origins like https://app.example.com, comma-separated',
});

const DURATION_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** `30s`, `15m`, `1h`, `1d`, in milliseconds. */
const duration = (name: string) =>
  z
    .string()
    .regex(/^\d+[smhd]$/, `${name} looks like 30s, 15m, 1h or 1d`)
    .transform((v) => Number(v.slice(0, -1)) * DURATION_MS[v.slice(-1) as keyof typeof DURATION_MS]);

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
  EDIT_WINDOW: z
    .string()
    .regex(/^(0|\d+[smhdw])$/, 'EDIT_WINDOW looks like 48h, 15m or 0 (no limit)')
    .default('48h'),
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
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(25 * 1024 * 1024),
  UPLOAD_BYTES_PER_DAY: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024 * 1024 * 1024),
  ATTACHMENT_URL_TTL: duration('ATTACHMENT_URL_TTL').default(DURATION_MS.h),
  /** How long an upload may stay unattached before the sweep deletes it, and how often the sweep runs. */
  UPLOAD_ORPHAN_TTL: duration('UPLOAD_ORPHAN_TTL').default(24 * DURATION_MS.h),
  UPLOAD_SWEEP_INTERVAL: duration('UPLOAD_SWEEP_INTERVAL').default(10 * DURATION_MS.m),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  /** Messages older than this many days are deleted by a periodic sweep (unset: kept forever). */
  MESSAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  RETENTION_SWEEP_INTERVAL: duration('RETENTION_SWEEP_INTERVAL').default(DURATION_MS.h),
  SEARCH_VOCABULARY_PRUNE_INTERVAL: duration('SEARCH_VOCABULARY_PRUNE_INTERVAL').default(24 * DURATION_MS.h),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PUSH: z.enum(['on', 'off']).default('on'),
  PUSH_PREVIEW: z.enum(['on', 'off']).default('on'),
  PUSH_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(50),
  PUSH_WORKER_TIMEOUT: duration('PUSH_WORKER_TIMEOUT').default(30 * DURATION_MS.s),
  PUSH_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'VAPID_PUBLIC_KEY is a P-256 public key: 65 bytes, base64url (87 characters)')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'VAPID_PRIVATE_KEY is a P-256 private key: 32 bytes, base64url (43 characters)')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .refine((v) => /^mailto:.+@.+/.test(v) || (URL.canParse(v) && new URL(v).protocol === 'https:'), {
      message: 'VAPID_SUBJECT is a mailto: or https: URL (how a push service can reach you)',
    })
    .optional(),
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
  /** How long after sending a message can be edited, in seconds (0: no limit). */
  editWindowSeconds: number;
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
  attachments: AttachmentsConfig;
  /** /metrics: the bearer token it answers on the main port (unset: off there), and an internal port of its own. */
  metrics: { token?: string; port?: number };
  /** MESSAGE_RETENTION_DAYS (null: keep forever) and how often the sweep runs (chat/retention.ts). */
  retention: { days: number | null; intervalMs: number };
  /** How often the words no message holds any more leave search's vocabulary (search/vocabulary-prune.ts). */
  vocabularyPruneIntervalMs: number;
  push: PushConfig;
};

/** Web Push (docs/operations.md "Web Push"). */
export type PushConfig = {
  /** PUSH=off: no key, no queue, pushPublicKey is null. */
  enabled: boolean;
  /** PUSH_PREVIEW=off: "New message from <name>" instead of the text. */
  preview: boolean;
  /** VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (both or neither); unset: a pair kept in DATA_DIR/vapid.json. */
  vapid: { publicKey: string; privateKey: string } | null;
  /** VAPID_SUBJECT; unset: a placeholder (push services may refuse it: set it in production). */
  subject?: string;
  /** Pushes sent at once by this instance's workers. */
  concurrency: number;
  /** A worker not seen for this long is dead: another instance unlocks its jobs (ms). */
  workerTimeoutMs: number;
  /** PUSH_WORKER_NICE: how much lower the push worker process's CPU priority is than the instance's (0–19). */
  workerNice: number;
};

/** Attachments: limits, and where the bytes live (S3 when S3_BUCKET is set, else DATA_DIR/uploads). */
export type AttachmentsConfig = {
  maxUploadBytes: number;
  uploadBytesPerDay: number;
  urlTtlMs: number;
  orphanTtlMs: number;
  sweepIntervalMs: number;
  s3: S3Config | null;
};

export type S3Config = {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
};

/** What one client may hold of a server: see docs/operations.md's configuration table. */
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

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as const;
/** "48h" → 172800; "0" → 0. */
const durationSeconds = (value: string) =>
  value === '0' ? 0 : Number(value.slice(0, -1)) * UNIT_SECONDS[value.at(-1) as keyof typeof UNIT_SECONDS];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  if (!e.VAPID_PUBLIC_KEY !== !e.VAPID_PRIVATE_KEY) {
    throw new Error('Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set together (or neither)');
  }
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
    editWindowSeconds: durationSeconds(e.EDIT_WINDOW),
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
      manifests: [
        path.join(ROOT_DIR, 'web/src/gql/persisted-documents.json'),
        ...e.TRUSTED_DOCUMENTS_MANIFESTS.map(fromUserCwd),
      ],
    },
    attachments: {
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      uploadBytesPerDay: e.UPLOAD_BYTES_PER_DAY,
      urlTtlMs: e.ATTACHMENT_URL_TTL,
      orphanTtlMs: e.UPLOAD_ORPHAN_TTL,
      sweepIntervalMs: e.UPLOAD_SWEEP_INTERVAL,
      s3: e.S3_BUCKET
        ? {
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
          }
        : null,
    },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    push: {
      enabled: e.PUSH === 'on',
      preview: e.PUSH_PREVIEW === 'on',
      vapid:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : null,
      subject: e.VAPID_SUBJECT,
      concurrency: e.PUSH_CONCURRENCY,
      workerTimeoutMs: e.PUSH_WORKER_TIMEOUT,
      workerNice: e.PUSH_WORKER_NICE,
    },
    retention: { days: e.MESSAGE_RETENTION_DAYS ?? null, intervalMs: e.RETENTION_SWEEP_INTERVAL },
    vocabularyPruneIntervalMs: e.SEARCH_VOCABULARY_PRUNE_INTERVAL,
  };
}
