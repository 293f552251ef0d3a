# reelbox %post ($1: 1 on a first install, 2 on an upgrade): the same work as the deb's postinst.
roles="control-plane ingest encoder origin edge"
getent group reelbox >/dev/null || groupadd --system reelbox
getent passwd reelbox >/dev/null || useradd --system --gid reelbox --home-dir /var/lib/reelbox \
  --no-create-home --shell /sbin/nologin --comment "reelbox services" reelbox
install -d -o reelbox -g reelbox -m 0750 /var/lib/reelbox /var/log/reelbox
for role in $roles; do
  install -d -o reelbox -g reelbox -m 0750 "/var/lib/reelbox/$role"
done
if [ ! -e /etc/reelbox/cluster.env ]; then
  secret="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
  umask 027
  {
    echo "# The cluster secret every reelbox node shares (generated on first install)."
    echo "# Keep it private; every node of a cluster needs the same value."
    for var in CONTROL_PLANE INGEST ENCODER ORIGIN EDGE; do
      echo "REELBOX_${var}_CLUSTER_SECRET=$secret"
    done
  } > /etc/reelbox/cluster.env
  chown root:reelbox /etc/reelbox/cluster.env
  chmod 0640 /etc/reelbox/cluster.env
fi
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null 2>&1 || true
  if [ "$1" -ge 2 ]; then
    for role in $roles; do
      systemctl try-restart "reelbox-$role.service" >/dev/null 2>&1 || true
    done
  fi
fi
exit 0
