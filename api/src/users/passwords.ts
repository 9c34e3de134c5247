// Password hashing with argon2id, at OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB of memory,
// 2 iterations, 1 lane). The argon2 package's own defaults (64 MiB, 3 iterations, 4 lanes) cost about five times as
// much — 1 to 1.3 s a sign-up on a busy two-core machine against 0.2 to 0.3 s (`npm run bench`, "SIGN-UP") — for no
// protection OWASP asks for. Hashes made with other parameters carry them and still verify.
import argon2 from 'argon2';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2_OPTIONS);

// Verifying against a real hash when the user does not exist keeps logIn's timing from revealing usernames.
let dummyHash: Promise<string> | undefined;

/** Made once, on the first log-in of an unknown name (not at start: it would compete with the first sign-ups). */
function prepareDummyHash(): Promise<string> {
  return (dummyHash ??= hashPassword('parley-dummy-password'));
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    await argon2.verify(await prepareDummyHash(), password);
    return false;
  }
  return argon2.verify(hash, password);
}
