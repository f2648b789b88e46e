# Stand-in for the official redis image: Debian bookworm's redis-server (the same package the
# tests run) on the Debian minbase stand-in, as the redis user with uid/gid 999 (the manifests'
# runAsUser). Arguments are the command, as in the official image: `redis-server …`.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# The user first, so that the package's postinst keeps its uid.
RUN groupadd --system --gid 999 redis && useradd --system --uid 999 --gid redis --home-dir /data --no-create-home redis \
    && apt-get update && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
    && mkdir -p /data && chown redis:redis /data
USER 999:999
WORKDIR /data
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--dir", "/data"]
