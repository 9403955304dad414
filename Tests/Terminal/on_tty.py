#!/usr/bin/env python3
"""Runs a command with its stdout and stderr on a pseudo-terminal; prints everything it wrote
there to our stdout and exits with its exit code. Usage: on_tty.py COMMAND [ARG...]"""
import fcntl, os, struct, subprocess, sys, termios

master, slave = os.openpty()
# 50 rows of 200 columns: wide enough that no progress line is cut.
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
captured = bytearray()
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed its end
        break
    if not chunk:
        break
    captured += chunk
sys.stdout.buffer.write(bytes(captured))
sys.exit(child.wait())
