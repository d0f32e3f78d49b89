# evidock daemon image. Used by docker-compose.yml; configure it with EVIDOCK_* environment variables.
FROM node:24-bookworm-slim

# ffmpeg brings ffprobe as well (capture times now; proxies and thumbnails later).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. tsx runs the TypeScript sources
# directly, so dev dependencies are installed too (npm ci installs them unless NODE_ENV=production).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

# Only what the daemon runs: no host node_modules, data or test folders end up in the image.
COPY tsconfig.json ./
COPY src ./src

ENV EVIDOCK_DATA_DIR=/data \
    EVIDOCK_DOCK_PATHS=/dock
VOLUME ["/data"]

CMD ["npx", "tsx", "src/cli/main.ts", "start"]
