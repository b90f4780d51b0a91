#!/usr/bin/env bash
# Builds PJSIP's pjsua2 Java binding (pjsua2.jar + libpjsua2.so) from the vendored pjproject tarball,
# once per machine: the result is cached outside the clone, keyed by the tarball's sha256, so every
# clone and worktree on the machine shares it.
#
#   build-pjsua2.sh            build unless cached; prints the cache directory on stdout
#   build-pjsua2.sh --where    print the cache directory (built or not) and exit
#
# The library is built in a temporary directory beside the cache and renamed into place only when
# everything (native library, jar, a load check) succeeded, so a failed or interrupted build never
# leaves a half-built library where the phone would load it.
#
# Static PIC pjproject libraries are linked into one libpjsua2.so, so the phone needs nothing of
# PJSIP installed: only the system's libssl, libasound and libopus at run time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
tarball="${PJSUA2_TARBALL:-$repo/../shared/vendor/pjproject-2.17.tar.gz}"
expected_sha256="37a69aaa19b416f9c9580ad00f0a68fedd92191a38871e17ac229a0d0a87ee58"
# Our changes to the vendored source (kept unmodified in ../shared/vendor), applied in name order.
patches=("$here"/*.patch)
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/tandem"
# Keyed by the source (the tarball's hash) and by the recipe (this script and its patch), so changing either
# builds anew instead of reusing a library made another way.
recipe="$(cat "${BASH_SOURCE[0]}" "${patches[@]}" | sha256sum | cut -c1-8)"
cache="$cache_root/pjsua2-${expected_sha256:0:16}-$recipe"
jobs="${PJSUA2_JOBS:-2}"

log() { printf 'build-pjsua2: %s\n' "$*" >&2; }
die() { printf 'build-pjsua2: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = "--where" ]; then
  echo "$cache"
  exit 0
fi

if [ -f "$cache/libpjsua2.so" ] && [ -f "$cache/pjsua2.jar" ]; then
  echo "$cache"
  exit 0
fi

[ -f "$tarball" ] || die "the pjproject source is missing: $tarball (see ../shared/vendor/README.md)"

# The JDK whose include/jni.h the JNI glue compiles against: JAVA_HOME, else the one javac belongs to.
if [ -z "${JAVA_HOME:-}" ] && command -v javac >/dev/null 2>&1; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
fi
export JAVA_HOME="${JAVA_HOME:-}"

missing_packages() {
  local missing=()
  command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v swig >/dev/null 2>&1 || missing+=(swig)
  command -v patch >/dev/null 2>&1 || missing+=(patch)
  [ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
  [ -f /usr/include/alsa/asoundlib.h ] || missing+=(libasound2-dev)
  [ -f /usr/include/opus/opus.h ] || missing+=(libopus-dev)
  [ -n "$JAVA_HOME" ] && [ -f "$JAVA_HOME/include/jni.h" ] || missing+=(openjdk-17-jdk-headless)
  printf '%s\n' "${missing[@]}"
}

missing="$(missing_packages | xargs)"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing the build dependencies: $missing"
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2; } \
    || die "could not install the build dependencies: $missing"
  if [ -z "$JAVA_HOME" ] || [ ! -f "$JAVA_HOME/include/jni.h" ]; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    export JAVA_HOME
  fi
  missing="$(missing_packages | xargs)"
fi
[ -z "$missing" ] || die "cannot build pjsua2: missing $missing (as root: apt-get install $missing)"

actual_sha256="$(sha256sum "$tarball" | cut -d' ' -f1)"
[ "$actual_sha256" = "$expected_sha256" ] \
  || die "$tarball has sha256 $actual_sha256, expected $expected_sha256; refusing to build from it"

mkdir -p "$cache_root"
# One build per machine at a time: ./tandem test and ./tandem phone may both ask for it.
exec 9>"$cache_root/pjsua2.lock"
flock 9
if [ -f "$cache/libpjsua2.so" ] && [ -f "$cache/pjsua2.jar" ]; then
  echo "$cache"
  exit 0
fi

work="$(mktemp -d "$cache_root/.pjsua2-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
build_log="$cache_root/pjsua2-build.log"
log "building pjsua2 from $(basename "$tarball") in $work (a few minutes; log: $build_log)"
started=$SECONDS

# Each step stops the build on failure by itself: errexit does not apply inside a command whose status is tested.
build_steps() {
  tar -xzf "$tarball" -C "$work" || return 1
  cd "$work/pjproject-2.17" || return 1
  # pjsua2-java-loader: the binding's class loader takes the library by absolute path, no OpenH264 (no video
  # here), nothing printed. pjlib-quiet-start: no start-up chatter on stdout before our log writer is set.
  local p
  for p in "${patches[@]}"; do
    patch -p1 <"$p" || return 1
  done
  # Position-independent static libraries, linked below into the one JNI library. No video and none of its
  # dependencies. Speex stays: its echo canceller is the one PJSIP uses (the phone gives its codec no priority).
  ./configure CFLAGS="-fPIC -O2" CXXFLAGS="-fPIC -O2" \
    --disable-video --disable-sdl --disable-ffmpeg --disable-v4l2 --disable-openh264 \
    --disable-vpx --disable-libyuv --disable-libwebrtc --disable-upnp \
    --disable-gsm-codec --disable-ilbc-codec --disable-g7221-codec \
    --disable-l16-codec --disable-silk --disable-opencore-amr --disable-bcg729 --disable-lyra \
    --with-opus=/usr --with-ssl=/usr || return 1
  grep -q 'PJMEDIA_HAS_OPUS_CODEC 1' pjmedia/include/pjmedia-codec/config_auto.h \
    || { echo "configure did not find Opus"; return 1; }
  grep -q 'PJ_HAS_SSL_SOCK 1' pjlib/include/pj/compat/os_auto.h \
    || { echo "configure did not find OpenSSL"; return 1; }
  make dep || return 1
  make -j"$jobs" || return 1
  make -C pjsip-apps/src/swig/java || return 1
}

build_steps >"$build_log" 2>&1 || die "the build failed; the last lines of $build_log:
$(tail -n 25 "$build_log")"

out="$work/pjproject-2.17/pjsip-apps/src/swig/java/output"
staging="$work/pjsua2"
mkdir -p "$staging"
cp "$out/libpjsua2.so" "$staging/"
# The binding's classes only, without the SWIG samples compiled beside them (org/pjsip/pjsua2/app).
mkdir -p "$work/classes/org/pjsip/pjsua2"
cp "$out"/org/pjsip/pjsua2/*.class "$work/classes/org/pjsip/pjsua2/"
"$JAVA_HOME/bin/jar" --create --file "$staging/pjsua2.jar" -C "$work/classes" org \
  || die "could not pack pjsua2.jar"
"$JAVA_HOME/bin/jar" --list --file "$staging/pjsua2.jar" | grep -q '^org/pjsip/pjsua2/Endpoint.class$' \
  || die "pjsua2.jar has no org.pjsip.pjsua2.Endpoint"
cp "$work/pjproject-2.17/COPYING" "$staging/COPYING"
{
  echo "pjproject 2.17, sha256 $expected_sha256"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm) in $((SECONDS - started)) s"
  echo "JAVA_HOME $JAVA_HOME"
} >"$staging/BUILD-INFO"
# Every library libpjsua2.so needs must be on this machine before it is published.
ldd "$staging/libpjsua2.so" | grep -q 'not found' && die "libpjsua2.so has unresolved libraries: $(ldd "$staging/libpjsua2.so" | grep 'not found')"

rm -rf "$cache"
mv -T "$staging" "$cache"
log "built pjsua2 in $((SECONDS - started)) s: $cache"
echo "$cache"
