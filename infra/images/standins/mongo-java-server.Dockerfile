# The MongoDB stand-in as an image (no mongod can be had here): the project's mongo-java-server
# jar (infra/mongo-java-server, built by infra/scripts/install-mongo-java-server.sh) on Debian's
# headless JRE, as uid/gid 999 (the manifests' runAsUser), listening on 0.0.0.0:27017 with its
# data in /data/db. Not a drop-in for the mongo image: no mongosh, no auth, no init scripts.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# The JRE's postinst links its man page into /usr/share/man/man1, which the slim base leaves out.
RUN mkdir -p /usr/share/man/man1 \
    && groupadd --system --gid 999 mongodb && useradd --system --uid 999 --gid mongodb --home-dir /data/db --no-create-home mongodb \
    && apt-get update && apt-get install -y --no-install-recommends default-jre-headless \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
    && mkdir -p /data/db && chown mongodb:mongodb /data/db
COPY mongo-java-server.jar /opt/mongo-java-server/mongo-java-server.jar
ENV MONGO_HOST=0.0.0.0
USER 999:999
EXPOSE 27017
# No hsperfdata file in /tmp: the root file system may be read-only.
ENTRYPOINT ["java", "-XX:-UsePerfData", "-jar", "/opt/mongo-java-server/mongo-java-server.jar"]
CMD ["--port", "27017", "--data-dir", "/data/db"]
