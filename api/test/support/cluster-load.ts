// What the failover test's processes got of the CPU while a failover ran. On a shared machine the instances and the
// test's own clients can be starved (runnable, not running): then the time to reconnect measures the machine, not
// parley. The test prints this beside its figures.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Starts measuring this process (the clients); `report` takes each instance's CPU seconds (its /metrics'
 * process_cpu_seconds_total) at the start and now. */
export function loadProbe() {
  const began = Date.now();
  const cpu0 = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return {
    report(instances: { before: number; now: number }[]): string {
      const wall = Date.now() - began;
      const cpu = process.cpuUsage(cpu0);
      const ms = (ns: number) => Math.round(ns / 1e6);
      const share = (cpuMs: number) => `${Math.round(cpuMs)} ms (${Math.round((cpuMs / wall) * 100)}% of a core)`;
      return (
        `over ${wall} ms: the test's clients used ${share((cpu.user + cpu.system) / 1000)}, event-loop delay ` +
        `p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms; the ` +
        `instances used ${instances.map((i) => share((i.now - i.before) * 1000)).join(', ')}`
      );
    },
  };
}
