#!/usr/bin/env python3
"""A read request to an n2n management port (spec §13), for the namespace tests and the lab.

  mgmt_query.py PORT METHOD [FIELD]   prints one line per row (JSON), or FIELD of each row

Exits 1 when no complete answer arrives within 3 s.
"""
import json
import socket
import sys


def main():
    port, method = int(sys.argv[1]), sys.argv[2]
    field = sys.argv[3] if len(sys.argv) > 3 else None
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(f"r 7 {method}".encode(), ("127.0.0.1", port))
    try:
        while True:
            reply = json.loads(s.recv(65536))
            kind = reply.get("_type")
            if kind == "end":
                return 0
            if kind == "error":
                print(f"error: {reply.get('error')}", file=sys.stderr)
                return 1
            if kind == "row":
                print(reply.get(field, "") if field else json.dumps(reply))
    except (socket.timeout, ValueError) as e:
        print(f"no complete answer from port {port}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
