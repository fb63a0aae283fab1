#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest.sh: run one command as root under a stock Debian kernel in QEMU (TCG).
#
#   scripts/vmtest.sh [--kernel 6.1|6.12|7] [--timeout SECS] [--mem SIZE]
#                     [--env NAME=VALUE]... [--refresh] [--verbose] -- COMMAND [ARGS...]
#
# The host's / is shared read-only over virtio-9p; the guest puts a tmpfs
# overlay on it, so the guest can write anywhere and nothing reaches the host.
# proc, sys, devtmpfs (+devpts, /dev/shm), bpffs, tracefs, debugfs, cgroup2
# and a tmpfs /run are mounted, lo is up, the kernel's own modules are at
# /lib/modules/$(uname -r) (and autoload through busybox modprobe), and
# COMMAND runs as root in the host's current directory with stdin /dev/null
# and stdout/stderr on pipes (not ttys). They come back over two more serial
# ports (byte-exact, about 600 KB/s) and are printed here, stdout to stdout
# and stderr to stderr, as they arrive; the exit status comes back as a
# marker line on the console (ttyS0). Guest processes the command leaves
# behind get 2 s to close their output, then the VM powers off.
# --verbose copies the guest console (kernel log) to stderr.
#
# Kernels (stock Debian amd64 images, fetched with `apt-get download`):
#   6.1   linux-image-amd64      bookworm / bookworm-security   (default)
#   6.12  linux-image-6.12-amd64 bookworm-security
#   7     linux-image-amd64      trixie-backports (7.x; private apt state)
#
# --timeout defaults to 300 s and bounds the VM run only (not a first run's
# download); --mem (guest memory) defaults to 512M.
#
# Exit status: the command's own; 124 when the timeout ran out; 125 when the
# guest reported no status (qemu error, guest panic, init failure: the
# console's tail is printed); 77 with a one-line reason when the VM cannot run
# here at all (not x86_64, qemu not installable, kernel not downloadable);
# 2 on bad usage.
#
# Cache: $VMTEST_CACHE (default /var/cache/socktap-vmtest), one directory per
# kernel holding the boot image, config, modules and the built initramfs;
# the .debs are deleted once unpacked: about 430 MB for 6.1 (uncompressed
# modules), 170-190 MB for 6.12 and 7. Remove the directory, or pass
# --refresh, to fetch the kernel's current package anew. The initramfs is
# rebuilt by itself whenever this script's guest init or busybox changes.
# First run of a kernel: 13-21 s (download, unpack, depmod, initramfs, boot);
# afterwards about 3-4 s from start to exit for a trivial command (TCG).
#
# Environment: VMTEST_CACHE, VMTEST_MIRROR (default http://deb.debian.org/debian),
# VMTEST_SECURITY_MIRROR (default http://deb.debian.org/debian-security),
# VMTEST_SMP (vCPUs, default 2), VMTEST_TCG_THREAD (multi or single; default
# multi, single for 7).
# The guest gets PATH, LANG, LC_ALL and TZ from the host, VMTEST_KERNEL=<key>
# and whatever --env gives; nothing else of the host's environment.
#
# Debian packages needed (for scripts/install-deps.sh); installed here with
# apt-get when dpkg-query says they are missing:
#   qemu-system-x86 busybox-static xz-utils zstd
# and from the base system: apt, dpkg, coreutils (timeout), util-linux
# (flock, setpriv), grep, debian-archive-keyring.
#
# Host apt configuration is never changed: a suite that the host's sources do
# not have (or whose lists are stale) is fetched with private apt state under
# the cache (-o Dir::State=... -o Dir::Etc::sourcelist=...).

set -uo pipefail

prog=vmtest
die() { echo "$prog: $*" >&2; exit 125; }
skip() { echo "$prog: cannot run here: $*" >&2; exit 77; }
usage() {
	sed -n '4,7p' "$0" | sed 's/^# \{0,3\}//' >&2
	exit 2
}
log() { echo "$prog: $*" >&2; }

