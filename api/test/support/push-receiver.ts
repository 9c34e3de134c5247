// A Web Push service on loopback, for tests: it hands out subscriptions (a P-256 key pair and a 16-byte auth secret
// per endpoint, made with node:crypto as a browser makes them) and, for every push a server POSTs, checks what a
// real push service and browser would: the VAPID JWT (RFC 8292: ES256 over the key in `k=`, audience = this origin,
// not expired, a subject), the headers (TTL, Topic, Content-Encoding: aes128gcm), and decrypts the body
// (RFC 8291 / RFC 8188) with the subscription's private key. A push that fails a check is answered 400 and kept in
// `rejected`. Each endpoint answers from a script: a status per request (e.g. 500, 429, then 201), a status with a
// Retry-After header, or `hang` (never answers: the sender is stuck mid-request).
import { createECDH, createDecipheriv, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Subscription = { endpoint: string; p256dh: string; auth: string };

export type Push = {
  endpoint: string;
  /** What the server answered it: 201, a scripted status, or 0 for a hung request. */
  status: number;
  payload: any;
  headers: { ttl: string | undefined; topic: string | undefined; urgency: string | undefined };
  claims: { aud: string; exp: number; sub: string };
  at: number;
};

type Script = (number | 'hang' | { status: number; retryAfter: string })[];

type Endpoint = { ecdh: ReturnType<typeof createECDH>; auth: Buffer; script: Script };

const b64u = (b: Buffer) => b.toString('base64url');

function verifyVapid(header: string | undefined, origin: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [signingInput, signature] = [match[1].split('.').slice(0, 2).join('.'), match[1].split('.')[2]];
  const key = Buffer.from(match[2], 'base64url');
  if (key.length !== 65 || key[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(key.subarray(1, 33)), y: b64u(key.subarray(33)) },
    format: 'jwk',
  });
  const header_ = JSON.parse(Buffer.from(signingInput.split('.')[0], 'base64url').toString());
  if (header_.alg !== 'ES256') throw new Error(`JWT alg ${header_.alg}`);
  const ok = verify(
    'sha256',
    Buffer.from(signingInput),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('VAPID JWT signature does not verify');
  const claims = JSON.parse(Buffer.from(signingInput.split('.')[1], 'base64url').toString());
  if (claims.aud !== origin) throw new Error(`JWT aud ${claims.aud}, expected ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`JWT exp ${claims.exp}`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) throw new Error(`JWT sub ${claims.sub}`);
  return { claims, serverKey: match[2] };
}

/** RFC 8291 (aes128gcm): the body is salt(16) ‖ rs(4) ‖ idlen(1) ‖ keyid (the sender's ephemeral key) ‖ record. */
function decrypt(body: Buffer, sub: Endpoint): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // Padding: the last record ends with 0x02 then zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('record padding delimiter is not 0x02');
  return plain.subarray(0, end).toString('utf8');
}

export type PushReceiver = {
  url: string;
  /** A new subscription (its endpoint answers 201 unless scripted). */
  subscribe(script?: Script): Subscription;
  /** Replaces what an endpoint answers next (a status per request, then 201). */
  script(endpoint: string, script: Script): void;
  /** Accepted (2xx) pushes, in arrival order. */
  accepted: Push[];
  /** Every request that passed the checks, whatever it was answered. */
  received: Push[];
  /** Requests that failed a check, and why. */
  rejected: { endpoint: string; error: string }[];
  /** Waits until `count` pushes were accepted (for an endpoint, when given). */
  waitFor(count: number, opts?: { endpoint?: string; ms?: number }): Promise<Push[]>;
  /** Answers (201) every hung request. */
  release(): void;
  /** With `deferChecks`: verifies and decrypts what arrived so far, into `accepted` (their `at`: the arrival). */
  check(): void;
  /** Requests that arrived (deferred or not). */
  arrivals(): number;
  close(): Promise<void>;
};

/** `deferChecks`: answer 201 at once and keep the raw request; `check()` verifies and decrypts them later (the bench:
 * a real push service runs elsewhere, so its work must not compete with the server's for this machine's CPU). */
export async function startPushReceiver(opts: { deferChecks?: boolean } = {}): Promise<PushReceiver> {
  const endpoints = new Map<string, Endpoint>();
  const accepted: Push[] = [];
  const received: Push[] = [];
  const rejected: { endpoint: string; error: string }[] = [];
  const hung: http.ServerResponse[] = [];
  const waiters = new Set<() => void>();
  const deferred: { url: string; headers: http.IncomingHttpHeaders; body: Buffer; at: number }[] = [];
  let origin = '';

  /** Checks one request: the push it carries, or throws why it is refused. */
  const examine = (url: string, headers: http.IncomingHttpHeaders, body: Buffer, sub: Endpoint, at: number): Push => {
    if (headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
    if (!/^\d+$/.test(String(headers.ttl))) throw new Error('no TTL');
    const { claims } = verifyVapid(headers.authorization, origin);
    return {
      endpoint: origin + url,
      status: 0,
      payload: JSON.parse(decrypt(body, sub)),
      headers: {
        ttl: headers.ttl as string,
        topic: headers.topic as string | undefined,
        urgency: headers.urgency as string | undefined,
      },
      claims,
      at,
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const endpoint = origin + req.url;
      const sub = endpoints.get(endpoint);
      if (!sub || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      if (opts.deferChecks) {
        deferred.push({ url: req.url!, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
        res.writeHead(201).end();
        return;
      }
      let push: Push;
      try {
        push = examine(req.url!, req.headers, Buffer.concat(chunks), sub, Date.now());
      } catch (err) {
        rejected.push({ endpoint, error: (err as Error).message });
        res.writeHead(400).end();
        return;
      }
      const next = sub.script.shift() ?? 201;
      received.push(push);
      if (next === 'hang') {
        hung.push(res);
        return;
      }
      const { status, retryAfter } = typeof next === 'number' ? { status: next, retryAfter: undefined } : next;
      push.status = status;
      if (status >= 200 && status < 300) accepted.push(push);
      res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end();
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    accepted,
    received,
    rejected,
    subscribe(script = []) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${randomBytes(12).toString('hex')}`;
      endpoints.set(endpoint, { ecdh, auth, script: [...script] });
      return { endpoint, p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) };
    },
    script(endpoint, script) {
      endpoints.get(endpoint)!.script = [...script];
    },
    waitFor(count, opts = {}) {
      const matching = () => accepted.filter((p) => !opts.endpoint || p.endpoint === opts.endpoint);
      if (matching().length >= count) return Promise.resolve(matching());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(matching());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const why = rejected.length ? ` (rejected: ${JSON.stringify(rejected)})` : '';
          reject(new Error(`got ${matching().length} of ${count} pushes${why}`));
        }, opts.ms ?? 20_000);
        waiters.add(check);
      });
    },
    check() {
      for (const r of deferred.splice(0)) {
        try {
          const push = examine(r.url, r.headers, r.body, endpoints.get(origin + r.url)!, r.at);
          push.status = 201;
          received.push(push);
          accepted.push(push);
        } catch (err) {
          rejected.push({ endpoint: origin + r.url, error: (err as Error).message });
        }
      }
    },
    arrivals: () => received.length + deferred.length,
    release() {
      for (const res of hung.splice(0)) if (!res.destroyed) res.writeHead(201).end();
    },
    close: async () => {
      for (const res of hung.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
