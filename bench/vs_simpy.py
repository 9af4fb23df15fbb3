"""Driver of bench/vs-simpy: runs both engines as child processes and
prints one table. Run through bench/vs-simpy, which sets the environment.

Counting events the same way on both sides: two per customer, its arrival
and its departure (the only state changes of an M/M/c queue). That is
exactly the number of events `infraboard-sim queue` pops from its event
queue. SimPy internally schedules six events per customer (arrival timeout,
process start, resource request, service timeout, release, process end;
printed as `engine_events`): its internal-event rate is three times the
rate printed here, for the same model work per customer.

Two ratios are printed:
- wall: events / wall-clock seconds of the simulation loop itself (each
  side times its own loop, excluding process start-up and parsing);
- cpu: events / CPU seconds of the whole child process (user + sys), which
  is what to trust on a shared machine where other jobs steal the cores.
"""

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time


def child(cmd):
    """Runs cmd, returns (its JSON output, CPU seconds it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out), cpu


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    servers = int(os.environ["SERVERS"])
    load = float(os.environ["LOAD"])
    customers = int(os.environ["CUSTOMERS"])
    seed = int(os.environ["SEED"])
    runs = max(1, int(os.environ["RUNS"]))
    lam, mu = load * servers, 1.0
    here = os.path.dirname(os.path.abspath(__file__))

    ours = []
    for r in range(runs):
        report, cpu = child([
            os.environ["SIM_BIN"], "queue",
            "--servers", str(servers), "--arrival-rate", repr(lam), "--service-rate", repr(mu),
            "--customers", str(customers), "--seed", str(seed + r),
        ])
        report["cpu_s"] = cpu
        ours.append(report)
    simpy_report, simpy_cpu = child([
        sys.executable, os.path.join(here, "mmc_simpy.py"),
        str(servers), repr(lam), repr(mu), str(customers), str(seed),
    ])

    def rates(report, cpu):
        return report["events"] / (report["wall_ms"] / 1e3), report["events"] / cpu

    ours_wall = statistics.median(rates(r, r["cpu_s"])[0] for r in ours)
    ours_cpu = statistics.median(rates(r, r["cpu_s"])[1] for r in ours)
    simpy_wall, simpy_cpu_rate = rates(simpy_report, simpy_cpu)
    exact = ours[0]["erlang_c_wait"]

    print(f"M/M/c, c = {servers}, rho = {load}, {customers} customers, "
          f"{2 * customers} events (2 per customer) per run")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, "
          f"{platform.platform()}, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    print(f"{'engine':<28} {'wall ms':>9} {'cpu ms':>9} {'events/s (wall)':>16} "
          f"{'events/s (cpu)':>15} {'mean wait':>10}")
    for r in ours:
        print(f"{'infraboard-sim seed ' + str(r['seed']):<28} {r['wall_ms']:>9.1f} "
              f"{r['cpu_s'] * 1e3:>9.1f} {rates(r, r['cpu_s'])[0]:>16,.0f} "
              f"{rates(r, r['cpu_s'])[1]:>15,.0f} {r['mean_wait']:>10.4f}")
    print(f"{simpy_report['engine'] + ' seed ' + str(seed):<28} {simpy_report['wall_ms']:>9.1f} "
          f"{simpy_cpu * 1e3:>9.1f} {simpy_wall:>16,.0f} {simpy_cpu_rate:>15,.0f} "
          f"{simpy_report['mean_wait']:>10.4f}")
    print(f"{'Erlang C (exact)':<28} {'':>9} {'':>9} {'':>16} {'':>15} {exact:>10.4f}")
    print()
    print(f"SimPy scheduled {simpy_report['engine_events']:,} internal events "
          f"({simpy_report['engine_events'] / customers:.1f} per customer)")
    print(f"ratio (wall): {ours_wall / simpy_wall:,.0f}x   "
          f"ratio (cpu): {ours_cpu / simpy_cpu_rate:,.0f}x   (goal >= 150x; "
          f"infraboard-sim: median of {runs} runs)")


if __name__ == "__main__":
    main()
