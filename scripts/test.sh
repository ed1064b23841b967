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
  # policy-rc.d that says "no" (exit 101) is in place for the install, unless one already is,
  # and is removed however the install ends. Their services are then disabled, so they do not
  # start at the next boot either; the tests run their own copies on high loopback ports.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    made_policy=1
    trap '"${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d' EXIT # if the install fails
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}"
  if command -v systemctl >/dev/null 2>&1; then
    for unit in unbound nsd; do
      if [[ " ${need_packages[*]} " == *" $unit "* ]]; then
        "${sudo_cmd[@]}" systemctl disable "$unit.service" >/dev/null 2>&1 || true
      fi
    done
  fi
  if ((made_policy)); then
    "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
fi

exec mvn -B -ntp verify "$@"
