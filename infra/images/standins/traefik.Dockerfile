# Stand-in for the official traefik image: Traefik built from the Go module proxy by
# infra/cluster/install-traefik.sh (no web UI assets: no dashboard) on the Debian minbase
# stand-in, as uid/gid 65532. Arguments are Traefik's (`--entryPoints.web.address=:80 …`), as
# the official image takes them. Ports below 1024 need the pod's (container's) sysctl
# net.ipv4.ip_unprivileged_port_start=0 (components/gateway-traefik sets it). Context: prepared
# by infra/images/build.sh.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN groupadd --gid 65532 traefik && useradd --uid 65532 --gid traefik --home-dir /nonexistent --no-create-home traefik
COPY traefik /usr/local/bin/traefik
USER 65532:65532
EXPOSE 80 443 8080
ENTRYPOINT ["traefik"]
