#!/usr/bin/env bash
# A real single-node Slurm (Debian's slurm-wlm and munge, tools/install-deps.sh), configured here
# in a temporary folder: munged as user munge on its own socket and key, slurmctld and slurmd on
# localhost ports of their own. tools/slurm/submit-analyze.sh submits the demo dataset as an
# array of 3 shards running attnx-cli and the merge job after it; the merged stats.json and
# summary.csv must equal an unsharded attnx-cli analyze (examples and groups within 1e-6). The
# node has one GPU resource (on /dev/null): the shards ask for it, the merge must not.
# Everything started is stopped by PID on exit. Needs root (slurmd runs jobs as their user).
#   test_slurm_array.sh ATTNX_CLI SOURCE_DIR PYTHON3
set -euo pipefail
cli=$1
src=$2
python=${3:-python3}
fail() { echo "slurm test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "must run as root: slurmd starts the jobs as their user"
for p in munged slurmctld slurmd sbatch squeue; do
  command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || fail "$p is missing (tools/install-deps.sh installs slurm-wlm and munge)"
done
export PATH="/usr/sbin:$PATH"

t=$(mktemp -d /tmp/attnx-slurm-XXXXXX)
chmod 755 "$t"
pids=()
jobs_submitted=""
cleanup() {
  # Jobs first (their steps would outlive slurmd), then the daemons, by PID.
  if [ -n "$jobs_submitted" ]; then
    scancel "$jobs_submitted" 2>/dev/null || true
    for _ in $(seq 100); do [ -z "$(squeue -h -j "$jobs_submitted" 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$t"
}
trap cleanup EXIT
dump_logs() {
  for f in "$t"/log/*.log "$t"/out/logs/*.out; do
    [ -f "$f" ] && { echo "---- $f"; tail -n 20 "$f"; } >&2
  done
}
# Waits until the file `$1` exists (a daemon's PID file), at most $2 seconds.
wait_for() {
  for _ in $(seq $(($2 * 10))); do [ -s "$1" ] && return 0; sleep 0.1; done
  dump_logs
  fail "$1 did not appear within $2 s"
}

# munge: its own key and socket, so that nothing of the machine's is used or disturbed.
mkdir -p "$t/munge" "$t/log" "$t/state" "$t/spool" "$t/out"
chown munge:munge "$t/munge"
chmod 700 "$t/munge"
dd if=/dev/urandom of="$t/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$t/munge/munge.key"
chmod 400 "$t/munge/munge.key"
runuser -u munge -- munged --force --socket="$t/munge/munge.sock" --key-file="$t/munge/munge.key" \
  --pid-file="$t/munge/munged.pid" --log-file="$t/munge/munged.log" --seed-file="$t/munge/seed"
wait_for "$t/munge/munged.pid" 20
pids+=("$(cat "$t/munge/munged.pid")")

host=$(hostname -s)
base=$((20000 + ($$ % 10000) * 2))
cat >"$t/slurm.conf" <<CONF
ClusterName=attnx-test
SlurmctldHost=$host
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$t/munge/munge.sock
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/log/slurmctld.log
SlurmdLogFile=$t/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
GresTypes=gpu
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) Gres=gpu:1 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# One GPU for Slurm to grant and account: slurmd drops a GPU without a device file, and with
# TaskPlugin=task/none nothing is confined to it, so /dev/null serves.
echo "NodeName=$host Name=gpu File=/dev/null Count=1" >"$t/gres.conf"
export SLURM_CONF="$t/slurm.conf"
slurmctld -f "$SLURM_CONF"
wait_for "$t/slurmctld.pid" 30
pids+=("$(cat "$t/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
wait_for "$t/slurmd.pid" 30
pids+=("$(cat "$t/slurmd.pid")")
# The node is up once it registered.
for _ in $(seq 300); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case "$state" in idle* | mix* | alloc*) break ;; esac
  sleep 0.1
done
case "$state" in idle* | mix* | alloc*) ;; *) dump_logs; fail "the node did not come up (state '$state')" ;; esac

demo="$src/resources/demo"
args=(--model "$demo" --examples "$demo/examples.jsonl" --soft-tokens "$demo/soft_tokens.safetensors"
      --bos-after-soft --threads 1)
ids=$(ATTNX_CLI="$cli" "$src/tools/slurm/submit-analyze.sh" 3 "$t/out" --gres=gpu:1 -- "${args[@]}")
read -r array merge <<<"$ids"
jobs_submitted="$array,$merge"
echo "slurm test: array job $array, merge job $merge"
# The shards hold the GPU, the merge (statistics only) asks for none.
gres_of() { scontrol -o show job "$1" | grep -io 'gres[:/=]gpu[^ ]*' | head -n 1 || true; }
[ -n "$(gres_of "$array")" ] || fail "the shards did not ask for the GPU: $(scontrol -o show job "$array" | head -c 2000)"
[ -z "$(gres_of "$merge")" ] || fail "the merge job asks for a GPU ($(gres_of "$merge"))"
# Both jobs leave the queue when done; bounded, so that a stuck cluster fails the test.
deadline=$((SECONDS + 300))
while [ -n "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; do
  [ $SECONDS -lt $deadline ] || { dump_logs; squeue >&2 || true; fail "the jobs did not finish within 300 s"; }
  sleep 0.5
done
[ -f "$t/out/stats.json" ] || { dump_logs; fail "the merge job wrote no stats.json"; }
for k in 1 2 3; do [ -f "$t/out/shard-$k/stats.json" ] || fail "shard $k wrote no stats.json"; done

"$cli" analyze "${args[@]}" --out "$t/unsharded" 2>"$t/log/unsharded.log" ||
  { cat "$t/log/unsharded.log" >&2; fail "the unsharded run failed"; }
cmp -s "$t/out/summary.csv" "$t/unsharded/summary.csv" || fail "summary.csv differs from the unsharded run's"
"$python" - "$t/out/stats.json" "$t/unsharded/stats.json" <<'PY'
import json, math, sys
merged, alone = (json.load(open(p)) for p in sys.argv[1:3])
def diff(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b)
    if type(a) != type(b):
        return math.inf
    if isinstance(a, dict):
        return max([diff(v, b[k]) if k in b else math.inf for k, v in a.items()] + [0]) \
            if a.keys() == b.keys() else math.inf
    if isinstance(a, list):
        return max([diff(x, y) for x, y in zip(a, b)] + [0]) if len(a) == len(b) else math.inf
    return 0 if a == b else math.inf
d = max(diff(merged["examples"], alone["examples"]), diff(merged["groups"], alone["groups"]))
print("slurm test: %d examples, merged vs unsharded max |diff| %.3g (tolerance 1e-6)"
      % (len(merged["examples"]), d))
sys.exit(0 if d <= 1e-6 and len(merged["examples"]) == 48 else 1)
PY
echo "slurm test: passed"
