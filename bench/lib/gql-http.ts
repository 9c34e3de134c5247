// GraphQL over HTTP with keep-alive connections (node:http; Node 20's fetch costs more per request).
import http from 'node:http';

export type GqlResult<T = any> = {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

export type GqlHttpClient = {
  request<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  close(): void;
};

export function createGqlHttpClient(baseUrl: string, maxSockets = 64): GqlHttpClient {
  const url = new URL('/graphql', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    request: (query, variables, token) =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ query, variables });
        const headers: Record<string, string | number> = {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          'content-length': Buffer.byteLength(body),
        };
        if (token) headers.authorization = `Bearer ${token}`;
        const req = http.request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve({ status: res.statusCode ?? 0, ...JSON.parse(text) });
              } catch {
                resolve({ status: res.statusCode ?? 0, errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] });
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/** GET a path; resolves with the status (0 when the connection failed). */
export function httpStatus(baseUrl: string, path: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(new URL(path, baseUrl), { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export function firstError(result: GqlResult<unknown>): string | undefined {
  if (result.errors?.length) {
    const e = result.errors[0];
    return `${e.extensions?.code ?? 'ERROR'}: ${e.message}`;
  }
  if (result.status !== 200) return `HTTP ${result.status}`;
  return undefined;
}
