# parley: API + web app in one image. See docker-compose.yml for PostgreSQL and Redis next to it.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CI=true
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
ENV PORT=4000 HOST=0.0.0.0 DATA_DIR=/data
EXPOSE 4000
VOLUME /data
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The built server itself as PID 1 (what `npm start` ends up running once everything is built): it gets
# SIGTERM directly and drains (README, Operations), with no npm processes beside it.
CMD ["node", "api/dist/main.js"]
