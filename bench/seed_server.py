#!/usr/bin/env python3
"""The socket tutorial's server in Python 3, the second baseline of make bench.

As the tutorial writes it (../../shared/seed): listen(5), a 5-second timeout
on each connection, recv(1024), 'welcome to server!' if the client sent '1',
else 'please go out!', close.  For the benchmark it binds 127.0.0.1 on the
port given and serves K clients, then exits.

usage: seed_server.py PORT K
"""
import socket
import sys

port = int(sys.argv[1])
clients = int(sys.argv[2])

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(('127.0.0.1', port))
sock.listen(5)
for _ in range(clients):
    connection, address = sock.accept()
    try:
        connection.settimeout(5)
        buf = connection.recv(1024)
        if buf == b'1':
            connection.send(b'welcome to server!')
        else:
            connection.send(b'please go out!')
    except socket.timeout:
        print('time out')
    connection.close()
sock.close()
