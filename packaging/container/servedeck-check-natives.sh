#!/bin/sh
# Proves that TensorFlow loads from the layout's native/ folder with the JVM flags the entry point uses
# (installed as /opt/servedeck/bin/servedeck-check-natives). The image runs it as its non-root user, who
# cannot write there: a layout that would make the server unpack natives at start fails the build instead.
set -eu

APP_HOME=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
: "${TF_CPP_MIN_LOG_LEVEL:=1}"
export TF_CPP_MIN_LOG_LEVEL

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java=$JAVA_HOME/bin/java
fi

# The same native flags as bin/servedeck-entrypoint.
exec "$java" "-Djava.library.path=$APP_HOME/native" -Dorg.bytedeco.javacpp.pathsFirst=true \
  -cp "$APP_HOME/lib/*:$APP_HOME/tools" TensorflowNativesCheck "$APP_HOME/native"
