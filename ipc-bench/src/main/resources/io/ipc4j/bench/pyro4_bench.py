"""The Pyro4 contender of ipc-bench, in Python: the same server and client protocol as the JVMs.

  pyro4_bench.py server
      serves an object with add(a, b) and echo(data) as "bench" on a free port of 127.0.0.1,
      prints "LISTENING <uri>", serves until standard input ends.
  pyro4_bench.py client URI SERVER_PID
      checks one call of each scenario, prints "READY", then runs one cell per line of standard
      input ("CELL SCENARIO THREADS WARMUP_MS MEASURE_MS") and answers each with one
      tab-separated RESULT line, as io.ipc4j.bench.CellResult reads it.

Pyro4's defaults (serpent serializer, thread-pool server), except a pool of 128 threads so that
each of 64 client threads gets a connection of its own (Pyro4 refuses connections past its pool).
"""
import math
import os
import random
import sys
import threading
import time

import Pyro4
import serpent

SCENARIOS = {"add": 0, "echo-1k": 1024, "echo-1m": 1024 * 1024}
JOIN_TIMEOUT_S = 120
SAMPLE_EVERY_S = 0.25


@Pyro4.expose
class Bench(object):
    def add(self, a, b):
        return a + b

    def echo(self, data):
        return serpent.tobytes(data)


def serve():
    Pyro4.config.THREADPOOL_SIZE = 128
    daemon = Pyro4.Daemon(host="127.0.0.1", port=0)
    uri = daemon.register(Bench(), "bench")
    loop = threading.Thread(target=daemon.requestLoop, daemon=True)
    loop.start()
    print("LISTENING " + str(uri), flush=True)
    while sys.stdin.buffer.read(256):
        pass
    daemon.shutdown()


class Caller(object):
    """One thread's calls of one scenario; every answer is checked, as Caller.java does."""

    def __init__(self, uri, scenario, thread):
        self.proxy = Pyro4.Proxy(uri)
        self.scenario = scenario
        self.base = thread * 1000003
        self.payload = bytearray(random.Random(thread).randbytes(SCENARIOS[scenario]))
        self.calls = 0

    def call(self):
        n = self.calls
        self.calls += 1
        if self.scenario == "add":
            total = self.proxy.add(self.base, n)
            if total != self.base + n:
                raise ValueError("Pyro4: add(%d, %d) returned %r" % (self.base, n, total))
            return
        stamp = (n & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little")
        self.payload[0:8] = stamp
        self.payload[-8:] = stamp
        sent = bytes(self.payload)
        back = serpent.tobytes(self.proxy.echo(sent))
        if back != sent:
            raise ValueError("Pyro4: echo of %d bytes (call %d) returned %d different bytes"
                             % (len(sent), n, len(back)))


def cpu_nanos(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2:].split(" ")
        return (int(fields[11]) + int(fields[12])) * (1000000000 // os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError):
        return -1


def status(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key):
                    return int(line[len(key):].split()[0])
    except (OSError, ValueError):
        pass
    return -1


def percentile(values, p):
    rank = int(math.ceil(p * len(values)))
    return values[max(0, min(len(values), rank) - 1)]


def run_cell(uri, server_pid, scenario, threads, warmup_s, measure_s):
    state = {"phase": "warming", "failure": None}
    latencies = [[] for _ in range(threads)]
    started = threading.Barrier(threads + 1)
    failed = threading.Event()

    def work(i):
        caller = Caller(uri, scenario, i)
        mine = latencies[i]
        try:
            try:
                caller.proxy._pyroBind()
            finally:
                started.wait()
            while state["phase"] != "stopped":
                t0 = time.perf_counter_ns()
                caller.call()
                t1 = time.perf_counter_ns()
                if state["phase"] == "measuring":
                    mine.append(t1 - t0)
        except Exception as e:  # the first failure stops the cell
            if state["failure"] is None:
                state["failure"] = "%s: %s" % (type(e).__name__, e)
                state["phase"] = "stopped"
                failed.set()
        finally:
            caller.proxy._pyroRelease()

    workers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(threads)]
    for t in workers:
        t.start()
    started.wait()
    failed.wait(warmup_s)
    state["phase"] = "measuring"
    start = time.perf_counter_ns()
    cpu_start = cpu_nanos(os.getpid()), cpu_nanos(server_pid)
    server_threads, server_rss = -1, -1
    end = start + int(measure_s * 1e9)
    now = start
    while now < end and state["failure"] is None:
        server_threads = max(server_threads, status(server_pid, "Threads:"))
        server_rss = max(server_rss, status(server_pid, "VmRSS:"))
        failed.wait(min(SAMPLE_EVERY_S, (end - now) / 1e9))
        now = time.perf_counter_ns()
    if state["failure"] is None:
        state["phase"] = "stopped"
    stop = time.perf_counter_ns()
    cpu_stop = cpu_nanos(os.getpid()), cpu_nanos(server_pid)
    for t in workers:
        t.join(JOIN_TIMEOUT_S)
        if t.is_alive():
            return failed_line(scenario, threads, "%s still in a call %d s after the cell ended"
                               % (t.name, JOIN_TIMEOUT_S))
    if state["failure"] is not None:
        return failed_line(scenario, threads, state["failure"])
    merged = sorted(v for mine in latencies for v in mine)
    if not merged:
        return failed_line(scenario, threads, "no call completed in the measured window of %d ms"
                           % int(measure_s * 1000))
    cpu = -1 if min(cpu_start + cpu_stop) < 0 else sum(cpu_stop) - sum(cpu_start)
    return line(scenario, threads, len(merged), (stop - start) / 1e9, percentile(merged, 0.50),
                percentile(merged, 0.99), cpu, server_threads, server_rss, "")


def line(scenario, threads, calls, seconds, p50, p99, cpu, server_threads, server_rss, failure):
    return "\t".join(["RESULT", "pyro4", scenario, str(threads), str(calls), repr(seconds),
                      str(p50), str(p99), str(cpu), str(server_threads), str(server_rss),
                      " ".join(failure.split())])


def failed_line(scenario, threads, why):
    return line(scenario, threads, 0, 0.0, -1, -1, -1, -1, -1, why)


def client(uri, server_pid):
    for scenario in SCENARIOS:
        caller = Caller(uri, scenario, 0)
        caller.call()
        caller.proxy._pyroRelease()
    print("READY", flush=True)
    for command in sys.stdin:
        f = command.split()
        if len(f) != 5 or f[0] != "CELL" or f[1] not in SCENARIOS:
            raise SystemExit("not a cell command: '%s'" % command.strip())
        print(run_cell(uri, server_pid, f[1], int(f[2]), int(f[3]) / 1000.0, int(f[4]) / 1000.0),
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "server":
        serve()
    elif len(sys.argv) == 4 and sys.argv[1] == "client":
        client(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit("usage: pyro4_bench.py server | client URI SERVER_PID")
