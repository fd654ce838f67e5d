#!/usr/bin/env python3
"""The seed tutorial's server, ported to Python 3 (see ../shared/seed).

Differences from the original, all needed to test against it: the host and
port come from the command line (port 0 lets the kernel choose; the chosen
port is printed as "port N"), it serves --count clients then exits, and it
binds 127.0.0.1 unless told otherwise.
"""
import argparse
import socket
import sys

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("--count", type=int, default=1)
    a = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((a.host, a.port))
    sock.listen(5)
    print("port", sock.getsockname()[1], flush=True)
    for _ in range(a.count):
        connection, address = sock.accept()
        try:
            connection.settimeout(5)
            buf = connection.recv(1024)
            if buf == b'1':
                connection.send(b'welcome to server!')
            else:
                connection.send(b'please go out!')
        except socket.timeout:
            print('time out', flush=True)
        connection.close()
    sock.close()
    sys.exit(0)
