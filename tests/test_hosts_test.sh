#!/usr/bin/env bash
# End-to-end test of scripts/test-hosts, the one-machine hosts of `faultline test --hosts`:
# up with 3 hosts (host 2 unprivileged, host 3 without libstdc++.so.6), then, over SSH from the
# controller's namespace with what HOSTS.json says: who each user is, iptables on a host (and
# that a rule there partitions one host from another), that hosts do not share files, that
# faultline-node cannot load on host 3; that the root namespace has nothing of the setup; that
# a second setup of the same name is refused; then that down leaves nothing (namespaces,
# mounts, processes, files), is idempotent, and that an up failing half-way cleans up too.
#
#   tests/test_hosts_test.sh WORK_DIR      (ctest: WORK_DIR is build/test_hosts_test)
#
# Needs root, sshd, ssh, ip and jq, and FAULTLINE_BIN/faultline-node: exit 77 (ctest's
# SKIP_RETURN_CODE, tests/CMakeLists.txt) when it is not root or a program is missing; exit 1
# on a failure. Sends packets only inside its own namespaces (198.19.201.0/24).
set -euo pipefail

readonly skipped_exit_code=77
skip() { echo "SKIPPED: $*"; exit $skipped_exit_code; }
fail() { echo "FAILED: $*" >&2; exit 1; }
test_started=$EPOCHREALTIME
pass() { echo "ok ($(((${EPOCHREALTIME/./} - ${test_started/./}) / 1000)) ms): $*"; }

