#!/usr/bin/env bash
# Builds tandem-phone_<version>_amd64.deb: the JavaFX softphone as a jpackage application with its own runtime,
# trimmed by jlink to the modules the phone needs (jdeps on the application's jars, plus JavaFX).
#
# Usage: build-phone-deb.sh PHONE_DIR APP_JAR DEB_VERSION OUT_DIR WORK_DIR
#   PHONE_DIR    agent-client/target/phone: lib/ (the application's libraries) and javafx/ (JavaFX's jars)
#   APP_JAR      the softphone's own jar (agent-client/target/tandem-agent-client-<version>.jar)
#   DEB_VERSION  Debian version, e.g. 0.1.0~SNAPSHOT
#   OUT_DIR      where the .deb goes (installer/target)
#   WORK_DIR     scratch and cache (installer/target/phone)
#
# With PJSUA2_HOME naming a pjsua2 build (agent-client/src/native/build-pjsua2.sh: pjsua2.jar, libpjsua2.so) and an
# application jar compiled with it, the package carries PJSIP's engine under lib/app/pjsua2 and the launcher points
# the phone at it; otherwise the phone in the package runs on its Java engine. Carrying PJSIP makes the package
# GPL-2.0-or-later (agent-client/README.md, "License").
#
# jlink and jpackage take minutes on a loaded machine, so the package is cached under WORK_DIR by the hash of
# everything it is made from (jars, this directory's files, the version, the JDK): a rebuild with the same inputs
# copies the cached package instead.
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: $0 PHONE_DIR APP_JAR DEB_VERSION OUT_DIR WORK_DIR" >&2; exit 2; }
PHONE_DIR="$1" APP_JAR="$2" DEB_VERSION="$3" OUT_DIR="$4" WORK_DIR="$5"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=tandem-phone
DEB="${NAME}_${DEB_VERSION}_amd64.deb"
# The JDK that runs the build makes the runtime, so the package runs on the Java the build was tested with.
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"

say() { printf 'tandem-phone: %s\n' "$*" >&2; }

# JavaFX's platform jars are modular jars with their native libraries inside; the unclassified jars Maven also
# resolves are empty and would be automatic modules, which jlink refuses.
FX_JARS=("$PHONE_DIR"/javafx/*-linux.jar)
[ -f "${FX_JARS[0]}" ] || { say "no JavaFX platform jars in $PHONE_DIR/javafx"; exit 1; }
[ -f "$APP_JAR" ] || { say "no application jar $APP_JAR"; exit 1; }
FX_PATH="$(IFS=:; echo "${FX_JARS[*]}")"

PJSUA2=""
if [ -n "${PJSUA2_HOME:-}" ] && [ -f "$PJSUA2_HOME/libpjsua2.so" ] && [ -f "$PJSUA2_HOME/pjsua2.jar" ]; then
  if unzip -l "$APP_JAR" 'META-INF/services/io.tandem.agent.engine.PhoneEngineProvider' >/dev/null 2>&1; then
    PJSUA2="$PJSUA2_HOME"
  else
    say "$APP_JAR has no pjsua2 engine (built without -Dpjsua2.home): the package runs on the Java engine"
  fi
fi

# A jar rebuilt from the same sources differs only in its entries' times and pom.properties' date, so jars are
# hashed by what they hold.
jar_contents() {
  local jar
  for jar in "$@"; do
    printf '%s ' "$(basename "$jar")"
    unzip -p "$jar" -x 'META-INF/maven/*' | sha256sum
  done
}
hash="$( { "${JAVA_BIN}jpackage" --version; echo "$DEB_VERSION"
           jar_contents "$APP_JAR" "$PHONE_DIR"/lib/*.jar "${FX_JARS[@]}"
           sha256sum "$SRC"/* | sed 's| .*/| |'
           [ -z "$PJSUA2" ] || sha256sum "$PJSUA2/libpjsua2.so" "$PJSUA2/pjsua2.jar" | cut -d' ' -f1; } \
         | sha256sum | cut -c1-16)"
cached="$WORK_DIR/cache/$hash/$DEB"
mkdir -p "$OUT_DIR"
if [ -f "$cached" ]; then
  say "inputs unchanged ($hash): reusing the cached package"
  cp "$cached" "$OUT_DIR/$DEB"
  exit 0
fi

