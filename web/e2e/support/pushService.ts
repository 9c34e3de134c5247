/**
 * A stand-in for the browser's push service, on loopback (headless Chromium here reaches no push service): it
 * hands the page a subscription (an endpoint on this server, keys this test holds), receives what parley's server
 * sends to that endpoint — the real request, RFC 8291 encrypted, with its VAPID Authorization — and decrypts it, so
 * that the test can deliver the very payload to the service worker (CDP ServiceWorker.deliverPushMessage).
 */
import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload (UTF-8). */
  text: string;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 (aes128gcm, one record) with the user agent's private key and auth secret. */
export function decryptPush(body: Buffer, ua: ReturnType<typeof createECDH>, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = ua.computeSecret(senderPublic);
  const prkKey = hmac(authSecret, shared);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), senderPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('not a last record (no 0x02 delimiter)');
  return padded.subarray(0, end).toString('utf8');
}

export interface PushService {
  /** The subscription the page gets (PushSubscription.toJSON's shape). */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  received: ReceivedPush[];
  /** What arrived that could not be decrypted, or was not for the endpoint. */
  problems: string[];
  stop(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const ua = createECDH('prime256v1');
  ua.generateKeys();
  const authSecret = randomBytes(16);
  const received: ReceivedPush[] = [];
  const problems: string[] = [];
  const path = `/push/${randomBytes(8).toString('hex')}`;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        if (req.method !== 'POST' || req.url !== path) throw new Error(`${req.method} ${req.url}`);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        if (!/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(req.headers.authorization ?? ''))
          throw new Error(`no VAPID authorization: ${req.headers.authorization}`);
        received.push({ path, headers: req.headers, text: decryptPush(Buffer.concat(chunks), ua, authSecret) });
        res.writeHead(201).end();
      } catch (error) {
        problems.push(String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    subscription: {
      endpoint: `http://127.0.0.1:${port}${path}`,
      keys: { p256dh: b64url(ua.getPublicKey()), auth: b64url(authSecret) },
    },
    received,
    problems,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An init script for the page: `pushManager.subscribe` and `getSubscription` answer with `subscription` (as the
 * browser's would, after the same permission check; kept across reloads), and record the key they were asked to subscribe with in
 * `window.__pushSubscribeKeys` (base64url).
 */
export function pushManagerStandIn(subscription: PushService['subscription']) {
  return `(() => { try {
    const sub = ${JSON.stringify(subscription)};
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
    const b64url = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    // Kept across reloads, as the browser keeps a subscription.
    const KEPT = '__pushStandIn';
    window.__pushSubscribeKeys = [];
    const make = (key) => ({
      endpoint: sub.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key },
      getKey: (name) => bytes(name === 'p256dh' ? sub.keys.p256dh : sub.keys.auth),
      toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
      unsubscribe: async () => { localStorage.removeItem(KEPT); current = null; return true; },
    });
    let current = localStorage.getItem(KEPT) ? make(bytes(localStorage.getItem(KEPT))) : null;
    PushManager.prototype.getSubscription = async function () { return current; };
    PushManager.prototype.subscribe = async function (options) {
      if (Notification.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
      const key = options.applicationServerKey instanceof ArrayBuffer ? options.applicationServerKey : options.applicationServerKey.buffer.slice(options.applicationServerKey.byteOffset, options.applicationServerKey.byteOffset + options.applicationServerKey.byteLength);
      window.__pushSubscribeKeys.push(b64url(key));
      current = make(key);
      localStorage.setItem(KEPT, b64url(key));
      return current;
    };
  } catch { /* a page without storage (about:blank) */ } })();`;
}
