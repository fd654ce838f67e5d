#!/usr/bin/env python3
"""The socket tutorial's client, in Python 3 (../../../shared/seed).

Connects to port 9001, sleeps 2 seconds, sends '1', prints the reply.  It
sets a 5-second timeout first, as careful clients do: Python then makes the
socket non-blocking, and connect() returns EINPROGRESS before poll() says
the handshake is done (sockstep trace shows it).  The port may be given as
the first argument or SOCKSTEP_PORT, the pause as the second.
"""
import os
import socket
import sys
import time

port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("SOCKSTEP_PORT", "9001"))
pause = float(sys.argv[2]) if len(sys.argv) > 2 else 2

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.settimeout(5)
sock.connect(('127.0.0.1', port))
time.sleep(pause)
sock.send(b'1')
print(sock.recv(1024).decode())
sock.close()