rm -rf "$WORK_DIR/build"
mkdir -p "$WORK_DIR/build/input" "$WORK_DIR/build/resources"
build="$WORK_DIR/build"
cp "$APP_JAR" "$PHONE_DIR"/lib/*.jar "$build/input/"
java_options=()
if [ -n "$PJSUA2" ]; then
  # The binding's classes on the class path (jpackage puts every jar of the input there), the library and PJSIP's
  # license beside them; $APPDIR is jpackage's token for lib/app at run time.
  cp "$PJSUA2/pjsua2.jar" "$build/input/"
  mkdir -p "$build/input/pjsua2"
  cp "$PJSUA2/libpjsua2.so" "$PJSUA2/COPYING" "$build/input/pjsua2/"
  java_options=(--java-options '-Dtandem.pjsua2.home=$APPDIR/pjsua2')
  say "carrying the pjsua2 engine from $PJSUA2"
fi

# The JDK modules the phone's code and its libraries use, as jdeps reads them from the bytecode. jdeps cannot see
# what is only reached by name at run time, so some are added by hand:
#   jdk.crypto.ec  TLS with elliptic-curve key exchange (https:// and wss:// to a node)
#   jdk.localedata the formats of the agent's locale (the window shows times and durations)
modules="$("${JAVA_BIN}jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 \
  --module-path "$FX_PATH" "$APP_JAR" "$PHONE_DIR"/lib/*.jar 2>/dev/null)"
modules="$modules,javafx.base,javafx.graphics,javafx.controls,jdk.crypto.ec,jdk.localedata"
echo "$modules" | tr ',' '\n' | sort -u > "$build/modules.txt"
say "runtime modules: $(paste -sd, "$build/modules.txt")"

"${JAVA_BIN}jlink" --module-path "$FX_PATH" --add-modules "$(paste -sd, "$build/modules.txt")" \
  --include-locales=en,de,fr,es,it,nl,pt,tr \
  --strip-debug --strip-native-commands --no-header-files --no-man-pages --compress=2 --output "$build/runtime"
# JavaFX loads its native libraries from the runtime's lib/ when they are there (as in a runtime made from
# JavaFX's jmods); otherwise it would unpack them from its jars into ~/.openjfx/cache on every first start.
for jar in "${FX_JARS[@]}"; do
  unzip -q -o -j "$jar" '*.so' -d "$build/runtime/lib/" 2>/dev/null || true
done
say "runtime: $(du -sh "$build/runtime" | cut -f1) (jlink took ${SECONDS}s)"

# jpackage takes a desktop entry named <name>.desktop from the resource directory in place of its own, with
# APPLICATION_LAUNCHER, APPLICATION_ICON and APPLICATION_DESCRIPTION filled in.
cp "$SRC/$NAME.desktop" "$build/resources/$NAME.desktop"

upstream="${DEB_VERSION%%~*}"
app_jar_name="$(basename "$APP_JAR")"
# --install-dir /usr/lib: the application image whole under /usr/lib/tandem-phone (bin/, lib/app, lib/runtime),
# where jpackage's default /opt is a lintian error (dir-or-file-in-opt). Not --install-dir /usr, which splits the
# image over /usr/bin and /usr/lib and whose launcher then finds its library only through dpkg -S, so it cannot
# run from an unpacked package (the test runs it from one).
"${JAVA_BIN}jpackage" --type deb --dest "$build/out" \
  --name "$NAME" --app-version "$upstream" \
  --description "Tandem agent softphone" \
  --vendor "Tandem team" --copyright "2026 The Tandem authors" \
  --input "$build/input" --main-jar "$app_jar_name" --main-class io.tandem.agent.PhoneMain \
  --runtime-image "$build/runtime" ${java_options[@]+"${java_options[@]}"} \
  --icon "$SRC/$NAME.png" --resource-dir "$build/resources" \
  --install-dir /usr/lib \
  --license-file "$SRC/copyright" \
  --linux-package-name "$NAME" --linux-deb-maintainer "tandem@tandem.invalid" \
  --linux-menu-group "Network;Telephony;" --linux-app-category net --linux-shortcut
produced=("$build"/out/*.deb)
say "jpackage done at ${SECONDS}s"
[ -f "${produced[0]}" ] || { say "jpackage made no package"; exit 1; }

# jpackage writes Version <upstream>-<release> and no changelog: give the package the version every Tandem package
# carries (0.1.0~SNAPSHOT sorts before 0.1.0) and the changelog Debian policy 12.7 asks for, keeping all else
# (Depends as jpackage computed it from the runtime's native libraries, the maintainer scripts).
tree="$build/tree"
dpkg-deb -R "${produced[0]}" "$tree"
sed -i "s/^Version: .*/Version: $DEB_VERSION/" "$tree/DEBIAN/control"
sed -i "/^Description: /r $SRC/description" "$tree/DEBIAN/control"
# Debian policy 10.1: binaries and shared objects ship stripped (the JDK's and JavaFX's come with symbols), and
# shared libraries are not executable (jpackage makes its launcher library 0755).
find "$tree/usr" -type f | while read -r f; do
  if [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
    case "$f" in *.so) chmod 644 "$f" ;; esac
  fi
done
doc="$tree/usr/share/doc/$NAME"
mkdir -p "$doc"
sed "s/@VERSION@/$DEB_VERSION/" "$SRC/changelog" | gzip -9n > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
# The command on the PATH; the launcher finds its image from its real path (/proc/self/exe), not from the link's.
mkdir -p "$tree/usr/bin"
ln -s "../lib/$NAME/bin/$NAME" "$tree/usr/bin/$NAME"
mkdir -p "$tree/usr/share/lintian/overrides"
cp "$SRC/lintian-overrides" "$tree/usr/share/lintian/overrides/$NAME"
chmod 644 "$tree/usr/share/lintian/overrides/$NAME"
# Installed-Size as the tree now is: jpackage counted the runtime before it was stripped.
sed -i "s/^Installed-Size: .*/Installed-Size: $(du -sk --exclude=DEBIAN "$tree" | cut -f1)/" "$tree/DEBIAN/control"
rm -rf "$WORK_DIR/cache" # one package kept: the one these inputs make
mkdir -p "$(dirname "$cached")"
# gzip, not xz: the runtime's modules file is compressed already, and xz would take a minute more for 2 MB less.
fakeroot dpkg-deb --root-owner-group -Zgzip -z9 -b "$tree" "$cached" >/dev/null
cp "$cached" "$OUT_DIR/$DEB"
say "built $OUT_DIR/$DEB ($(du -h "$OUT_DIR/$DEB" | cut -f1)) in ${SECONDS}s"
