# Stand-in for the official nats image: the nats-server that the tests run (built from the Go
# module proxy by infra/scripts/install-nats-server.sh) on the Debian minbase stand-in, as uid
# 1000 (the manifests' runAsUser). Like the official image's entrypoint, arguments are
# nats-server's: `-c FILE -js …`. Context: prepared by infra/images/build.sh.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN groupadd --gid 1000 nats && useradd --uid 1000 --gid nats --home-dir /data --no-create-home nats \
    && mkdir /data && chown nats:nats /data
COPY nats-server /usr/local/bin/nats-server
USER 1000:1000
EXPOSE 4222 6222 8222
ENTRYPOINT ["nats-server"]
CMD ["-js", "-sd", "/data", "-m", "8222"]
