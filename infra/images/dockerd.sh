#!/usr/bin/env bash
# The Docker engine the image builds need: Debian's docker.io (dockerd, containerd, runc),
# started as a plain process when no engine answers (these machines run no systemd).
#   dockerd.sh start    install docker.io if missing (root), start dockerd unless one answers
#   dockerd.sh stop     stop the dockerd that `start` started (never one it did not)
#   dockerd.sh status
# dockerd itself sets net.ipv4.ip_forward=1 and the iptables FORWARD policy to DROP, and adds
# its DOCKER chains; `stop` leaves those as dockerd leaves them.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidfile=/run/ticketing-dockerd.pid
log="$cache/dockerd.log"
answers() { "$DOCKER" info >/dev/null 2>&1; }

case "${1:-status}" in
  start)
    if answers; then say "a Docker engine answers ($("$DOCKER" version --format '{{.Server.Version}}'))"; exit 0; fi
    [ "$(id -u)" -eq 0 ] || { say "no Docker engine answers, and starting one needs root"; exit 1; }
    if ! command -v dockerd >/dev/null; then
      say "installing docker.io (Debian)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
      DOCKER="$(docker_client)"
    fi
    mkdir -p "$(dirname "$log")"
    # cgroupfs: no systemd here to be the cgroup driver (cgroup v1 on these machines).
    setsid dockerd --exec-opt native.cgroupdriver=cgroupfs >>"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do
      if answers; then say "dockerd $("$DOCKER" version --format '{{.Server.Version}}') started (pid $(cat "$pidfile"), log $log)"; exit 0; fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then tail -n 20 "$log" >&2; rm -f "$pidfile"; say "dockerd exited"; exit 1; fi
      sleep 0.5
    done
    tail -n 20 "$log" >&2; say "dockerd did not answer within 60 s"; exit 1
    ;;
  stop)
    if [ ! -f "$pidfile" ]; then say "no dockerd started by dockerd.sh"; exit 0; fi
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pidfile"
    say "dockerd (pid $pid) stopped"
    ;;
  status)
    if answers; then say "Docker engine $("$DOCKER" version --format '{{.Server.Version}}') answers (client $DOCKER)"; else say "no Docker engine answers"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