kernel=6.1
tmo=300
mem=512M
refresh=0
verbose=0
extra_env=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--kernel=*) kernel=${1#*=}; shift ;;
	--timeout) [ $# -ge 2 ] || usage; tmo=$2; shift 2 ;;
	--timeout=*) tmo=${1#*=}; shift ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	--env|-e) [ $# -ge 2 ] || usage; extra_env+=("$2"); shift 2 ;;
	--env=*) extra_env+=("${1#*=}"); shift ;;
	--refresh) refresh=1; shift ;;
	-v|--verbose) verbose=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	*) echo "$prog: unknown option: $1" >&2; usage ;;
	esac
done
[ $# -ge 1 ] || usage
case "$tmo" in ''|*[!0-9]*) echo "$prog: --timeout needs whole seconds" >&2; exit 2 ;; esac
for e in "${extra_env[@]}"; do
	[[ "$e" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || { echo "$prog: --env wants NAME=VALUE, got: $e" >&2; exit 2; }
done

MIRROR=${VMTEST_MIRROR:-http://deb.debian.org/debian}
SECMIRROR=${VMTEST_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# key -> meta package and the private sources to use when the host's apt
# cannot fetch it.
case "$kernel" in
6.1)
	meta=linux-image-amd64
	psources="deb [signed-by=$KEYRING] $MIRROR bookworm main
deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
deb [signed-by=$KEYRING] $SECMIRROR bookworm-security main"
	pname=bookworm host_ok=1 thread=multi ;;
6.12)
	meta=linux-image-6.12-amd64
	psources="deb [signed-by=$KEYRING] $SECMIRROR bookworm-security main"
	pname=bookworm-security host_ok=1 thread=multi ;;
7|7.x)
	kernel=7
	meta=linux-image-amd64
	psources="deb [signed-by=$KEYRING] $MIRROR trixie-backports main"
	# 7.x under multi-threaded TCG: about 1 boot in 25 dies early with
	# "Oops: int3" in code just patched by text_poke (cross-CPU code
	# modification); one TCG thread for both vCPUs: 0 in 30, ~1 s slower.
	pname=trixie-backports host_ok=0 thread=single ;;
*) echo "$prog: unknown kernel '$kernel' (6.1, 6.12 or 7)" >&2; exit 2 ;;
esac

[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m), the kernels are amd64 and TCG would be too slow"

# ------------------------------------------------------------------- cache
CACHE=${VMTEST_CACHE:-/var/cache/socktap-vmtest}
mkdir -p "$CACHE" 2>/dev/null || skip "cannot create cache directory $CACHE (set VMTEST_CACHE)"
CACHE=$(cd "$CACHE" && pwd -P)
[ -w "$CACHE" ] || skip "cache directory $CACHE is not writable (set VMTEST_CACHE)"
case "$CACHE" in *[[:space:]]*) skip "cache path has white space: $CACHE" ;; esac

# ---------------------------------------------------------------- packages
is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}
need_pkgs=(qemu-system-x86 busybox-static xz-utils zstd)
missing=()
for p in "${need_pkgs[@]}"; do
	is_installed "$p" && continue
	# a static busybox unpacked into the cache earlier (when installing it
	# would have removed the host's busybox) does as well
	[ "$p" = busybox-static ] && [ -x "$CACHE/busybox-static/bin/busybox" ] && continue
	missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || skip "missing packages ${missing[*]} (run as root to install them)"
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# --no-remove: never trade a host package (e.g. busybox) for ours.
	inst() { apt-get install -y -qq --no-install-recommends --no-remove "${missing[@]}" >/dev/null 2>&1; }
	if ! inst; then
		apt-get update -qq >/dev/null 2>&1
		inst || true
	fi
	still=()
	for p in "${missing[@]}"; do is_installed "$p" || still+=("$p"); done
	for p in "${still[@]}"; do
		case "$p" in
		qemu-system-x86) skip "qemu-system-x86 is not installed and apt-get could not install it" ;;
		busybox-static) ;;	# fetched into the cache below instead
		*) skip "$p is not installed and apt-get could not install it" ;;
		esac
	done
fi
QEMU=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not found"

