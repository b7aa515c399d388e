#!/bin/bash
# A single-node Slurm cluster on this machine, for the Slurm integration test (Debian 12, root, no systemd).
#   scripts/slurm-local.sh up     install slurmctld slurmd slurm-client munge if needed, configure, start, wait until idle
#   scripts/slurm-local.sh down   stop the daemons this script started (by their pid files) and munged
# Follows the tested recipe in shared/notes/slurm.md; the node is "localhost", partition "debug".
set -euo pipefail

conf=/etc/slurm/slurm.conf

install_packages() {
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null && return
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge
}

write_config() {
    local node
    node=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]*/NodeName=localhost/')
    mkdir -p /etc/slurm /var/log/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd
    cat > "$conf" <<CONF
ClusterName=local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MinJobAge=300
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
    [ -s /etc/munge/munge.key ] || mungekey --create
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge -m 0755 /run/munge
    munge -n >/dev/null 2>&1 || runuser -u munge -- /usr/sbin/munged
    munge -n | unmunge >/dev/null
}

up() {
    install_packages
    write_config
    start_munge
    # Starting a daemon that already runs replaces it (state kept), so `up` is safe to repeat.
    slurmctld
    slurmd -N localhost
    for _ in $(seq 300); do
        [ "$(sinfo -h -N -o %T 2>/dev/null)" = idle ] && { echo "slurm: node localhost idle, partition debug"; return; }
        sleep 0.1
    done
    echo "slurm: node not idle after 30 s; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
    exit 1
}

stop_pidfile() {
    local file=$1
    [ -s "$file" ] || return 0
    local pid
    pid=$(cat "$file")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "slurm: pid $pid from $file did not stop" >&2
}

down() {
    stop_pidfile /run/slurmd.pid
    stop_pidfile /run/slurmctld.pid
    if munge -n >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged --stop; fi
    echo "slurm: stopped"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
