#!/bin/bash
# Fills the edge's Kamailio template (edge/kamailio.cfg) and, with TLS, the tls module's file (edge/tls.cfg): the
# one place that knows the placeholders, used by "./tandem edge" and by the tandem-edge package's unit (its
# ExecStartPre), so the two never fill the template differently.
#
# Usage: fill-config.sh --template-dir DIR --run-dir DIR --address IP --sip-port N --dispatcher-list FILE
#                       --rtpengine udp:HOST:PORT [--tls-port N --certificate PEM --private-key PEM] [--wss-port N]
#                       [--domains A,B,...] [--define NAME]... [--defines NAME,NAME...]
# Writes RUN_DIR/kamailio.cfg (and RUN_DIR/tls.cfg with --tls-port). An empty value is the same as the option left
# out, so a unit can pass ${EDGE_TLS_PORT} unconditionally. Every --define becomes a "#!define NAME" line at the
# top (the template's optional parts, as "kamailio -A NAME" would), and --tls-port / --wss-port define WITH_TLS /
# WITH_WSS themselves, so the filled file needs no command-line switches to load.
set -euo pipefail

die() { printf 'fill-config: %s\n' "$*" >&2; exit 2; }

template_dir="" run_dir="" address="" sip_port="" dispatcher_list="" rtpengine="" tls_port="" wss_port=""
cert="" key="" domains="" defines=()
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 needs a value"
  case "$1" in
    --template-dir) template_dir="$2" ;;
    --run-dir) run_dir="$2" ;;
    --address) address="$2" ;;
    --sip-port) sip_port="$2" ;;
    --dispatcher-list) dispatcher_list="$2" ;;
    --rtpengine) rtpengine="$2" ;;
    --tls-port) tls_port="$2" ;;
    --wss-port) wss_port="$2" ;;
    --certificate) cert="$2" ;;
    --private-key) key="$2" ;;
    --domains) domains="$2" ;;
    --define) [ -z "$2" ] || defines+=("$2") ;;
    --defines) [ -z "$2" ] || IFS=', ' read -r -a more <<< "$2" && defines+=(${more[@]+"${more[@]}"}) ;;
    *) die "unknown option '$1'" ;;
  esac
  shift 2
done

for name in ${defines[@]+"${defines[@]}"}; do
  [[ "$name" =~ ^[A-Z][A-Z0-9_]*$ ]] || die "--define: '$name' is not a switch of the template (e.g. DS_HASH_CALLID)"
done
is_port() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
[ -r "$template_dir/kamailio.cfg" ] || die "--template-dir: no kamailio.cfg in '$template_dir'"
[ -d "$run_dir" ] || die "--run-dir: '$run_dir' is not a directory"
[[ "$address" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "--address: '$address' is not an IPv4 address"
is_port "$sip_port" || die "--sip-port: '$sip_port' is not a port"
[ -n "$dispatcher_list" ] || die "--dispatcher-list is required"
[[ "$rtpengine" =~ ^udp:[0-9.]+:[0-9]+$ ]] || die "--rtpengine: '$rtpengine' is not udp:HOST:PORT"
if [ -n "$tls_port" ]; then
  is_port "$tls_port" || die "--tls-port: '$tls_port' is not a port"
  [ -n "$cert" ] && [ -n "$key" ] || die "--tls-port needs --certificate and --private-key"
  defines+=(WITH_TLS)
fi
if [ -n "$wss_port" ]; then
  [ -n "$tls_port" ] || die "--wss-port: only with --tls-port (WSS shares its certificate)"
  is_port "$wss_port" || die "--wss-port: '$wss_port' is not a port"
  defines+=(WITH_WSS)
fi
aliases=""
if [ -n "$domains" ]; then
  IFS=',' read -r -a names <<< "$domains"
  for name in "${names[@]}"; do
    [[ "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] || die "--domains: '$name' is not a domain name"
    aliases+="alias=\"$name\""$'\n'
  done
fi

# Written under a temporary name and moved, so a running Kamailio's next restart never reads half a file.
cfg="$run_dir/kamailio.cfg"
{
  first=1
  while IFS= read -r line || [ -n "$line" ]; do
    if [ "$first" -eq 1 ]; then
      first=0
      printf '%s\n' "$line"
      # Each name once: Kamailio refuses a name defined twice.
      printf '%s\n' ${defines[@]+"${defines[@]}"} | sort -u | sed -n 's/^./#!define &/p'

      continue
    fi
    if [ "$line" = "@ALIASES@" ]; then
      printf '%s' "$aliases"
      continue
    fi
    line="${line//@LISTEN_ADDRESS@/$address}"
    line="${line//@SIP_PORT@/$sip_port}"
    line="${line//@DISPATCHER_LIST@/$dispatcher_list}"
    line="${line//@RUN_DIR@/$run_dir}"
    line="${line//@TLS_PORT@/${tls_port:-0}}"
    line="${line//@WSS_PORT@/${wss_port:-0}}"
    line="${line//@RTPENGINE@/$rtpengine}"
    printf '%s\n' "$line"
  done < "$template_dir/kamailio.cfg"
} > "$cfg.new"
mv "$cfg.new" "$cfg"

if [ -n "$tls_port" ]; then
  sed -e "s|@CERTIFICATE@|$cert|" -e "s|@PRIVATE_KEY@|$key|" "$template_dir/tls.cfg" > "$run_dir/tls.cfg.new"
  mv "$run_dir/tls.cfg.new" "$run_dir/tls.cfg"
fi
