# reelbox %postun: rpm keeps changed %config(noreplace) files as .rpmsave; the secret and the
# videos in /var/lib/reelbox stay (see deploy.md, "Removing").
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null 2>&1 || true
fi
exit 0
