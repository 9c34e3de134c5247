// A pid file that keeps two processes off one embedded database directory. A lock left by a process that is
// gone (crash, kill -9, container restart) is taken over.
import { open, readFile, rm } from 'node:fs/promises';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LockedError extends Error {}

/** Takes the lock or throws LockedError; resolves to a function that releases it. */
export async function acquireProcessLock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        const owner = Number(await readFile(file, 'utf8').catch(() => ''));
        if (owner === process.pid) await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (alive(owner)) throw new LockedError(`locked by process ${owner}`);
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  // Another process took it over between our two attempts: it is alive, so the directory is in use.
  throw new LockedError('the lock was taken by another process while it was being acquired');
}
