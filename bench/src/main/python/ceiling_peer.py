"""The benchmark's physical ceilings, in a process of their own (bench/run, README "Benchmark").

Every FTP figure moves its bytes between two processes: the server and the load generator. The
ceilings do too: this program is the "server" side, the load generator connects to it with the
same sink (RETR) and source (STOR) code it uses against the FTP servers. Measured in one JVM, a
sender thread and a receiver thread share the process's caches and scheduling, and that gave a
"ceiling" below what an FTP server reached from its own process.

It serves one connection at a time; the first line the client sends says what to do:

  SEND <path>     sendfile(2) the whole file into the socket, 1 MiB per call on a non-blocking
                  socket, then close: the RETR ceiling (no server can send a file with fewer copies
                  than sendfile's none on its side).
  SPLICE <path>   splice(2) from the socket into a pipe and from the pipe into the file until the
                  client closes, then reply "OK <bytes>": the STOR ceiling. A process must copy
                  each byte at least once from the socket's buffers into the file's page cache;
                  splice does exactly that one copy, read(2) + write(2) do two.
  COPY <path>     the same with read(2) into a 1 MiB buffer and write(2) from it, the plain loop
                  an FTP server runs (jftpd's buffer is 1 MiB, Pure-FTPd's 512 KiB).

Paths are relative to --root. Started with: python3 ceiling_peer.py --root DIR [--port N]; prints
"listening <port>" on its standard output when ready, and stops on SIGTERM.
"""

import argparse
import fcntl
import os
import select
import signal
import socket
import sys

CHUNK = 1 << 20


def resolve(root, path):
    full = os.path.realpath(os.path.join(root, path))
    if not full.startswith(os.path.realpath(root) + os.sep):
        raise ValueError("path outside the root")
    return full


def request_line(conn):
    # one byte at a time: the bytes after the line belong to the transfer (splice reads them)
    line = bytearray()
    while not line.endswith(b"\n"):
        b = conn.recv(1)
        if not b:
            raise EOFError("connection closed before the request")
        line += b
        if len(line) > 4096:
            raise ValueError("request line too long")
    return line.decode().strip().split(" ", 1)


def send(conn, path):
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        offset = 0
        # Non-blocking, 1 MiB at a time, waiting in poll(2) when the socket is full: what a server's
        # event loop (or the JDK's transferTo on a virtual thread) does. One blocking sendfile of the
        # whole file was measured slower (2,630-2,740 MiB/s against 3,690-3,810, same sink, same
        # run), and jftpd's RETR then came out above this "ceiling" (3,450-4,170).
        conn.setblocking(False)
        writable = select.poll()
        writable.register(conn.fileno(), select.POLLOUT)
        while offset < size:
            try:
                sent = os.sendfile(conn.fileno(), fd, offset, min(CHUNK, size - offset))
            except BlockingIOError:
                writable.poll()
                continue
            if sent == 0:
                raise IOError("sendfile sent nothing")
            offset += sent
    finally:
        os.close(fd)


def receive_splice(conn, fd):
    r, w = os.pipe()
    try:
        try:
            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, CHUNK)
        except OSError:
            pass  # the default 64 KiB pipe still works, in more calls
        total = 0
        sock = conn.fileno()
        while True:
            n = os.splice(sock, w, CHUNK, flags=os.SPLICE_F_MOVE)
            if n == 0:
                return total
            total += n
            while n > 0:
                n -= os.splice(r, fd, n, flags=os.SPLICE_F_MOVE)
    finally:
        os.close(r)
        os.close(w)


def receive_copy(conn, fd):
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    total = 0
    while True:
        n = conn.recv_into(buffer)
        if n == 0:
            return total
        total += n
        written = 0
        while written < n:
            written += os.write(fd, view[written:n])


def serve(conn, root):
    verb, path = request_line(conn)
    full = resolve(root, path)
    if verb == "SEND":
        send(conn, full)
        return
    receive = {"SPLICE": receive_splice, "COPY": receive_copy}[verb]
    fd = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        total = receive(conn, fd)
    finally:
        os.close(fd)  # as an FTP server closes the file before its 226
    conn.sendall(b"OK %d\n" % total)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(16)
    print("listening %d" % listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        try:
            serve(conn, args.root)
        except (OSError, ValueError, KeyError, EOFError) as e:
            print("ceiling_peer: %s" % e, file=sys.stderr, flush=True)
        finally:
            conn.close()


if __name__ == "__main__":
    main()
