# copycat container image: ghcr.io/copycat-dev/copycat (docs/adr/0005-container-image.md says why it looks like this).
#
#   docker build -t ghcr.io/copycat-dev/copycat:0.1.0 .
#
# test/container-image.test.ts lints this file, checks its policy (non-root, exec-form entrypoint, no dev
# dependencies, Node major = the project's) and replays both stages without a container engine. Keep every RUN
# relative to WORKDIR and every instruction to the few kinds that replay understands, or extend it with the change.

# The build stage's Node is the version the project develops and tests on (the `node` devDependency).
ARG NODE_VERSION=24.21.0
# Override with a digest (`--build-arg RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot@sha256:…`) to make a
# release reproducible; the tag follows the latest Node 24 patch release with Debian's security updates.
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so a source change reuses the installed tree. --ignore-scripts: no production dependency has
# an install script; the only one in the lockfile is the `node` devDependency's, which would download a second Node
# binary the build does not need.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc -> dist/, then drop every devDependency (typescript, @types/*, the `node` package, test tools) from node_modules.
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Distroless: glibc, CA certificates, /tmp, the nonroot user (65532) and Node at /nodejs/bin/node; no shell, no npm.
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="copycat" \
      org.opencontainers.image.description="Keeps a digest-exact insurance copy of every container image a Kubernetes cluster runs, in a registry you control." \
      org.opencontainers.image.source="https://github.com/copycat-dev/copycat" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
# Owned by root and not writable by the runtime user: the application cannot modify itself even when the root
# filesystem is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 65532:65532
# 8080: /metrics, /status and the admin endpoints; 8081: /healthz and /readyz (controller defaults).
EXPOSE 8080 8081
# No HEALTHCHECK: Kubernetes ignores it and probes /healthz and /readyz itself, the image has no shell or curl, and
# the same image runs one-shot commands (copy, sync, verify) that serve no health endpoint.
#
# Exec form, Node as PID 1 with no shell or init in between: the controller handles SIGTERM and SIGINT itself (graceful
# shutdown, Lease released). --max-semi-space-size=1 is bin/copycat's flag (lower peak RSS while streaming blobs);
# the launcher's other jobs (finding Node 24, the compile cache) do not apply here, so it is not used.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=1", "/app/dist/cli/main.js"]
CMD ["controller"]
