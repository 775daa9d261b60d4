"""Sample the CPU and memory of a process tree (the gunicorn master and its workers) and of the
whole machine, once a second, until killed; on SIGTERM print a one-line JSON summary."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

import psutil


def main() -> None:
    root = psutil.Process(int(sys.argv[1]))
    out = sys.argv[2]
    cpu: list[float] = []
    rss: list[float] = []
    load: list[float] = []
    machine: list[float] = []
    running = True

    def stop(*_a: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    procs: dict[int, psutil.Process] = {}
    psutil.cpu_percent()
    while running:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total_cpu, total_rss = 0.0, 0
        for p in tree:
            p = procs.setdefault(p.pid, p)
            try:
                total_cpu += p.cpu_percent()
                total_rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        cpu.append(total_cpu)
        rss.append(total_rss / 2**20)
        load.append(os.getloadavg()[0])
        machine.append(psutil.cpu_percent())
        time.sleep(1)
    cpu, rss = cpu[2:] or cpu, rss[2:] or rss  # the first readings have no interval yet
    summary = {
        "server_cpu_percent_avg": round(sum(cpu) / max(len(cpu), 1), 1),
        "server_cpu_percent_max": round(max(cpu, default=0), 1),
        "server_rss_mb_avg": round(sum(rss) / max(len(rss), 1), 1),
        "server_rss_mb_max": round(max(rss, default=0), 1),
        "machine_cpu_percent_avg": round(sum(machine) / max(len(machine), 1), 1),
        "machine_load1_avg": round(sum(load) / max(len(load), 1), 2),
        "cores": psutil.cpu_count(),
        "samples": len(cpu),
    }
    with open(out, "w") as fh:
        json.dump(summary, fh)


if __name__ == "__main__":
    main()
