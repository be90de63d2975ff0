#!/usr/bin/env bash
# End-to-end check of the cluster path: run the SLURM job array that docs/sweep.md shows on a
# one-node SLURM cluster on this machine, join the parts with `deter merge`, and check that the
# merged file is byte-identical to the same sweep run in one process.
#
# Usage: scripts/slurm-e2e.sh [WORK_DIR]
#   DETER_BIN: the deter binary (default: target/release/deter).
#   Installs Debian's slurmctld, slurmd, slurm-client and munge with apt-get when SLURM is
#   missing and we are root (set DETER_E2E_NO_INSTALL=1 to forbid that). Exit codes: 0 pass,
#   1 fail, 77 skipped (SLURM cannot be installed or started here), the Automake convention.
#
# The job script is taken from docs/sweep.md itself (the first ```sh block under "A SLURM job
# array"), with only the grid made smaller (4000 → $POINTS points per axis) and one CPU per task
# (a two-core machine cannot grant eight), so the documented script is what runs.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$repo/target/slurm-e2e}"
points="${POINTS:-120}"
bin="${DETER_BIN:-$repo/target/release/deter}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

skip() { echo "slurm-e2e: SKIPPED: $*" >&2; exit 77; }
fail() { echo "slurm-e2e: FAIL: $*" >&2; exit 1; }

[ -x "$bin" ] || fail "no deter binary at $bin (build with cargo build --release or set DETER_BIN)"

have_slurm() { command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; }
if ! have_slurm; then
  if [ "${DETER_E2E_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "slurm-e2e: installing slurmctld slurmd slurm-client munge with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { timeout 600 apt-get update && timeout 900 apt-get install -y slurmctld slurmd slurm-client munge; } >"$work/apt.log" 2>&1; then
      skip "apt-get could not install SLURM (see $work/apt.log)"
    fi
  fi
  have_slurm || skip "SLURM is not installed and cannot be installed here (needs root and apt-get)"
fi

# --- a one-node cluster on this machine, everything under $work -----------------------------
pids=()
cleanup() {
  scancel --user="$(id -un)" >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

host="$(hostname -s)"
cpus="$(nproc)"
mem="$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)"
state="$work/state"
rm -rf "$state"
mkdir -p "$state/ctld" "$state/d" "$state/munge"
# Ports nothing listens on (another cluster, or another run of this script, may hold the
# default 6817/6818): a refused connection means the port is free.
free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ "$p" != "${1:-}" ]; then
      echo "$p"
      return
    fi
  done
  skip "no free TCP port found for the cluster"
}
ctld_port="$(free_port)"
d_port="$(free_port "$ctld_port")"
[ -n "$ctld_port" ] && [ -n "$d_port" ] || skip "no free TCP port found for the cluster"
conf="$work/slurm.conf"
cat >"$conf" <<EOF
ClusterName=deter-e2e
SlurmctldHost=$host
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"

# munge: a key of our own and a daemon on our own socket.
key="$state/munge/munge.key"
dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
chmod 400 "$key"
sock="$state/munge/munge.socket"
munged --key-file="$key" --socket="$sock" --pid-file="$state/munge/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$state/munge/seed" --force >/dev/null 2>&1 ||
  skip "munged would not start (see $work/munged.log)"
pids+=("$(cat "$state/munge/munged.pid")")
# SLURM's munge plugins find the socket through this variable.
export MUNGE_SOCKET="$sock"
sed -i "s|^AuthType=auth/munge|AuthType=auth/munge\nAuthInfo=socket=$sock|" "$conf"

slurmctld -f "$conf" -D >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -f "$conf" -D >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)'; then break; fi
  sleep 1
done
sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)' ||
  skip "the one-node cluster did not come up (see $work/slurmctld.log, $work/slurmd.log)"
echo "slurm-e2e: cluster up ($host, $cpus CPUs)" >&2

# --- the documented job array -------------------------------------------------------------
run="$work/run"
rm -rf "$run"
mkdir -p "$run"
ln -s "$repo/models" "$run/models"
awk '/^### A SLURM job array/ {f = 1} f && /^```sh/ {p = 1; next} p && /^```/ {exit} p' \
  "$repo/docs/sweep.md" >"$run/sweep.sbatch"
grep -q -- '--array=1-16' "$run/sweep.sbatch" || fail "no job script found in docs/sweep.md"
sed -i -e "s/4000/$points/g" -e 's/--cpus-per-task=8/--cpus-per-task=1/' "$run/sweep.sbatch"
awk '/^then, when every task has finished/ {f = 1} f && /^```sh/ {p = 1; next} p && /^```/ {exit} p' \
  "$repo/docs/sweep.md" >"$run/merge.sh"
grep -q 'deter merge' "$run/merge.sh" || fail "no merge command found in docs/sweep.md"

export PATH="$(dirname "$bin"):$PATH"
cd "$run"
start=$(date +%s.%N)
sbatch --wait sweep.sbatch >"$work/sbatch.out" 2>&1 ||
  fail "the job array failed: $(cat "$work/sbatch.out"; tail -n 5 sweep-*.log 2>/dev/null)"
end=$(date +%s.%N)
bash merge.sh || fail "deter merge failed"
merged="$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /\.csv$/) {print $i; exit}}' merge.sh)"

# --- the same sweep in one process --------------------------------------------------------
single_cmd="$(sed -n '/^deter sweep/,/--out/p' sweep.sbatch | tr -d '\\' | tr '\n' ' ' |
  sed -e 's/--shard [^ ]*//' -e 's/--resume//' -e 's/--out [^ ]*/--out single.csv/')"
eval "$single_cmd --quiet" || fail "the single-process sweep failed: $single_cmd"
cmp -s "$merged" single.csv || fail "$merged differs from the single-process sweep (cmp $run/$merged $run/single.csv)"
rows=$(($(grep -vc '^#' single.csv) - 1))
printf 'slurm-e2e: PASS: 16-task job array of %s points (%.1f s under SLURM) merged byte-identical to one process\n' \
  "$rows" "$(echo "$end - $start" | bc)" >&2
