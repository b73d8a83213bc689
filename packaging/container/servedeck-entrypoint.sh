#!/bin/sh
# The ServeDeck container's ENTRYPOINT (installed as /opt/servedeck/bin/servedeck-entrypoint by
# assemble-layout.sh). TensorFlow Serving's conventions: the server reads MODEL_NAME and MODEL_BASE_PATH
# (it serves $MODEL_BASE_PATH/$MODEL_NAME) unless --model_config_file or --model_base_path is given;
# gRPC on $SERVEDECK_GRPC_PORT (8500), REST on $SERVEDECK_REST_API_PORT (8501), both bound to
# $SERVEDECK_HOST (0.0.0.0: reachable from outside the container). Model configs (the first one, config file
# reloads, gRPC ReloadConfig) may only name base paths under $SERVEDECK_MODEL_BASE_PATH_ALLOWLIST, by default
# $MODEL_BASE_PATH (/models in the image); set it empty to allow any folder. A flag given as an argument wins
# over these defaults. The JVM replaces this shell (exec), so SIGTERM reaches it: it drains and exits 0.
set -eu

APP_HOME=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)

: "${SERVEDECK_GRPC_PORT:=8500}"
: "${SERVEDECK_REST_API_PORT:=8501}"
: "${SERVEDECK_HOST:=0.0.0.0}"
# No colon: an empty value is kept (no allowlist) rather than replaced by the default.
: "${SERVEDECK_MODEL_BASE_PATH_ALLOWLIST=${MODEL_BASE_PATH:-}}"
# Heap as a share of the container's memory limit: TensorFlow's natives and tensors live outside the heap.
: "${JAVA_OPTS:=-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError}"
: "${TF_CPP_MIN_LOG_LEVEL:=1}"
export TF_CPP_MIN_LOG_LEVEL

# True when the arguments after the first set flag $1 (as --flag=value or --flag value).
has_flag() {
  flag=$1
  shift
  for arg in "$@"; do
    case $arg in
      "$flag" | "$flag"=*) return 0 ;;
    esac
  done
  return 1
}

has_flag --rest_api_host "$@" || set -- "--rest_api_host=$SERVEDECK_HOST" "$@"
has_flag --rest_api_port "$@" || set -- "--rest_api_port=$SERVEDECK_REST_API_PORT" "$@"
has_flag --grpc_host "$@" || set -- "--grpc_host=$SERVEDECK_HOST" "$@"
has_flag --port "$@" || set -- "--port=$SERVEDECK_GRPC_PORT" "$@"
if [ -n "$SERVEDECK_MODEL_BASE_PATH_ALLOWLIST" ]; then
  has_flag --model_base_path_allowlist "$@" \
    || set -- "--model_base_path_allowlist=$SERVEDECK_MODEL_BASE_PATH_ALLOWLIST" "$@"
fi

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java=$JAVA_HOME/bin/java
fi

# TensorFlow's natives were unpacked into native/ when the layout was built: JavaCPP loads them from there
# (pathsFirst) instead of unpacking 650 MB into a cache it must be able to write, at every container start.
# JAVA_OPTS is a list of words: split on purpose.
# shellcheck disable=SC2086
exec "$java" "-Djava.library.path=$APP_HOME/native" -Dorg.bytedeco.javacpp.pathsFirst=true $JAVA_OPTS \
  -jar "$APP_HOME/servedeck-server.jar" "$@"
