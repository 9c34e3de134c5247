// The VAPID key pair (RFC 8292) that signs every push request: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY when set;
// otherwise a pair generated on first start and kept in DATA_DIR/vapid.json (like the JWT secret). Browsers bind a
// subscription to the public key: a new key means every browser must subscribe again, so keep it.
import { createECDH } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type VapidKeys = { publicKey: string; privateKey: string };

function generate(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const secret = ecdh.getPrivateKey(); // may come shorter than 32 bytes: left-pad with zeros
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: Buffer.concat([Buffer.alloc(32 - secret.length), secret]).toString('base64url'),
  };
}

function parse(text: string | null): VapidKeys | null {
  try {
    const keys = JSON.parse(text ?? '') as Partial<VapidKeys>;
    return typeof keys.publicKey === 'string' && typeof keys.privateKey === 'string'
      ? { publicKey: keys.publicKey, privateKey: keys.privateKey }
      : null;
  } catch {
    return null;
  }
}

/** The configured pair, or the one in `dataDir/vapid.json` (created on first use; the first process to write wins). */
export async function loadVapidKeys(configured: VapidKeys | null, dataDir: string): Promise<VapidKeys> {
  if (configured) return configured;
  const file = path.join(dataDir, 'vapid.json');
  const existing = parse(await readFile(file, 'utf8').catch(() => null));
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(generate()) + '\n', { mode: 0o600, flag: 'wx' }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
  const stored = parse(await readFile(file, 'utf8'));
  if (!stored) throw new Error(`${file} does not hold a VAPID key pair: delete it (browsers then subscribe again)`);
  return stored;
}
