#!/usr/bin/env bash
# Runs fluxguard's whole test suite: unit tests and the end-to-end suite (which drives the
# server with the real `dig` and `curl`). Installs the Debian packages the tests need when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v dig >/dev/null 2>&1 || need_packages+=(bind9-dnsutils)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)

if ((${#need_packages[@]})); then
  echo "installing test dependencies: ${need_packages[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_packages[@]}"
fi

exec mvn -B -ntp verify "$@"