# --------------------------------------------------------------- temp/cleanup
tmp=
qpid=
readers=()
prep_dirs=()
# shellcheck disable=SC2317  # called from the traps
cleanup() {
	trap - EXIT INT TERM HUP
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill -TERM "$qpid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$qpid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
	fi
	# qemu's own pid, in case its parent (timeout) went first
	if [ -n "$tmp" ] && [ -s "$tmp/qemu.pid" ]; then
		p=$(cat "$tmp/qemu.pid" 2>/dev/null)
		if [ -n "$p" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = vmtest-qemu ]; then
			kill -KILL "$p" 2>/dev/null
		fi
	fi
	for p in "${readers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$tmp" ] && rm -rf "$tmp"
	for p in "${prep_dirs[@]}"; do rm -rf "$p"; done
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

# ------------------------------------------------------------ apt helpers
papt_dir=$CACHE/apt/$pname
papt_opts=(-o "Dir::State=$papt_dir/state" -o "Dir::State::status=$papt_dir/state/status"
	-o "Dir::Cache=$papt_dir/cache" -o "Dir::Etc::sourcelist=$papt_dir/sources.list"
	-o "Dir::Etc::sourceparts=$papt_dir/none" -o "Dir::Etc::preferences=$papt_dir/none/x"
	-o "Dir::Etc::preferencesparts=$papt_dir/none" -o Acquire::Languages=none
	-o APT::Architecture=amd64 -o APT::Architectures=amd64 -o APT::Sandbox::User=root
	-o Debug::NoLocking=0 -o APT::Get::List-Cleanup=0)
papt_update() {
	mkdir -p "$papt_dir"/state/lists/partial "$papt_dir"/cache/archives/partial "$papt_dir"/none
	: >"$papt_dir/state/status"
	printf '%s\n' "$psources" >"$papt_dir/sources.list"
	apt-get "${papt_opts[@]}" -qq update >"$papt_dir/update.log" 2>&1
}
# apt_* "host"|"private" ARGS...
apt_cache() { local m=$1; shift; if [ "$m" = host ]; then apt-cache "$@"; else apt-cache "${papt_opts[@]}" "$@"; fi; }
apt_download() { local m=$1; shift; if [ "$m" = host ]; then apt-get -o APT::Sandbox::User=root -qq download "$@"; else apt-get "${papt_opts[@]}" -qq download "$@"; fi; }

# Names of the packages making up the meta package's kernel: the meta package
# and, recursively, its linux-*-amd64 dependencies (image, binary, modules,
# base in the newer split packaging), as name=version.
resolve_pkgs() {
	local mode=$1 todo=("$meta") seen=" " p deps d out=()
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}; todo=("${todo[@]:1}")
		[[ "$seen" == *" $p "* ]] && continue
		seen+="$p "
		local info
		info=$(apt_cache "$mode" show --no-all-versions "$p" 2>/dev/null) || return 1
		[ -n "$info" ] || return 1
		out+=("$p=$(sed -n 's/^Version: //p' <<<"$info" | head -1)")
		deps=$(sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' <<<"$info" | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/[[:space:]]//g')
		for d in $deps; do
			case "$d" in
			linux-*-amd64) [[ "$d" == *-dbg || "$d" == *-unsigned ]] || todo+=("$d") ;;
			esac
		done
	done
	printf '%s\n' "${out[@]}"
}

