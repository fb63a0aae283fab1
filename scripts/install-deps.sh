#!/bin/sh
# Install, from Debian's packages, exactly what building, running and testing
# socktap need. Idempotent: only missing packages are fetched, and nothing is
# done at all when everything is present.
set -eu

PKGS="make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
      iproute2 net-tools lsof iperf3 tmux jq libbpf-tools util-linux
      libncurses-dev libmicrohttpd-dev nethogs iftop nload iputils-ping prometheus
      wrk prometheus-node-exporter dpkg-dev debhelper lintian mandoc libclang-rt-14-dev
      libcap2-bin valgrind"

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
# prometheus and prometheus-node-exporter are for the tests and benchmarks,
# which run their own instances: their packages' services must not start
# (they would listen on :9090 and :9100 of every address) or be enabled
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
status=0
apt-get update -qq || status=$?
# shellcheck disable=SC2086
[ $status -ne 0 ] || apt-get install -y -qq --no-install-recommends $missing >/dev/null || status=$?
[ -n "$made_policy" ] && rm -f "$policy"
case "$missing" in *prometheus*)
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now prometheus prometheus-node-exporter >/dev/null 2>&1 || true
	fi
	;;
esac
exit $status
