# parley: API + web app in one image, built in three stages. The runtime stage holds the built server (api/dist), the
# built web app, the migrations and the production dependencies only: no sources, no dev dependencies, no compiler.
# It runs as the unprivileged `node` user. docker-compose.yml runs three of it behind HAProxy.

# ── build: everything, to build the web app and bundle the API
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true
# Dependencies first (cached while only sources change). postinstall generates the Prisma client from prisma/.
COPY package.json package-lock.json prisma.config.ts ./
COPY api/package.json api/
COPY web/package.json web/
COPY prisma prisma
COPY scripts scripts
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
# Builds the web app and the API (api/dist: an esbuild bundle, plain JavaScript, what runs).
RUN npm run build

# ── deps: the API's production dependencies (what api/dist loads from node_modules at run time). Install scripts
# are skipped: argon2 loads its prebuilt binary, and the Prisma client is already bundled into api/dist.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --omit=dev --workspace api --include-workspace-root --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

# ── runtime
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/ ./
COPY --from=build /app/api/dist api/dist
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/web/src/gql/persisted-documents.json web/src/gql/persisted-documents.json
COPY --from=build /app/prisma prisma
RUN mkdir -p /data && chown node:node /data
USER node
ENV PORT=4000 HOST=0.0.0.0 DATA_DIR=/data
EXPOSE 4000
VOLUME /data
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The built server itself as PID 1 (what `npm start` ends up running once everything is built): it gets
# SIGTERM directly and drains (docs/operations.md), with no npm processes beside it.
CMD ["node", "api/dist/main.js"]
