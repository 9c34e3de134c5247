// What the instance and its push worker process say to each other (worker-process.ts ↔ worker-main.ts), over
// Node's IPC channel.
import type { VapidKeys } from './vapid.ts';

export type WorkerOptions = {
  databaseUrl: string;
  vapid: VapidKeys;
  subject: string;
  preview: boolean;
  concurrency: number;
  workerTimeoutMs: number;
  logLevel: string;
  /** Added to the instance's nice value (0–19): how far the pushes yield the CPU to requests. */
  nice: number;
};

export type ToWorker =
  | { type: 'start'; options: WorkerOptions }
  /** A message with pushes was stored: run the relay soon. */
  | { type: 'poke' }
  /** Stop taking jobs, finish the ones in flight, exit. */
  | { type: 'close' };

export type ToParent = { type: 'ready' } | { type: 'failed'; message: string };
