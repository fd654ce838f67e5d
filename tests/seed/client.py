#!/usr/bin/env python3
"""The seed tutorial's client, ported to Python 3: connect, sleep, send,
print the reply, close.  Host, port, pause and message are arguments."""
import argparse
import socket
import time

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("--pause", type=float, default=2)
    ap.add_argument("--send", default="1")
    a = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((a.host, a.port))
    time.sleep(a.pause)
    sock.send(a.send.encode())
    print(sock.recv(1024).decode(), flush=True)
    sock.close()
