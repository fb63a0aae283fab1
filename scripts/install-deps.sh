#!/bin/sh
# Install, from Debian's packages, exactly what building, running and testing
# socktap need. Idempotent: only missing packages are fetched, and nothing is
# done at all when everything is present.
set -eu

PKGS="make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
      iproute2 net-tools lsof iperf3 tmux jq libbpf-tools util-linux
      libncurses-dev libmicrohttpd-dev nethogs iftop nload iputils-ping"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
