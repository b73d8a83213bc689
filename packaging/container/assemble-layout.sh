#!/usr/bin/env bash
# Lays out ServeDeck's headless server as the container image has it, under <dest>/opt/servedeck:
#
#   servedeck-server.jar, lib/       the thin server jar and its libraries, as `./mvnw package` builds them,
#                                    but TensorFlow's native jar
#   native/                          TensorFlow's native libraries from that jar, unpacked once (650 MB)
#   bin/servedeck-entrypoint         the image's ENTRYPOINT (TensorFlow Serving's conventions)
#   bin/servedeck-check-natives      proves TensorFlow loads from native/ with the entry point's JVM flags
#   tools/TensorflowNativesCheck.class   what it runs
#
# The Dockerfile runs this script (with <dest> = /) and the packaging tests run it into a temporary folder
# and start the server from there through the same entry point, so the layout tested is the image's.
#
# Why native/ and not JavaCPP's cache: JavaCPP only uses a cache directory it can write to. Read-only (a
# non-root user, readOnlyRootFilesystem) it falls back to ~/.javacpp or /tmp and unpacks 650 MB at every
# start. Loaded from java.library.path with -Dorg.bytedeco.javacpp.pathsFirst=true, nothing is written.
#
# Usage: assemble-layout.sh <dest> [<server-core target dir>]
# Needs a JDK (javac) on PATH or in JAVA_HOME. Everything is left readable, and not writable, by other users.
set -euo pipefail
umask 022

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <dest> [<server-core target dir>]" >&2
  exit 2
fi
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
dest=${1%/}  # "/" for the image
server_target=${2:-$here/../../server-core/target}

jar=$server_target/servedeck-server.jar
if [[ ! -f $jar || ! -d $server_target/lib ]]; then
  echo "$0: no $jar with lib/ beside it: build it first (./mvnw -B -q package -DskipTests)" >&2
  exit 1
fi

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}
app=$dest/opt/servedeck
rm -rf -- "$app"
mkdir -p -- "$app/bin" "$app/lib" "$app/native" "$app/tools"

cp -p -- "$jar" "$app/"
cp -p -- "$server_target"/lib/*.jar "$app/lib/"
install -m 0755 -- "$here/servedeck-entrypoint.sh" "$app/bin/servedeck-entrypoint"
install -m 0755 -- "$here/servedeck-check-natives.sh" "$app/bin/servedeck-check-natives"
"${java_bin}javac" --release 17 -nowarn -cp "$app/lib/*" -d "$app/tools" "$here/TensorflowNativesCheck.java"

# Let JavaCPP unpack TensorFlow's natives into a scratch cache, then keep the libraries (with their
# relative symbolic links) in native/.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/servedeck-natives.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1} "${java_bin}java" "-Dorg.bytedeco.javacpp.cachedir=$scratch" \
  -cp "$app/lib/*:$app/tools" TensorflowNativesCheck "$scratch"
jni=$(find "$scratch" -name 'libjnitensorflow.*' -print -quit)
if [[ -z $jni ]]; then
  echo "$0: JavaCPP unpacked no libjnitensorflow into $scratch" >&2
  exit 1
fi
cp -a -- "$(dirname -- "$jni")"/. "$app/native/"
# The jar they came in (160 MB; <jar name>/<resource path> in the cache) is not needed at run time any
# more: drop it from lib/ (the server jar's Class-Path skips a missing entry), keep its licence beside them.
relative=${jni#"$scratch"/}
native_jar=${relative%%/*}
resource_dir=$(dirname -- "${relative#*/}")
(cd "$scratch" && "${java_bin}jar" xf "$app/lib/$native_jar" "$resource_dir/LICENSE")
cp -p -- "$scratch/$resource_dir/LICENSE" "$app/native/LICENSE"
rm -f -- "$app/lib/$native_jar"

chmod -R a+rX,go-w -- "$app"
# What the server will do at start: load them from native/, writing nothing.
"$app/bin/servedeck-check-natives"
echo "ServeDeck layout ready in $app"