# bzImage -> uncompressed vmlinux (ELF), for QEMU's PVH entry.
extract_vmlinux() {
	local img=$1 dst=$2
	try() { # magic-regex decompress-cmd
		local pos
		for pos in $(LC_ALL=C grep -aboP "$1" "$img" 2>/dev/null | cut -d: -f1); do
			# shellcheck disable=SC2086  # $2 is a command with arguments
			tail -c +"$((pos + 1))" "$img" | $2 >"$dst" 2>/dev/null
			[ "$(head -c 4 "$dst" | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
		done
		return 1
	}
	try '\xfd7zXZ\x00' 'xz -dcq' && return 0
	try '\x28\xb5\x2f\xfd' 'zstd -dcq' && return 0
	try '\x1f\x8b\x08' 'gzip -dcq' && return 0
	rm -f "$dst"
	return 1
}

# Fill $CACHE/$kernel. Caller holds the lock.
prepare_kernel() {
	local kd=$CACHE/$kernel new mode p pkgs=()
	rm -rf "$CACHE/.new-$kernel".*	# left by a run that was killed
	new=$CACHE/.new-$kernel.$$
	prep_dirs+=("$new")
	mkdir -p "$new/dl" "$new/x"
	log "fetching the $kernel kernel ($meta) into $CACHE"
	if [ "$host_ok" = 1 ] && mapfile -t pkgs < <(resolve_pkgs host) && [ ${#pkgs[@]} -gt 0 ] &&
		(cd "$new/dl" && apt_download host "${pkgs[@]}") >"$new/dl.log" 2>&1; then
		mode=host
	else
		papt_update || { rm -rf "$new"; skip "apt-get update for $pname failed (see $papt_dir/update.log)"; }
		mapfile -t pkgs < <(resolve_pkgs private)
		[ ${#pkgs[@]} -gt 0 ] || { rm -rf "$new"; skip "$meta not found in $pname"; }
		rm -f "$new"/dl/*
		(cd "$new/dl" && apt_download private "${pkgs[@]}") >"$new/dl.log" 2>&1 ||
			{ cat "$new/dl.log" >&2; rm -rf "$new"; skip "could not download ${pkgs[*]}"; }
		mode=private
	fi
	for p in "$new"/dl/*.deb; do dpkg-deb -x "$p" "$new/x" || { rm -rf "$new"; die "cannot unpack $p"; }; done
	printf '%s\n' "${pkgs[@]}" >"$new/packages"
	echo "$mode" >"$new/apt-mode"
	rm -rf "$new/dl" "$new/dl.log"

	local img cfg mdir rel
	img=$(ls "$new"/x/boot/vmlinuz-* "$new"/x/usr/lib/linux/vmlinuz-* "$new"/x/usr/lib/modules/*/vmlinuz 2>/dev/null | head -1)
	mdir=$(ls -d "$new"/x/lib/modules/*/ "$new"/x/usr/lib/modules/*/ 2>/dev/null | head -1)
	[ -n "$img" ] && [ -n "$mdir" ] || { rm -rf "$new"; die "no kernel image or modules in ${pkgs[*]}"; }
	mdir=${mdir%/}
	rel=${mdir##*/}
	cfg=$(ls "$new"/x/boot/config-"$rel" "$new"/x/usr/lib/linux/config-"$rel" "$mdir"/config 2>/dev/null | head -1)
	mv "$img" "$new/vmlinuz"
	[ -n "$cfg" ] && mv "$cfg" "$new/config"
	mkdir -p "$new/modules"
	mv "$mdir" "$new/modules/$rel"
	rm -rf "$new/x"
	echo "$rel" >"$new/release"
	# modules.dep for the guest's modprobe (busybox depmod: kmod may be absent)
	if [ ! -s "$new/modules/$rel/modules.dep" ]; then
		mkdir -p "$new/lib" && ln -s ../modules "$new/lib/modules" &&
			"$BUSYBOX" depmod -b "$new" "$rel" || { rm -rf "$new"; die "depmod failed for $rel"; }
		rm -rf "${new:?}/lib"
	fi
	# PVH entry: boot the uncompressed vmlinux when the kernel has CONFIG_PVH
	if grep -q '^CONFIG_PVH=y' "$new/config" 2>/dev/null && extract_vmlinux "$new/vmlinuz" "$new/vmlinux"; then
		:
	else
		rm -f "$new/vmlinux"
	fi
	rm -rf "$kd.old"
	[ -e "$kd" ] && mv "$kd" "$kd.old"
	mv "$new" "$kd" || die "cannot move $new to $kd"
	rm -rf "$kd.old"
}

# ---------------------------------------------------------------- initramfs
# The guest's /init (busybox sh). vmtest=DIR on the kernel command line names
# the per-run directory on the host (seen through 9p) with conf and run.sh.
# shellcheck disable=SC2016  # expanded in the guest
INIT_SCRIPT='#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /usr/bin /usr/sbin /lower /rw /newroot
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
halt() { poweroff -f; reboot -f; sleep 600; }
die() { echo "vmtest-init: error: $*"; halt; }
run=; for a in $(cat /proc/cmdline); do case "$a" in vmtest=*) run=${a#vmtest=} ;; esac; done
[ -n "$run" ] || die "no vmtest= on the kernel command line"
for m in $(cat /etc/boot-modules); do
	insmod /lib/modules/boot/$m.ko || die "insmod $m failed"
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lower ||
	die "cannot mount the host root over 9p"
[ -r "/lower$run/conf" ] || die "cannot read $run/conf"
. "/lower$run/conf"
mount -t tmpfs -o mode=0755 rw /rw && mkdir -p /rw/upper /rw/work || die "tmpfs"
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	die "cannot mount the overlay"
R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 shm $R/dev/shm
mount -t tmpfs -o mode=0755 run $R/run
mount -t bpf -o mode=0700 bpf $R/sys/fs/bpf
mount -t tracefs tracefs $R/sys/kernel/tracing
mount -t debugfs debugfs $R/sys/kernel/debug
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
# the guest kernel'"'"'s modules, for modprobe in the guest and for autoload
# (the kernel runs /sbin/modprobe from this initramfs)
if [ -d "/lower$MODDIR" ]; then
	mkdir -p /lib/modules/$REL $R/lib/modules/$REL
	mount --bind "/lower$MODDIR" /lib/modules/$REL
	mount --bind "/lower$MODDIR" $R/lib/modules/$REL
fi
ip link set lo up
hostname vmtest
stty -F /dev/ttyS1 raw -echo || die "no /dev/ttyS1"
stty -F /dev/ttyS2 raw -echo || die "no /dev/ttyS2"
# the command writes to pipes, as under a test runner, not to the serial ttys
mkfifo /out /err
cat /out >/dev/ttyS1 & c1=$!
cat /err >/dev/ttyS2 & c2=$!
echo "VMTEST_START_$NONCE"
env -i /bin/busybox chroot $R /bin/sh "$run/run.sh" </dev/null >/out 2>/err
rc=$?
# a background process of the command may still hold the pipes: give the
# copies 2 s to reach end of file, then stop them
i=0
while [ $i -lt 20 ] && { kill -0 $c1 || kill -0 $c2; } 2>/dev/null; do usleep 100000; i=$((i + 1)); done
kill $c1 $c2 2>/dev/null
# tcsetattr(TCSADRAIN): returns once the ports have sent everything
stty -F /dev/ttyS1 raw; stty -F /dev/ttyS2 raw
echo "VMTEST_EXIT_$NONCE=$rc"
stty -F /dev/console -echo
halt
'

BUSYBOX=/bin/busybox
if ! is_installed busybox-static; then
	# could not be installed (conflict with a dynamic busybox): unpack one
	BUSYBOX=$CACHE/busybox-static/bin/busybox
fi

INITRD_MODULES="virtio_pci 9pnet_virtio 9p overlay"
initrd_stamp() {
	printf '%s\n%s\n%s\n%s\n' "$INIT_SCRIPT" "$INITRD_MODULES" "$(cat "$CACHE/$kernel/release" 2>/dev/null)" \
		"$(cksum <"$BUSYBOX" 2>/dev/null)" | cksum
}
initrd_fresh() {
	[ -s "$CACHE/$kernel/initrd.img" ] && [ "$(cat "$CACHE/$kernel/initrd.stamp" 2>/dev/null)" = "$(initrd_stamp)" ]
}

# Build $CACHE/$kernel/initrd.img when missing or stale. Caller holds the lock.
prepare_initrd() {
	local kd=$CACHE/$kernel rel st m f
	initrd_fresh && return 0
	rel=$(cat "$kd/release")
	st=$(mktemp -d "$CACHE/.initrd.XXXXXX") || die "mktemp"
	prep_dirs+=("$st")
	mkdir -p "$st/bin" "$st/etc" "$st/lib/modules/boot"
	cp "$BUSYBOX" "$st/bin/busybox"
	printf '%s' "$INIT_SCRIPT" >"$st/init"
	chmod 755 "$st/init" "$st/bin/busybox"
	# boot modules and their dependencies, in load order (built-ins have no file)
	local order=() seen=" "
	add_mod() {
		local name=${1//-/_} path dep
		[[ "$seen" == *" $name "* ]] && return 0
		seen+="$name "
		path=$(grep -m1 -E "(^|/)(${name}|${name//_/-})\.ko(\.xz|\.zst|\.gz)?:" "$kd/modules/$rel/modules.dep" || true)
		[ -n "$path" ] || return 0
		for dep in ${path#*:}; do
			dep=${dep##*/}; add_mod "${dep%%.ko*}"
		done
		path=${path%%:*}
		f=$kd/modules/$rel/$path
		case "$f" in
		*.xz) xz -dc "$f" >"$st/lib/modules/boot/$name.ko" ;;
		*.zst) zstd -dcq "$f" >"$st/lib/modules/boot/$name.ko" ;;
		*.gz) gzip -dc "$f" >"$st/lib/modules/boot/$name.ko" ;;
		*) cp "$f" "$st/lib/modules/boot/$name.ko" ;;
		esac || die "cannot copy module $f"
		order+=("$name")
	}
	for m in $INITRD_MODULES; do add_mod "$m"; done
	printf '%s\n' "${order[@]}" >"$st/etc/boot-modules"
	(cd "$st" && find . -mindepth 1 | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1) >"$kd/initrd.img.tmp" ||
		{ rm -rf "$st"; die "cannot build the initramfs"; }
	rm -rf "$st"
	mv -f "$kd/initrd.img.tmp" "$kd/initrd.img"
	initrd_stamp >"$kd/initrd.stamp"
}

# One lock per kernel: runs hold it shared (so that no one replaces the kernel
# under them), preparing the cache holds it exclusive.
exec 9>"$CACHE/.lock-$kernel"
flock -s 9 || die "cannot lock $CACHE/.lock-$kernel"
if [ "$refresh" = 1 ] || [ ! -s "$CACHE/$kernel/release" ] || [ ! -x "$BUSYBOX" ] || ! initrd_fresh; then
	flock -u 9
	flock -x 9 || die "cannot lock $CACHE/.lock-$kernel"
	if [ ! -x "$BUSYBOX" ]; then
		log "fetching busybox-static into the cache"
		bd=$CACHE/busybox-static
		prep_dirs+=("$bd.$$")
		mkdir -p "$bd.$$"
		(cd "$bd.$$" && apt-get -o APT::Sandbox::User=root -qq download busybox-static &&
			dpkg-deb -x busybox-static_*.deb .) >/dev/null 2>&1 ||
			skip "busybox-static is neither installed nor downloadable"
		[ -x "$BUSYBOX" ] || mv -T "$bd.$$" "$bd" 2>/dev/null || [ -x "$BUSYBOX" ] ||
			die "cannot set up $bd"
	fi
	if [ "$refresh" = 1 ] || [ ! -s "$CACHE/$kernel/release" ]; then
		prepare_kernel
	fi
	prepare_initrd
	flock -s 9
fi

kd=$CACHE/$kernel
rel=$(cat "$kd/release")
if [ -s "$kd/vmlinux" ]; then boot=$kd/vmlinux; else boot=$kd/vmlinuz; fi

# ------------------------------------------------------------------ the run
# leftovers of runs that were killed outright (SIGKILL cannot be trapped)
for d in "${TMPDIR:-/tmp}"/vmtest.??????; do
	[ -f "$d/owner" ] || continue
	o=$(cat "$d/owner" 2>/dev/null)
	[ -n "$o" ] && [ "$o" != "$(cut -d' ' -f22 /proc/"${o%% *}"/stat 2>/dev/null | sed "s/^/${o%% *} /")" ] &&
		rm -rf "$d"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmtest.XXXXXX") || die "mktemp failed"
chmod 755 "$tmp"
echo "$$ $(cut -d' ' -f22 /proc/$$/stat)" >"$tmp/owner"
tmp=$(cd "$tmp" && pwd -P)
case "$tmp" in *[[:space:]]*) die "temp path has white space: $tmp" ;; esac
nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')

q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }
{
	echo "# generated by vmtest.sh"
	echo "cd $(q "$PWD") || exit 125"
	for v in PATH LANG LC_ALL TZ; do
		[ -n "${!v+x}" ] && echo "export $v=$(q "${!v}")"
	done
	echo "export HOME=/root VMTEST_KERNEL=$(q "$kernel")"
	for e in "${extra_env[@]}"; do echo "export ${e%%=*}=$(q "${e#*=}")"; done
	printf 'exec'
	for a in "$@"; do printf ' %s' "$(q "$a")"; done
	echo
} >"$tmp/run.sh"
{
	echo "NONCE=$nonce"
	echo "MODDIR=$kd/modules/$rel"
	echo "REL=$rel"
} >"$tmp/conf"

mkfifo "$tmp/out" "$tmp/err" "$tmp/con" || die "mkfifo failed"
setpriv --pdeathsig KILL -- cat "$tmp/out" 9>&- & readers+=($!)
setpriv --pdeathsig KILL -- cat "$tmp/err" >&2 9>&- & readers+=($!)
if [ "$verbose" = 1 ]; then
	setpriv --pdeathsig KILL -- tee "$tmp/console.log" <"$tmp/con" >&2 9>&- & readers+=($!)
	quiet=
else
	setpriv --pdeathsig KILL -- cat "$tmp/con" >"$tmp/console.log" 9>&- & readers+=($!)
	quiet=quiet
fi

smp=${VMTEST_SMP:-2}
tcg_thread=${VMTEST_TCG_THREAD:-$thread}
append="console=ttyS0 $quiet panic=-1 oops=panic mitigations=off nokaslr"
append+=" tsc=reliable no_timer_check 8250.nr_uarts=4 vmtest=$tmp"

# pdeathsig on both: if this script is killed outright, timeout and qemu go too
setpriv --pdeathsig KILL -- timeout -k 5 "$tmo" \
	setpriv --pdeathsig KILL -- "$QEMU" -name vmtest,process=vmtest-qemu \
	-nodefaults -no-user-config -display none -no-reboot \
	-machine pc -accel "tcg,thread=$tcg_thread" -cpu max -smp "$smp" -m "$mem" \
	-kernel "$boot" -initrd "$kd/initrd.img" -append "$append" \
	-fsdev local,id=hostroot,path=/,readonly=on,multidevs=remap,security_model=none \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-chardev file,id=con,path="$tmp/con" -serial chardev:con \
	-chardev file,id=out,path="$tmp/out" -serial chardev:out \
	-chardev file,id=err,path="$tmp/err" -serial chardev:err \
	-pidfile "$tmp/qemu.pid" \
	2>"$tmp/qemu.err" 9>&- &
qpid=$!
wait "$qpid"
qrc=$?
qpid=
# if qemu died before opening a port, its reader still waits in open():
# an open for reading and writing never blocks, and closing it gives EOF
for f in out err con; do exec 3<>"$tmp/$f"; exec 3>&-; done
for _ in $(seq 50); do
	alive=0
	for p in "${readers[@]}"; do	# exited but not yet reaped counts as done
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$p/status" 2>/dev/null)
		[ -n "$st" ] && [ "$st" != Z ] && alive=1
	done
	[ $alive = 0 ] && break
	sleep 0.1
done
for p in "${readers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
readers=()

con=$(tr -d '\r' <"$tmp/console.log" 2>/dev/null)
rc=$(sed -n "s/.*VMTEST_EXIT_$nonce=\([0-9]*\).*/\1/p" <<<"$con" | tail -1)
if [ -n "$rc" ]; then
	exit "$rc"
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	log "timed out after $tmo s (kernel $kernel); console tail:"
	tail -n 20 <<<"$con" | sed 's/^/  | /' >&2
	exit 124
fi
log "the guest reported no exit status (qemu status $qrc, kernel $kernel)"
[ -s "$tmp/qemu.err" ] && sed 's/^/  qemu: /' "$tmp/qemu.err" >&2
tail -n 30 <<<"$con" | sed 's/^/  | /' >&2
exit 125
