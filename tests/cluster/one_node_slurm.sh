# A one-node Slurm on localhost for tests, from Debian's slurm-wlm and munge: sourced by
# run_cluster_test.sh. Everything it starts -- munged, slurmctld, slurmd -- runs from a
# generated configuration in $cluster_dir with its own munge socket, key, ports, spool and
# state directories, so it touches no system service or /etc file, and stop_slurm kills exactly
# the daemons it started (by their pid files).
#
# The daemons run as root (slurmd starts each job as the submitting user); without root the
# script uses `sudo -n`. Needs: cluster_dir (an empty directory), log (a function printing a
# line).

slurm_sudo=()
if [ "$(id -u)" -ne 0 ]; then slurm_sudo=(sudo -n); fi

slurm_node=haqsim-test-node
slurm_free_port() {  # a TCP port nobody listens on (slurmctld's, then slurmd's)
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_slurm() {
  local d=$cluster_dir
  # $d is ours (slurm.conf is written here); the daemons' directories are root's. The munge
  # directory stays readable: clients (sbatch, squeue as the user) reach munged's socket there,
  # and munged only insists that no one else may write to it and that the key is private.
  mkdir -p "$d"
  "${slurm_sudo[@]}" mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
  "${slurm_sudo[@]}" chmod 0755 "$d/munge"
  # munge: a fresh key, its own socket; --force because the tests may run it as root.
  "${slurm_sudo[@]}" mungekey --create --keyfile="$d/munge/munge.key" --force
  "${slurm_sudo[@]}" munged --force --socket="$d/munge/munge.socket" \
    --key-file="$d/munge/munge.key" --pid-file="$d/munge/munged.pid" \
    --log-file="$d/log/munged.log" --seed-file="$d/munge/munged.seed"
  log "munged up (pid $("${slurm_sudo[@]}" cat "$d/munge/munged.pid"), socket $d/munge/munge.socket)"

  local cpus ctld_port slurmd_port user
  cpus=$(nproc)
  ctld_port=$(slurm_free_port)
  slurmd_port=$(slurm_free_port)
  user=$(id -un)
  # proctrack/linuxproc and task/none need no cgroups (containers often have none to delegate);
  # no accounting database: job states come from slurmctld (MinJobAge keeps them an hour).
  cat > "$d/slurm.conf.new" <<CONF
ClusterName=haqsim-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
SlurmdTimeout=60
NodeName=$slurm_node NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$slurm_node Default=YES MaxTime=INFINITE State=UP
CONF
  "${slurm_sudo[@]}" mv "$d/slurm.conf.new" "$d/slurm.conf"
  export SLURM_CONF=$d/slurm.conf
  "${slurm_sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmctld -i
  "${slurm_sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmd -N "$slurm_node"
  local waited=0
  until sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; do
    sleep 1
    waited=$((waited + 1))
    if [ "$waited" -ge 60 ]; then
      log "the node did not become idle within 60 s; slurmctld.log and slurmd.log:"
      "${slurm_sudo[@]}" tail -n 20 "$d/log/slurmctld.log" "$d/log/slurmd.log" >&2 || true
      return 1
    fi
  done
  log "slurmctld up (pid $("${slurm_sudo[@]}" cat "$d/slurmctld.pid"), port $ctld_port)," \
    "slurmd up (pid $("${slurm_sudo[@]}" cat "$d/slurmd.pid"), port $slurmd_port)," \
    "node $slurm_node idle with $cpus CPUs after ${waited} s (jobs run as $user)"
}

stop_slurm() {
  local d=$cluster_dir pidfile
  for pidfile in "$d/slurmd.pid" "$d/slurmctld.pid" "$d/munge/munged.pid"; do
    if "${slurm_sudo[@]}" test -f "$pidfile"; then
      "${slurm_sudo[@]}" kill "$("${slurm_sudo[@]}" cat "$pidfile")" 2>/dev/null || true
    fi
  done
  # Wait for them to exit, so the directory can go.
  for _ in $(seq 20); do
    local alive=0
    for pidfile in "$d/slurmd.pid" "$d/slurmctld.pid" "$d/munge/munged.pid"; do
      if "${slurm_sudo[@]}" test -f "$pidfile" &&
        "${slurm_sudo[@]}" kill -0 "$("${slurm_sudo[@]}" cat "$pidfile")" 2>/dev/null; then
        alive=1
      fi
    done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.5
  done
}
