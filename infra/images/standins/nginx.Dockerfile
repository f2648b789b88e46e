# Stand-in for the official nginx image as compose's edge (compose.yaml's EDGE_IMAGE): Debian bookworm's nginx-light (the
# package `npm start`'s edge runs) on the Debian minbase stand-in, as user nginx 101:101 (the
# official image's uid). Not the official image: no entrypoint scripts, no default site.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN groupadd --system --gid 101 nginx && useradd --system --uid 101 --gid nginx --home-dir /nonexistent --no-create-home nginx \
    && apt-get update && apt-get install -y --no-install-recommends nginx-light \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /etc/nginx/sites-enabled/*
USER 101:101
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
