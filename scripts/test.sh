#!/usr/bin/env bash
# Runs fluxguard's whole test suite: unit tests and the end-to-end suite (which drives the
# server with the real `dig` and `curl`, and compares its answers with Unbound's, both
# forwarding to NSD). Installs the Debian packages the tests need when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v dig >/dev/null 2>&1 || need_packages+=(bind9-dnsutils)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
# the differential check (src/test/.../DifferentialTest) runs Unbound and NSD on high loopback ports
[[ -x /usr/sbin/unbound ]] || need_packages+=(unbound)
[[ -x /usr/sbin/nsd ]] || need_packages+=(nsd)

if ((${#need_packages[@]})); then
  echo "installing test dependencies: ${need_packages[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
  fi
  # Installing unbound or nsd must not start them as system services (on port 53): a
  # policy-rc.d that says "no" (exit 101) is in place for the install, unless one already is.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_packages[@]}"
  if ((made_policy)); then
    "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
  fi
fi

exec mvn -B -ntp verify "$@"
