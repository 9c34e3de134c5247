// The process's Prometheus metrics (prom-client): one registry, the series parley exports, and the sources read at
// scrape time (pools, sockets). Updating a series is a label lookup and an add: nothing here queries the database.
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'parley_' });

export const operations = new Counter({
  name: 'parley_graphql_operations_total',
  help: 'GraphQL operations (queries and mutations) finished, by operation name, type and outcome code (OK or the first error code).',
  labelNames: ['operation', 'type', 'code'] as const,
  registers: [registry],
});

export const operationSeconds = new Histogram({
  name: 'parley_graphql_operation_duration_seconds',
  help: 'Time to execute a GraphQL query or mutation, by operation name and type.',
  labelNames: ['operation', 'type'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const throttled = new Counter({
  name: 'parley_throttled_requests_total',
  help: 'Operations refused with RATE_LIMITED, by operation name.',
  labelNames: ['operation'] as const,
  registers: [registry],
});

export const activeSubscriptions = new Gauge({
  name: 'parley_active_subscriptions',
  help: 'Subscriptions running on this instance, by root field.',
  labelNames: ['field'] as const,
  registers: [registry],
});

export const subscriptionEvents = new Counter({
  name: 'parley_subscription_events_total',
  help: 'Events sent to subscribers, by root field.',
  labelNames: ['field'] as const,
  registers: [registry],
});

export const messagesStored = new Counter({
  name: 'parley_messages_stored_total',
  help: 'Messages sent through this instance and acknowledged (sendMessage answered without error).',
  registers: [registry],
});

export const messagesDelivered = new Counter({
  name: 'parley_messages_delivered_total',
  help: 'messageAdded events delivered to subscribers on this instance.',
  registers: [registry],
});

export const deliveryLag = new Histogram({
  name: 'parley_message_delivery_lag_seconds',
  help: 'From a message being stored (its createdAt) to its event reaching this instance over the event bus.',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const eventBusReconnects = new Counter({
  name: 'parley_event_bus_reconnects_total',
  help: 'Redis connections of the event bus re-established after a loss, by client (publish, subscribe).',
  labelNames: ['client'] as const,
  registers: [registry],
});

export const openSockets = new Gauge({
  name: 'parley_websockets_open',
  help: 'graphql-ws WebSockets open on this instance.',
  registers: [registry],
});

export const openStreams = new Gauge({
  name: 'parley_sse_streams_open',
  help: 'Server-sent event streams (subscriptions over HTTP) open on this instance.',
  registers: [registry],
});

/** The pg pools open in this process (one per running app), read at scrape time. */
const pools = new Set<pg.Pool>();

/** Counts `pool` in the pool gauges until the returned function is called. */
export function trackPool(pool: pg.Pool): () => void {
  pools.add(pool);
  return () => void pools.delete(pool);
}

const sumOver = (read: (pool: pg.Pool) => number) => [...pools].reduce((sum, pool) => sum + read(pool), 0);

new Gauge({
  name: 'parley_db_pool_connections_in_use',
  help: 'PostgreSQL connections checked out of the pool.',
  registers: [registry],
  collect() {
    this.set(sumOver((p) => p.totalCount - p.idleCount));
  },
});
new Gauge({
  name: 'parley_db_pool_connections_open',
  help: 'PostgreSQL connections open in the pool (in use and idle).',
  registers: [registry],
  collect() {
    this.set(sumOver((p) => p.totalCount));
  },
});
new Gauge({
  name: 'parley_db_pool_waiting',
  help: 'Queries waiting for a PostgreSQL connection from the pool.',
  registers: [registry],
  collect() {
    this.set(sumOver((p) => p.waitingCount));
  },
});
