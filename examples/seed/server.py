#!/usr/bin/env python3
"""The socket tutorial's server, in Python 3 (../../../shared/seed).

As the tutorial writes it: port 9001, listen(5), a 5-second timeout on the
connection, recv(1024), 'welcome to server!' if the client sent '1'.  Two
changes so it can be traced and tested anywhere: it binds 127.0.0.1 (the
tutorial's 0.0.0.0 would open the port to the network), and the port may
be given as the first argument or SOCKSTEP_PORT (0: the kernel chooses;
the port is printed either way), the number of clients as the second.
"""
import os
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("SOCKSTEP_PORT", "9001"))
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 1

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(('127.0.0.1', port))
sock.listen(5)
print('listening on port', sock.getsockname()[1])
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
