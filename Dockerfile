# evidock daemon image. Used by docker-compose.yml; configure it with EVIDOCK_* environment variables.
# Two stages: `build` compiles the TypeScript sources with every dependency installed; the runtime stage
# holds only production dependencies and what the compiled daemon loads. test/unit/production-build.test.ts
# assembles a folder from exactly the runtime stage's COPY lines and starts the CLI from it (there is no
# Docker engine on the build machine), so a file the daemon needs and this stage forgets fails a test.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN npm run build
# Production dependencies only, in their own folder the runtime stage copies whole.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
# ffmpeg brings ffprobe as well (capture times, proxies, thumbnails).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Only what the daemon runs: no sources, tests or TypeScript tooling end up in the image.
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
COPY web ./web

ENV NODE_ENV=production \
    EVIDOCK_DATA_DIR=/data \
    EVIDOCK_DOCK_PATHS=/dock \
    EVIDOCK_API_HOST=0.0.0.0 \
    EVIDOCK_API_PORT=8640
# The node image's unprivileged user; the data folder is created for it so the named volume inherits it.
RUN mkdir -p /data /dock && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8640

# /readyz answers 200 when Redis, PostgreSQL and MinIO answer and migrations are current: one plain node
# process with fetch (~40 MB, well under a second), no TypeScript compiler.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8640/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/cli/main.js", "start"]
