#!/bin/sh
# Runs ffmpeg so that it dies with the evidock process that started it: a worker killed mid-transcode
# must not leave an encoder running (the job runs again elsewhere). setpriv sets the parent-death
# signal and becomes ffmpeg; without setpriv (not Linux) ffmpeg runs plainly.
if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --pdeathsig KILL -- ffmpeg "$@"
fi
exec ffmpeg "$@"
