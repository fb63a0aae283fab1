#!/usr/bin/env bash
# The Debian package, built by dpkg-buildpackage from a clean copy of HEAD
# (git archive, in T_TMP: the working tree and its build/ are not touched):
# lintian finds no errors, the unpacked package's socktap runs (--version,
# doctor, ss) like the tree's, and dpkg installs and removes it in a
# throwaway root with a dpkg database of its own (the host's is not used).
. "$(dirname "$0")/lib.sh"

repo=$(cd "$(dirname "$0")/../.." && pwd)
for t in dpkg-buildpackage dpkg-checkbuilddeps dh lintian git; do
	command -v "$t" >/dev/null || skip "no $t (apt-get install dpkg-dev debhelper lintian git)"
done
git -C "$repo" rev-parse --verify -q HEAD:debian/control >/dev/null ||
	skip "HEAD has no debian/ (not a git checkout, or not committed yet)"

src=$T_TMP/src/socktap
mkdir -p "$src"
git -C "$repo" archive --format=tar HEAD | tar -x -C "$src" ||
	{ fail archive "git archive HEAD failed"; finish; }
if ! (cd "$src" && dpkg-checkbuilddeps) >"$T_TMP/deps" 2>&1; then
	fail build-deps "$(tail -n 1 "$T_TMP/deps")"
	finish
fi

# The build runs the unit tests too (dh_auto_test), unless DEB_BUILD_OPTIONS
# has nocheck. About 30 s on 2 cores.
(cd "$src" && timeout -k 10 300 dpkg-buildpackage -us -uc -b) >"$T_TMP/build.log" 2>&1
rc=$?
check_eq dpkg-buildpackage 0 $rc
if [ $rc -ne 0 ]; then
	tail -n 20 "$T_TMP/build.log" | sed 's/^/# /'
	finish
fi
ver=$(cd "$src" && dpkg-parsechangelog -S Version)
deb=$T_TMP/src/socktap_${ver}_$(dpkg --print-architecture).deb
check_true deb-built test -f "$deb"
[ -f "$deb" ] || finish

# lintian: no errors; warnings are listed here (and do not fail the test)
lintian "$deb" >"$T_TMP/lintian" 2>"$T_TMP/lintian.err"
check_eq lintian-no-errors "" "$(grep '^E: ' "$T_TMP/lintian")"
grep '^W: ' "$T_TMP/lintian" | sed 's/^/# lintian /'

# the package's contents and metadata
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T_TMP/contents"
has() { grep -qx -- "$1" "$T_TMP/contents"; }
check_true has-binary has /usr/sbin/socktap
check_true has-unit has /lib/systemd/system/socktap-export.service
check_true has-copyright has /usr/share/doc/socktap/copyright
nman=$(git -C "$repo" ls-tree --name-only HEAD man/ 2>/dev/null | grep -c '\.8$')
check_eq man-pages "$nman" "$(grep -c '^/usr/share/man/man8/.*\.8\.gz$' "$T_TMP/contents")"
check_eq section net "$(dpkg-deb -f "$deb" Section)"
check_true depends-libbpf grep -q 'libbpf1' <<<"$(dpkg-deb -f "$deb" Depends)"
# export opens libmicrohttpd at run time: a dependency of its own
check_true depends-microhttpd grep -q 'libmicrohttpd12' <<<"$(dpkg-deb -f "$deb" Depends)"

# unpacked: the package's binary against the tree's
x=$T_TMP/x
dpkg -x "$deb" "$x"
bin=$x/usr/sbin/socktap
check_eq mode 755 "$(stat -c %a "$bin")"
"$bin" --version >"$T_TMP/version" 2>&1
check_eq version-status 0 $?
check_eq version "socktap $ver" "$(head -n 1 "$T_TMP/version")"
libbpf=$(sed -n 2p "$T_TMP/version")
check_true version-libbpf grep -qE '^libbpf [0-9]+\.[0-9]+$' <<<"$libbpf"
check_eq unit-execstart "ExecStart=/usr/sbin/socktap" \
	"$(grep -o '^ExecStart=[^ ]*' "$x/lib/systemd/system/socktap-export.service")"

"$bin" -j doctor >"$T_TMP/doctor.json" 2>"$T_TMP/doctor.err"
"$SOCKTAP" -j doctor >"$T_TMP/doctor-tree.json" 2>/dev/null
dj() { jq -r "$1" "$T_TMP/doctor.json" 2>/dev/null; }
check_eq doctor-ok "$(jq -r .ok "$T_TMP/doctor-tree.json")" "$(dj .ok)"
check_eq doctor-version "$ver" "$(dj .version)"
check_eq doctor-libbpf "libbpf $(dj .libbpf_version)" "$libbpf"
check_true doctor-text-version grep -qE "^socktap: +$ver \\(libbpf [0-9.]+\\)$" \
	<<<"$("$bin" doctor 2>/dev/null)"

# ss: the columns are sized to the sockets of the moment: compare words
"$bin" ss -tan >"$T_TMP/ss" 2>"$T_TMP/ss.err"
check_eq ss-status 0 $?
"$SOCKTAP" ss -tan >"$T_TMP/ss-tree" 2>/dev/null
check_eq ss-header "$(head -n 1 "$T_TMP/ss-tree" | tr -s ' ')" "$(head -n 1 "$T_TMP/ss" | tr -s ' ')"

# dpkg itself, in a throwaway root: its own database, and a /bin/sh for the
# maintainer scripts, which dpkg runs chrooted there (they find no systemd
# and no deb-systemd-helper, so they touch nothing)
r=$T_TMP/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers" "$r/bin"
touch "$r/var/lib/dpkg/status" "$r/var/lib/dpkg/available"
cp "$(readlink -f /bin/sh)" "$r/bin/sh"
seeded=/bin/sh
for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do
	install -D "$lib" "$r$lib"
	seeded="$seeded"$'\n'"$lib"
done
rdpkg() { dpkg --root="$r" --log="$T_TMP/dpkg.log" --force-depends --force-not-root "$@"; }
rdpkg -i "$deb" >"$T_TMP/dpkg-i" 2>&1
check_eq dpkg-install 0 $?
check_eq dpkg-status "install ok installed" "$(dpkg-query --root="$r" -W -f='${Status}' socktap 2>&1)"
check_eq dpkg-root-version "socktap $ver" "$("$r/usr/sbin/socktap" --version | head -n 1)"
check_true dpkg-root-ss "$r/usr/sbin/socktap" ss -tan
files=$(grep -v '/$' "$T_TMP/contents")
present=0
for f in $files; do [ -e "$r$f" ] && present=$((present + 1)); done
check_eq dpkg-files-present "$(wc -w <<<"$files")" "$present"
rdpkg -r socktap >"$T_TMP/dpkg-r" 2>&1
check_eq dpkg-remove 0 $?
left=""
for f in $files; do [ -e "$r$f" ] && left="$left $f"; done
check_eq dpkg-files-removed "" "$left"
rdpkg -P socktap >"$T_TMP/dpkg-p" 2>&1
check_eq dpkg-purge 0 $?
check_eq dpkg-purged "" "$(dpkg-query --root="$r" -W -f='${Status}' socktap 2>/dev/null)"
# nothing left but dpkg's database and what was put there for the scripts
check_eq dpkg-root-empty "" "$(cd "$r" && find . ! -type d ! -path './var/lib/dpkg/*' |
	sed 's|^\.||' | grep -vxF -- "$seeded")"
finish