[ $# -eq 1 ] || { echo "usage: $0 WORK_DIR" >&2; exit 2; }
[ "$EUID" -eq 0 ] || skip "scripts/test-hosts needs root (network namespaces, mounts)"
for program in /usr/sbin/sshd ssh ssh-keygen scp ip jq iptables; do
  command -v "$program" >/dev/null || skip "$program is missing (scripts/install-deps installs it)"
done
node_binary=${FAULTLINE_BIN:-$(dirname "$0")/../build/bin}/faultline-node
[ -x "$node_binary" ] || fail "$node_binary does not exist: build faultline-node first"

test_hosts=$(realpath "$(dirname "$0")/../scripts/test-hosts")
work=$(realpath -m "$1")
name=flhtest
subnet=198.19.201
hosts=$work/hosts.json
other_hosts=$work/other-hosts.json
mkdir -p "$work"
# A run killed before its trap leaves its setup: remove it (down is idempotent).
"$test_hosts" down "$hosts" >/dev/null
"$test_hosts" down "$other_hosts" >/dev/null
trap '"$test_hosts" down "$hosts" >/dev/null; "$test_hosts" down "$other_hosts" >/dev/null' EXIT

root_namespace_network() { # what the root namespace has: interfaces, addresses, routes
  ip -o link show | awk '{print $2}'
  ip -o addr show | awk '{print $2, $4}'
  ip route show table all
}

leftover_processes() { # processes chrooted under the work directory or in our namespaces
  find /proc -mindepth 2 -maxdepth 2 -name root -lname "$work/*" -printf '%h (root %l)\n' 2>/dev/null || true
  local namespace
  for namespace in $(ip netns list | awk '{print $1}' | grep -E "^$name-" || true); do
    ip netns pids "$namespace" | sed "s/\$/ (in $namespace)/"
  done
}

expect_nothing_left() { # when: namespaces, mounts, processes, files of the setup are gone
  local namespaces mounts processes
  namespaces=$(ip netns list | awk '{print $1}' | grep -E "^$name-" || true)
  [ -z "$namespaces" ] || fail "$1: namespaces left: $namespaces"
  mounts=$(grep -F "$work" /proc/self/mountinfo || true)
  [ -z "$mounts" ] || fail "$1: mounts left: $mounts"
  processes=$(leftover_processes)
  [ -z "$processes" ] || fail "$1: processes left: $processes"
  [ ! -e "$hosts" ] && [ ! -e "$hosts.d" ] || fail "$1: $hosts or $hosts.d left"
  [ "$(root_namespace_network)" = "$network_before" ] || fail "$1: the root namespace's network changed"
}

network_before=$(root_namespace_network)

# ---------------------------------------------------------------------------- a failing up
for step in namespaces roots sshd; do
  status=0
  FAULTLINE_TEST_HOSTS_FAIL_AT=$step "$test_hosts" up "$hosts" --name $name --subnet $subnet \
    --count 2 --unprivileged-host 1 --missing-library 2:libstdc++.so.6 >"$work/up.out" 2>&1 || status=$?
  [ $status -eq 3 ] || { cat "$work/up.out"; fail "an up failing after $step exits $status, not 3"; }
  grep -q "removing what it made" "$work/up.out" || fail "an up failing after $step says nothing of its cleanup"
  expect_nothing_left "after an up that failed after $step"
done
pass "an up that fails after making namespaces, roots or sshd removes everything it made"

# ------------------------------------------------------------------------------------------ up
started=$EPOCHREALTIME
"$test_hosts" up "$hosts" --name $name --subnet $subnet --unprivileged-host 2 \
  --missing-library 3:libstdc++.so.6 >"$work/up.out" || { cat "$work/up.out"; fail "up failed"; }
elapsed_ms=$(((${EPOCHREALTIME/./} - ${started/./}) / 1000))
cat "$work/up.out"
grep -qx "controller namespace: $name-ctl" "$work/up.out" || fail "up does not print the controller namespace"
pass "up of 3 hosts took $elapsed_ms ms"

jq -e --arg ctl "$name-ctl" --arg subnet "$subnet" --arg state "$hosts.d" '
  (keys == ["controller_namespace", "hosts"]) and .controller_namespace == $ctl
  and ([.hosts[] | keys] | unique == [["address", "clock", "identity", "known_hosts", "node", "port", "user"]])
  and ([.hosts[].address] == [$subnet + ".11", $subnet + ".12", $subnet + ".13"])
  and ([.hosts[].user] == ["root", "tester", "root"]) and ([.hosts[].node] == ["n1", "n2", "n3"])
  and all(.hosts[]; .port == 22 and .clock == false
          and .identity == $state + "/id_ed25519" and .known_hosts == $state + "/known_hosts")
' "$hosts" >/dev/null || { cat "$hosts"; fail "HOSTS.json is not as the contract says"; }
pass "HOSTS.json: 3 hosts, users root/tester/root, port 22, clock false, keys in the state directory"

ctl=$(jq -r .controller_namespace "$hosts")
addresses=() ports=() users=() identities=() known_hosts=()
while IFS=$'\t' read -r address port user identity known; do
  addresses+=("$address") ports+=("$port") users+=("$user") identities+=("$identity") known_hosts+=("$known")
done < <(jq -r '.hosts[] | [.address, .port, .user, .identity, .known_hosts] | @tsv' "$hosts")
ssh_options() { # index
  echo -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=5 \
    -i "${identities[$1]}" -o UserKnownHostsFile="${known_hosts[$1]}"
}
ssh_to() { # index user command...: SSH from the controller's namespace as HOSTS.json says
  local index=$1 user=$2
  shift 2
  # shellcheck disable=SC2046
  ip netns exec "$ctl" ssh $(ssh_options "$index") -p "${ports[index]}" "$user@${addresses[index]}" "$@" </dev/null
}
ssh_as_listed() { local index=$1; shift; ssh_to "$index" "${users[index]}" "$@"; }
scp_to() { # index file directory: upload as the listed user
  # shellcheck disable=SC2046
  ip netns exec "$ctl" scp -q $(ssh_options "$1") -P "${ports[$1]}" "$2" "${users[$1]}@${addresses[$1]}:$3" </dev/null
}

# ------------------------------------------------------------------------- users and iptables
for index in 0 1 2; do
  expected_uid=$([ "$index" -eq 1 ] && echo 1000 || echo 0)
  uid=$(ssh_as_listed $index id -u)
  [ "$uid" = "$expected_uid" ] || fail "host $((index + 1)): id -u is $uid, not $expected_uid"
  [ "$(ssh_as_listed $index hostname)" = "$name-h$((index + 1))" ] || fail "host $((index + 1)): wrong hostname"
done
pass "id -u over SSH: 0, 1000, 0; each host has its own hostname"

ssh_as_listed 0 iptables -S | grep -qx -- "-P INPUT ACCEPT" || fail "iptables -S as root on host 1"
ssh_as_listed 0 iptables -V | grep -q nf_tables || fail "iptables on host 1 is not the nf_tables backend"
! ssh_as_listed 1 /usr/sbin/iptables -S 2>/dev/null || fail "tester on host 2 can run iptables"
! ssh_as_listed 1 'command -v sudo' >/dev/null || fail "tester on host 2 has sudo"
pass "iptables (nf_tables) works as root over SSH; the unprivileged host has neither root nor sudo"

connects() { # index address: can that host open a TCP connection to address:22
  ssh_as_listed "$1" "timeout 5 bash -c 'exec 3<>/dev/tcp/$2/22' 2>/dev/null"
}
connects 2 "$subnet.11" && connects 1 "$subnet.11" || fail "hosts 3 and 2 cannot reach host 1"
rule="INPUT -s $subnet.13 -p tcp -j REJECT --reject-with tcp-reset"
ssh_as_listed 0 "iptables -w -A $rule"
! connects 2 "$subnet.11" || fail "a REJECT rule for host 3 on host 1 does not cut host 3 off"
connects 1 "$subnet.11" || fail "a REJECT rule for host 3 on host 1 cuts host 2 off too"
! ssh_to 2 root "iptables -S" | grep -q REJECT || fail "host 1's rule shows on host 3"
! iptables -S | grep -qF "$subnet." || fail "host 1's rule shows in the root namespace"
ssh_as_listed 0 "iptables -w -D $rule"
connects 2 "$subnet.11" || fail "host 3 cannot reach host 1 after the rule is deleted"
pass "hosts reach each other; an iptables rule on host 1 partitions host 3 from it, and only there"

# ------------------------------------------------------------------------ files and libraries
marker=faultline-test-hosts-$$
ssh_as_listed 0 "echo written on h1 >/tmp/$marker"
[ "$(cat "$hosts.d/h1/root/tmp/$marker")" = "written on h1" ] || fail "host 1's /tmp is not $hosts.d/h1/root/tmp"
ssh_as_listed 1 "test ! -e /tmp/$marker" || fail "host 1's file is visible on host 2"
[ ! -e "/tmp/$marker" ] || fail "host 1's file is visible in the real /tmp"
ssh_as_listed 0 "df -P / >/dev/null" || fail "df does not work on host 1"
pass "a file written on host 1 is neither on host 2 nor in the real /tmp"

scp_to 0 "$node_binary" /tmp/ && scp_to 2 "$node_binary" /tmp/ || fail "scp of faultline-node"
ssh_as_listed 0 "ldd /tmp/faultline-node" | grep -q "not found" && fail "faultline-node lacks a library on host 1"
ssh_as_listed 2 "ldd /tmp/faultline-node" | grep -q "libstdc++.so.6 => not found" ||
  fail "ldd on host 3 finds libstdc++.so.6"
load_error=$(ssh_as_listed 2 "/tmp/faultline-node --help" 2>&1 >/dev/null) && fail "faultline-node runs on host 3"
[[ $load_error == *"libstdc++.so.6: cannot open shared object file"* ]] ||
  fail "faultline-node on host 3 fails otherwise: $load_error"
pass "faultline-node uploaded with scp: ldd finds everything on host 1, not libstdc++.so.6 on host 3"

# ------------------------------------------------------------------------ the root namespace
! ip -o addr show | grep -qF " $subnet." || fail "the root namespace has an address in $subnet.0/24"
! ip route show table all | grep -qF "$subnet." || fail "the root namespace has a route to $subnet.0/24"
[ "$(ip route show to match "$subnet.11" | grep -v '^default' || true)" = "" ] ||
  fail "the root namespace has a route to $subnet.11 other than its default one"
[ "$(root_namespace_network)" = "$network_before" ] || fail "up changed the root namespace's network"
pass "the root namespace has no address, route or interface of the setup (no route to $subnet.11)"

# ------------------------------------------------------------------------ one setup per name
status=0
"$test_hosts" up "$other_hosts" --name $name --subnet $subnet >"$work/up-again.out" 2>&1 || status=$?
[ $status -eq 3 ] && grep -qF "scripts/test-hosts down $hosts" "$work/up-again.out" ||
  { cat "$work/up-again.out"; fail "a second setup named $name: exit $status, not 3 naming the down command"; }
[ ! -e "$other_hosts" ] && [ ! -e "$other_hosts.d" ] || fail "the refused up left files"
[ "$(ssh_as_listed 0 id -u)" = 0 ] || fail "the refused up broke the first setup"
pass "a second setup of the same name is refused (exit 3) with the command that removes the first"

# ------------------------------------------------------------------- ControlMaster multiplexing
control=(-o ControlMaster=auto -o ControlPath="$work/control-socket" -o ControlPersist=300)
ssh_as_listed 0 "${control[@]}" true
sessions=()
for session in 1 2 3 4 5 6 7 8 9 10 11 12; do
  ssh_as_listed 0 "${control[@]}" "echo \$\$" >"$work/session-$session.out" &
  sessions+=($!)
done
for pid in "${sessions[@]}"; do wait "$pid" || fail "a session through the control master failed"; done
master=$(ssh_as_listed 0 "${control[@]}" -O check 2>&1 | sed -n 's/^Master running (pid=\([0-9]*\)).*/\1/p')
[ -n "$master" ] || fail "no control master runs"
pass "12 concurrent sessions through one ControlMaster connection (master $master)"

# ---------------------------------------------------------------------------------------- down
ssh_as_listed 0 "sleep 300 </dev/null >/dev/null 2>&1 &" # a process the run left on a host
"$test_hosts" down "$hosts" || fail "down failed"
expect_nothing_left "after down"
state=$(awk '$1 == "State:" {print $2}' "/proc/$master/status" 2>/dev/null || true)
[ -z "$state" ] || [ "$state" = Z ] || fail "the control master $master in $ctl survives down"
rm -f "$work/control-socket" # killed with SIGKILL, the master could not remove its socket
"$test_hosts" down "$hosts" | grep -q "nothing to remove" || fail "a second down is not a no-op"
pass "down leaves no namespace, mount, process, file or root-namespace change, and can run twice"
rm -f "$work"/session-*.out "$work"/up.out "$work"/up-again.out
echo "PASSED"
