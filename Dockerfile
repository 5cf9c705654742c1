# Switchyard team server: the headless engine only (no Electron, no renderer dev tooling).
#   docker build -t switchyard .
#   docker run -p 8317:8317 -v switchyard-data:/data -e SWITCHYARD_MASTER_KEY=... switchyard
# Stage 1 builds the bundles and the native modules; stage 2 carries only what `serve` needs.
FROM node:20-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ libsecret-1-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# keytar links libsecret even when the file/Postgres stores are used.
RUN apt-get update && apt-get install -y --no-install-recommends libsecret-1-0 tini && rm -rf /var/lib/apt/lists/* \
  && useradd --system --uid 10001 --home-dir /data --create-home switchyard
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
ENV NODE_ENV=production SWITCHYARD_HOME=/data
USER switchyard
VOLUME /data
EXPOSE 8317
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8317/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/cli/cli.js", "serve", "--host", "0.0.0.0"]
