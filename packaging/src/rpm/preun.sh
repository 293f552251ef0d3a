# reelbox %preun ($1: 0 when the package is being erased, 1 on an upgrade).
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
  for role in control-plane ingest encoder origin edge; do
    systemctl stop "reelbox-$role.service" >/dev/null 2>&1 || true
  done
fi
exit 0
