# The image of one Node service (auth, tickets, orders, payments, expiration, live), chosen by
# the SERVICE build argument: one recipe, and still one image per service, each built, tagged
# and deployed on its own. Build context: the repository root (see /.dockerignore):
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=orders -t ticketing/orders .
# Stages: build (compiles @ticketing/common, then @ticketing/$SERVICE); dev (what `skaffold dev`
# runs: the TypeScript sources, synced from the host, restarted by tsx on change); runtime (the
# default: production dependencies and compiled JavaScript only, running as a non-root user).
# The client (Next.js) has its own: client/Dockerfile.
# NODE_IMAGE: the base of every stage, the official image by default; the local builds and tests
# pass a stand-in (infra/images/build.sh: --build-arg NODE_IMAGE=ticketing-local/node:…-standin).
# No `# syntax=` line: the engine's built-in Dockerfile frontend has RUN --mount, and the line
# would make BuildKit pull docker/dockerfile from a registry.
ARG SERVICE
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /app
# Manifests first: the dependency layer stays cached until a package or lock file changes.
COPY package.json package-lock.json .npmrc tsconfig.base.json ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/
# Only the workspaces this image needs, plus the root's build tools (typescript).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --workspace @ticketing/common --workspace @ticketing/${SERVICE} --include-workspace-root
COPY common/ common/
COPY ${SERVICE}/ ${SERVICE}/
RUN npm run build --workspace @ticketing/common && npm run build --workspace @ticketing/${SERVICE}

FROM build AS dev
ARG SERVICE
# Skaffold syncs $SERVICE/src/**/*.ts into /app/$SERVICE/src as the container's user.
RUN chown -R 1000:1000 ${SERVICE}/src
USER 1000:1000
WORKDIR /app/${SERVICE}
EXPOSE 3000
CMD ["../node_modules/.bin/tsx", "watch", "src/index.ts"]

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --workspace @ticketing/common --workspace @ticketing/${SERVICE}
COPY --from=build /app/common/dist common/dist
COPY --from=build /app/${SERVICE}/dist ${SERVICE}/dist
# The image's `node` user, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
WORKDIR /app/${SERVICE}
EXPOSE 3000
CMD ["node", "dist/index.js"]
