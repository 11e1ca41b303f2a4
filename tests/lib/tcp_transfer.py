#!/usr/bin/env python3
"""A TCP transfer with a checksum, for the namespace tests.

  tcp_transfer.py recv HOST PORT      prints "<bytes> <sha256> <seconds from the first byte>"
  tcp_transfer.py send HOST PORT N    sends N random bytes, prints "<bytes> <sha256>"

The receiver answers "done" once the sender has shut its side, so the sender knows that every
byte arrived before it closes. Both time out after 30 s of silence.
"""
import hashlib
import os
import socket
import sys
import time


def receive(host, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    srv.settimeout(30)
    conn, _ = srv.accept()
    conn.settimeout(30)
    digest, count, start = hashlib.sha256(), 0, None
    while True:
        data = conn.recv(1 << 16)
        if not data:
            break
        if start is None:
            start = time.monotonic()
        digest.update(data)
        count += len(data)
    elapsed = time.monotonic() - start if start else 0.0
    conn.sendall(b"done")
    conn.close()
    print(count, digest.hexdigest(), "%.3f" % elapsed)


def send(host, port, size):
    data = os.urandom(size)
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    s.recv(16)
    s.close()
    print(len(data), hashlib.sha256(data).hexdigest())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "recv":
        receive(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
