#!/bin/bash
# Refuses an edge whose ports overlap: each SIP port (UDP/TCP, TLS, WSS), rtpengine's control port and its media
# range against each other, and against the ports of a node on the same host (its SIP ports, its RTP range, the
# panel's HTTP port) when /etc/tandem/node.yml is there. An overlap otherwise fails later and obscurely: rtpengine and
# Kamailio both bind with SO_REUSEADDR, so rtpengine may open a media port on the edge's own SIP port and from then on
# that socket gets the SIP (issue 17's stall); a node on the same port as the edge takes half its traffic.
# The one place that knows the rule: the tandem-edge package's postinst (before it enables anything) and its unit
# (ExecStartPre, after an edit of edge.conf) run it on the files, "./tandem edge" on its flags.
#
# Usage: check-ports.sh [--edge-config FILE] [--node-config FILE] [NAME=PORT | NAME=MIN-MAX]...
#   --edge-config  edge.conf (NAME=value lines, as systemd's EnvironmentFile reads them): EDGE_SIP_PORT,
#                  EDGE_TLS_PORT, EDGE_WSS_PORT, EDGE_NG_PORT and EDGE_RTP_PORT_MIN-EDGE_RTP_PORT_MAX, with
#                  EDGE_ADDRESS (a node bound to another address shares no port with the edge)
#   --node-config  a node's node.yml, its flat keys (as the shipped file writes them) or the node's defaults:
#                  tandem.sip.udp-port (5060, TCP too), tandem.sip.tls-port (0: none),
#                  tandem.sip.rtp-port-min-max (20000-29999), server.port (8080); a file that is not there is no node
#   NAME=...       a port or range named as the caller's operator knows it (e.g. --sip-port=5070); empty: not used
# Exit 0 when no two overlap; 2 naming both settings and the ports they share, or a value that is no port.
set -euo pipefail

die() { printf 'tandem-edge: %s\n' "$*" >&2; exit 2; }

names=() lows=() highs=()

# add NAME VALUE: VALUE is a port, MIN-MAX, or empty (the setting is off).
add() {
  local name="$1" value="$2" low high
  [ -n "$value" ] || return 0
  if [[ "$value" =~ ^([0-9]+)-([0-9]+)$ ]]; then
    low="${BASH_REMATCH[1]}" high="${BASH_REMATCH[2]}"
  elif [[ "$value" =~ ^[0-9]+$ ]]; then
    low="$value" high="$value"
  else
    die "$name: '$value' is not a port or MIN-MAX"
  fi
  [ "$low" -ge 1 ] && [ "$high" -le 65535 ] || die "$name: '$value' is not within 1-65535"
  [ "$low" -le "$high" ] || die "$name: '$value': $low is above $high"
  names+=("$name") lows+=("$low") highs+=("$high")
}

# setting FILE NAME: a NAME=value line's value (the last one, as systemd reads it), empty when none.
setting() {
  sed -n "s/^[[:space:]]*$2=[[:space:]]*\\(.*\\)\$/\\1/p" "$1" | tail -n 1 | sed 's/[[:space:]]*$//'
}

# yaml FILE KEY DEFAULT: a flat "key: value" line's value (quotes dropped), else DEFAULT.
yaml() {
  local value
  value="$(sed -n "s/^$(printf '%s' "$2" | sed 's/\./\\./g'):[[:space:]]*\\(.*\\)\$/\\1/p" "$1" | tail -n 1 \
    | sed -e 's/[[:space:]]*#.*$//' -e 's/^["'\'']//' -e 's/["'\'']$//')"
  printf '%s' "${value:-$3}"
}

edge_config="" node_config="" pairs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --edge-config) [ $# -ge 2 ] || die "--edge-config needs a file"; edge_config="$2"; shift 2 ;;
    --node-config) [ $# -ge 2 ] || die "--node-config needs a file"; node_config="$2"; shift 2 ;;
    *=*) pairs+=("$1"); shift ;;
    *) die "check-ports: unknown argument '$1'" ;;
  esac
done

edge_address=""
if [ -n "$edge_config" ]; then
  [ -r "$edge_config" ] || die "cannot read $edge_config"
  edge_address="$(setting "$edge_config" EDGE_ADDRESS)"
  for name in EDGE_SIP_PORT EDGE_TLS_PORT EDGE_WSS_PORT EDGE_NG_PORT; do
    add "$name" "$(setting "$edge_config" "$name")"
  done
  rtp_min="$(setting "$edge_config" EDGE_RTP_PORT_MIN)" rtp_max="$(setting "$edge_config" EDGE_RTP_PORT_MAX)"
  [ -n "$rtp_min" ] && [ -n "$rtp_max" ] || die "EDGE_RTP_PORT_MIN and EDGE_RTP_PORT_MAX are both required"
  add EDGE_RTP_PORT_MIN-EDGE_RTP_PORT_MAX "$rtp_min-$rtp_max"
fi
for pair in ${pairs[@]+"${pairs[@]}"}; do
  add "${pair%%=*}" "${pair#*=}"
done
if [ -n "$node_config" ] && [ -e "$node_config" ]; then
  [ -r "$node_config" ] || die "cannot read $node_config"
  bind="$(yaml "$node_config" tandem.sip.bind-address 0.0.0.0)"
  # A node bound to one address of a multi-homed host and an edge on another share no socket.
  if [ "$bind" = 0.0.0.0 ] || [ -z "$edge_address" ] || [ "$bind" = "$edge_address" ]; then
    add "node.yml tandem.sip.udp-port" "$(yaml "$node_config" tandem.sip.udp-port 5060)"
    tls="$(yaml "$node_config" tandem.sip.tls-port 0)"
    [ "$tls" = 0 ] || add "node.yml tandem.sip.tls-port" "$tls"
    add "node.yml tandem.sip.rtp-port-min-max" \
      "$(yaml "$node_config" tandem.sip.rtp-port-min 20000)-$(yaml "$node_config" tandem.sip.rtp-port-max 29999)"
    add "node.yml server.port" "$(yaml "$node_config" server.port 8080)"
  fi
fi

# shown ONE: a port, or MIN-MAX for a range.
shown() {
  if [ "${lows[$1]}" = "${highs[$1]}" ]; then printf '%s' "${lows[$1]}"; else printf '%s-%s' "${lows[$1]}" "${highs[$1]}"; fi
}

for ((i = 0; i < ${#names[@]}; i++)); do
  for ((j = i + 1; j < ${#names[@]}; j++)); do
    low=$(( lows[i] > lows[j] ? lows[i] : lows[j] ))
    high=$(( highs[i] < highs[j] ? highs[i] : highs[j] ))
    if [ "$low" -le "$high" ]; then
      shared="port $low"; [ "$low" = "$high" ] || shared="ports $low-$high"
      die "${names[i]} ($(shown "$i")) and ${names[j]} ($(shown "$j")) overlap on $shared: give each its own"
    fi
  done
done
