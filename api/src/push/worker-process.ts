// The instance's side of its push worker process (worker-main.ts): forks it, hands it its settings, waits until its
// queue runs (the trigger that enqueues pushes is installed by then), passes on "a message was stored", and forks it
// again if it dies. Pushes are the one piece of parley's work that nobody waits on; in a process of their own, at a
// lower priority, they never hold up a request's event loop and yield the CPU to requests (docs/operations.md
// "Web Push").
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import type { PushQueue } from './queue.ts';
import type { ToParent, ToWorker, WorkerOptions } from './worker-messages.ts';

const CLOSE_TIMEOUT_MS = 15_000;
const RESTART_MS = [1_000, 5_000, 30_000];
/** A worker that ran this long before it died starts the backoff over. */
const STABLE_MS = 60_000;

/** From the build (dist/push-worker.js, beside the chunk holding this code) or, run from source (tests, `npm run
 * dev`), the TypeScript file through tsx. */
function entry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: join(dirname(here), 'worker-main.ts'), execArgv: ['--import', 'tsx'] };
  // The instance's Node flags (--cpu-prof profiles both), but not its debugger's port.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
  return { file: join(dirname(here), 'push-worker.js'), execArgv };
}

/** Forks the worker and resolves once its queue runs; rejects with the worker's reason if it cannot start. */
function spawnWorker(options: WorkerOptions): Promise<ChildProcess> {
  const { file, execArgv } = entry();
  const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the push worker exited with ${code} while starting`));
    child.once('exit', onExit);
    child.once('error', reject); // it could not be forked
    child.on('message', (message: ToParent) => {
      if (message.type === 'ready') {
        child.off('exit', onExit);
        resolve(child);
      } else if (message.type === 'failed') {
        child.off('exit', onExit);
        reject(new Error(`the push worker could not start: ${message.message}`));
      }
    });
    child.send({ type: 'start', options } satisfies ToWorker);
  });
}

export async function startPushWorkerProcess(options: WorkerOptions, log: Logger): Promise<PushQueue> {
  let child: ChildProcess | null = await spawnWorker(options);
  let closing = false;
  let restarts = 0;
  let startedAt = Date.now();
  let restartTimer: NodeJS.Timeout | undefined;
  const tell = (message: ToWorker) => {
    if (child?.connected) child.send(message);
  };

  const watch = (c: ChildProcess) => {
    // A message that could not be sent (the worker just died): its exit is handled below.
    c.on('error', (err) => log.debug({ err }, 'push worker process: IPC error'));
    c.once('exit', (code, signal) => {
      if (closing) return;
      child = null;
      if (Date.now() - startedAt > STABLE_MS) restarts = 0;
      const wait = RESTART_MS[Math.min(restarts++, RESTART_MS.length - 1)];
      log.error({ code, signal, restartInMs: wait }, 'the push worker process exited: starting another');
      const again = () => {
        restartTimer = undefined;
        if (closing) return;
        spawnWorker(options).then(
          (next) => {
            if (closing) return void next.kill('SIGKILL');
            child = next;
            startedAt = Date.now();
            watch(next);
          },
          (err: unknown) => {
            log.error({ err }, 'the push worker process did not start again');
            restartTimer = setTimeout(again, RESTART_MS.at(-1));
          },
        );
      };
      restartTimer = setTimeout(again, wait);
    });
  };
  watch(child);

  // Coalesced: one message per turn of the event loop, however many sends committed in it.
  let poked = false;
  return {
    messageStored: () => {
      if (poked) return;
      poked = true;
      setImmediate(() => {
        poked = false;
        tell({ type: 'poke' });
      });
    },
    close: async () => {
      closing = true;
      clearTimeout(restartTimer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      const force = setTimeout(() => c.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      tell({ type: 'close' });
      await exited;
      clearTimeout(force);
    },
  };
}
