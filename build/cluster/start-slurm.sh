#!/usr/bin/env bash
# A single-node Slurm (slurmctld, slurmd and munge from Debian's packages) on this machine, for the cluster tests:
# installs the packages where missing, writes a slurm.conf for this host (one partition "road"), and starts the
# daemons unless they answer already. Needs root. Accounting is off, so sacct has nothing; Road's RunStatus reads
# squeue and the run folder instead.
set -euo pipefail
if [[ $(id -u) -ne 0 ]]; then
  echo "start-slurm.sh starts slurmctld, slurmd and munged, which needs root; on a shared machine ask for a Slurm test partition instead." >&2
  exit 1
fi
if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null; }
fi
if sinfo -h -o %T 2> /dev/null | grep -q -E '^(idle|mixed|allocated)'; then exit 0; fi

host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge
cat > /etc/slurm/slurm.conf <<CONF
# Written by Road's build/cluster/start-slurm.sh: one node, this machine.
ClusterName=road
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerParameters=defer_batch=0
DefMemPerCPU=2048
NodeName=${host} CPUs=${cpus} RealMemory=${memory} State=UNKNOWN
PartitionName=road Nodes=${host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:${cpus}
CONF
if [[ ! -s /etc/munge/munge.key ]]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
chmod 0700 /etc/munge
pgrep -x munged > /dev/null || runuser -u munge -- /usr/sbin/munged
pgrep -x slurmctld > /dev/null || slurmctld
pgrep -x slurmd > /dev/null || slurmd
for _ in $(seq 60); do
  if sinfo -h -o %T 2> /dev/null | grep -q -E '^(idle|mixed|allocated)'; then exit 0; fi
  scontrol update nodename="${host}" state=resume > /dev/null 2>&1 || true
  sleep 1
done
echo "Slurm did not bring node ${host} up within a minute; see /var/log/slurm/slurmctld.log and slurmd.log." >&2
exit 1
