# Helpers shared by the integration tests and the benchmarks (sourced).

# wait_for FILE REGEX [SECONDS]: until FILE has a line matching REGEX.
wait_for() {
	local i
	for ((i = 0; i < ${3:-10} * 20; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Inode number of a named network namespace (what socktap calls netns).
netns_inode() { ip netns exec "$1" stat -L -c %i /proc/self/ns/net; }

# Number of socktap BPF programs loaded anywhere on the machine.
socktap_progs() {
	bpftool prog show -j 2>/dev/null | jq '[.[] | select((.name // "") | startswith("stp_"))] | length'
}
