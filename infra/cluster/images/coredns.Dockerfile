# CoreDNS built from its Go module (build.sh), static: the cluster's DNS.
FROM scratch
COPY coredns /coredns
ENTRYPOINT ["/coredns"]
