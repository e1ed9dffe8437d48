#!/usr/bin/env python3
"""tests/pathological/measure.py OUT CMD...: runs CMD, then writes
"<exit code> <peak RSS in KB> <seconds>" to OUT (the peak of CMD and its
children, from getrusage). CMD's stdin, stdout and stderr are inherited.
A killed CMD gives exit code 128 + signal, as the shell reports it."""
import resource, subprocess, sys, time

start = time.monotonic()
rc = subprocess.call(sys.argv[2:])
if rc < 0:
    rc = 128 - rc
secs = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], 'w') as f:
    f.write('%d %d %.1f\n' % (rc, rss, secs))
sys.exit(0)
