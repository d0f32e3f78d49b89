#!/bin/sh
# Runs a tool ("$1": ffmpeg or ffprobe) so that it dies with the evidock process that started it: a worker
# killed mid-transcode must not leave an encoder running (the job runs again elsewhere). setpriv sets the
# parent-death signal and becomes the tool; without setpriv (not Linux) the tool runs plainly.
if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --pdeathsig KILL -- "$@"
fi
exec "$@"
