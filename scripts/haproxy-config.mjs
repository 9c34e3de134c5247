// The HAProxy configuration parley runs behind: `npm run cluster` (scripts/cluster.mjs) and the failover test write
// it for their local instances; deploy/haproxy.cfg is the same for docker-compose's three replicas.
// - WebSockets and SSE: `timeout tunnel` keeps an upgraded or streaming connection open for an hour.
// - Health: GET /ready every second; three failures in a row (½ s apart) take an instance out (a draining
//   instance answers 503, a crashed one refuses connections), and its tunnels are cut so their clients reconnect
//   to the others.
// - No failed request on a restart: a connection refused or closed without an answer is retried at once on another
//   instance (parley answers every request it has read before it stops: http/drain.ts).
// - X-Request-Id: kept when the client sent one, otherwise a UUID (parley logs it with every line).
// - /metrics is not served through the balancer: Prometheus scrapes each instance (deploy/prometheus.yml).

/**
 * `docker`: server names are resolved by Docker's DNS, at run time (a replica may start after the balancer).
 * @param {{ bind: string, servers: { name: string, address: string }[], maxConnPerServer?: number, stats?: string,
 *   docker?: boolean, maxconn?: number }} o
 * @returns {string}
 */
export function haproxyConfig({ bind, servers, maxConnPerServer = 10_000, stats, docker = false, maxconn = 8000 }) {
  const resolve = docker ? ' resolvers docker init-addr none' : '';
  return `# parley behind HAProxy (written by scripts/haproxy-config.mjs)
global
  # two file descriptors per connection: keep 2 × maxconn under the open-files limit (ulimit -n)
  maxconn ${maxconn}
  log stdout format raw local0 notice

defaults
  mode http
  log global
  option httplog
  option dontlognull
  option forwardfor
  # a refused connection is retried at once on another instance (redispatch on every retry), not after HAProxy's
  # 1 s turn-around on the same one: after a kill -9, until the checks mark it down, leastconn picks the dead
  # instance first (it holds no connections)
  option redispatch 1
  retries 3
  retry-on conn-failure empty-response
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout tunnel 1h
  timeout client-fin 5s
  # a slow /ready (a busy instance) is not a dead one: a crashed instance refuses connections at once, a draining
  # one answers 503 at once. With 3 s, npm run failover (3,000 sockets, load 30 on 2 cores) saw both survivors
  # of a kill -9 miss their checks while taking the victim's sockets, marked down, every socket cut: a cascade.
  timeout check 10s
${docker ? '\nresolvers docker\n  nameserver dns 127.0.0.11:53\n  hold valid 5s\n' : ''}
frontend parley
  bind ${bind}
  unique-id-format %[uuid()]
  http-request set-header X-Request-Id %[unique-id] unless { req.hdr(x-request-id) -m found }
  http-request deny deny_status 404 if { path /metrics }
  default_backend parley
${stats ? `\nlisten stats\n  bind ${stats}\n  stats enable\n  stats uri /\n` : ''}
backend parley
  balance leastconn
  option httpchk GET /ready
  http-check expect status 200
  default-server check inter 1s fastinter 500ms fall 3 rise 2 maxconn ${maxConnPerServer} on-marked-down shutdown-sessions${resolve}
${servers.map((s) => `  server ${s.name} ${s.address}`).join('\n')}
`;
}
