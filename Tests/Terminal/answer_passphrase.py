#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers each passphrase prompt it writes there with
$AGE_TEST_PASSPHRASE; age reads passphrases from the terminal only, so a pty is the only way to
script it. Prints what the command wrote to our stderr; exits with its exit code.
Usage: answer_passphrase.py COMMAND [ARG...]"""
import os, pty, select, sys, time

pw = os.environ['AGE_TEST_PASSPHRASE'].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
answered = 0
deadline = time.time() + 120
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 1)
    if fd not in r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    while out.lower().count(b'passphrase') > answered:
        os.write(fd, pw + b'\n')
        answered += 1
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stderr.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
