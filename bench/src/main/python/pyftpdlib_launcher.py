"""Starts pyftpdlib (the Python peer) for the jftp benchmark (bench/run).

Its default server: one process, one thread, an epoll loop (FTPServer). One user of the
DummyAuthorizer, whose password is compared in plain text, with every permission
("elradfmwMT"); a passive port range of its own; connection limits raised so the concurrency
figure can ask for 10,000 sessions; logging at WARNING, so that it does not log each command.
Stops on SIGTERM.

Usage: PYTHONPATH=<pyftpdlib> python3 pyftpdlib_launcher.py --port N --root DIR --user NAME
       --password PW [--passive-ports FIRST-LAST] [--max-cons N] [--idle-timeout SECONDS]
"""
import argparse
import logging
import signal
import sys

import pyftpdlib
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.log import config_logging
from pyftpdlib.servers import FTPServer


def port_range(text):
    first, last = (int(p) for p in text.split("-"))
    return range(first, last + 1)


def main():
    parser = argparse.ArgumentParser(description="pyftpdlib for the jftp benchmark")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--passive-ports", type=port_range, default=None)
    parser.add_argument("--max-cons", type=int, default=20000)
    parser.add_argument("--idle-timeout", type=int, default=300)
    args = parser.parse_args()

    config_logging(level=logging.WARNING)

    authorizer = DummyAuthorizer()
    authorizer.add_user(args.user, args.password, args.root, perm="elradfmwMT")

    handler = FTPHandler
    handler.authorizer = authorizer
    handler.passive_ports = args.passive_ports
    handler.timeout = args.idle_timeout  # seconds a session may stay idle between commands

    server = FTPServer(("127.0.0.1", args.port), handler)
    server.max_cons = args.max_cons
    server.max_cons_per_ip = args.max_cons

    # SIGTERM (how the benchmark stops every server) ends serve_forever, which closes the sessions.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    print("pyftpdlib %s (Python %s) listening on 127.0.0.1:%d"
          % (pyftpdlib.__ver__, sys.version.split()[0], args.port), flush=True)
    server.serve_forever(handle_exit=True)


if __name__ == "__main__":
    main()
