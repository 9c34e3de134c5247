// Configuration from the environment, validated once at start-up (see the README's configuration table).
import path from 'node:path';
import { z } from 'zod';
import { ROOT_DIR } from './paths.ts';

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
  };
}
