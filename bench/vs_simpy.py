"""Driver of bench/vs-simpy: runs both engines as child processes and
prints one table. Run through bench/vs-simpy, which sets the environment.

Counting events the same way on both sides: two per customer, its arrival
and its departure (the only state changes of an M/M/c queue). That is
exactly the number of events `infraboard-sim queue` pops from its event
queue. SimPy internally schedules six events per customer (arrival timeout,
process start, resource request, service timeout, release, process end;
printed as `engine_events`): its internal-event rate is three times the
rate printed here, for the same model work per customer.

Timing noise on a shared machine only ever adds time, so the best run of
each side is the headline; medians are printed too. infraboard-sim runs
RUNS times (default 5, about 0.1 s each), SimPy SIMPY_RUNS times (default 1,
about 15 to 35 s each); every run uses the same seed, so the work is
identical.

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
    simpy_runs = max(1, int(os.environ["SIMPY_RUNS"]))
    lam, mu = load * servers, 1.0
    here = os.path.dirname(os.path.abspath(__file__))

    ours = []
    for _ in range(runs):
        report, cpu = child([
            os.environ["SIM_BIN"], "queue",
            "--servers", str(servers), "--arrival-rate", repr(lam), "--service-rate", repr(mu),
            "--customers", str(customers), "--seed", str(seed),
        ])
        report["cpu_s"] = cpu
        ours.append(report)
    theirs = []
    for _ in range(simpy_runs):
        report, cpu = child([
            sys.executable, os.path.join(here, "mmc_simpy.py"),
            str(servers), repr(lam), repr(mu), str(customers), str(seed),
        ])
        report["cpu_s"] = cpu
        theirs.append(report)

    def wall_rate(r):
        return r["events"] / (r["wall_ms"] / 1e3)

    def cpu_rate(r):
        return r["events"] / r["cpu_s"]

    exact = ours[0]["erlang_c_wait"]
    print(f"M/M/c, c = {servers}, rho = {load}, {customers} customers, "
          f"{2 * customers} events (2 per customer) per run, seed {seed}")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, "
          f"{platform.platform()}, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    print(f"{'engine':<22} {'wall ms':>9} {'cpu ms':>9} {'events/s (wall)':>16} "
          f"{'events/s (cpu)':>15} {'mean wait':>10}")
    for name, rows in (("infraboard-sim", ours), (theirs[0]["engine"], theirs)):
        for r in rows:
            print(f"{name:<22} {r['wall_ms']:>9.1f} {r['cpu_s'] * 1e3:>9.1f} "
                  f"{wall_rate(r):>16,.0f} {cpu_rate(r):>15,.0f} {r['mean_wait']:>10.4f}")
    print(f"{'Erlang C (exact)':<22} {'':>9} {'':>9} {'':>16} {'':>15} {exact:>10.4f}")
    print()
    print(f"SimPy scheduled {theirs[0]['engine_events']:,} internal events "
          f"({theirs[0]['engine_events'] / customers:.1f} per customer)")
    best_wall = max(map(wall_rate, ours)) / max(map(wall_rate, theirs))
    best_cpu = max(map(cpu_rate, ours)) / max(map(cpu_rate, theirs))
    med_wall = statistics.median(map(wall_rate, ours)) / statistics.median(map(wall_rate, theirs))
    med_cpu = statistics.median(map(cpu_rate, ours)) / statistics.median(map(cpu_rate, theirs))
    print(f"ratio, best runs:   wall {best_wall:,.0f}x   cpu {best_cpu:,.0f}x")
    print(f"ratio, median runs: wall {med_wall:,.0f}x   cpu {med_cpu:,.0f}x")
    print(f"(goal >= 150x; {runs} infraboard-sim run(s), {simpy_runs} SimPy run(s), same seed)")
    # Last line, for bench/all.
    print(f"vs-simpy ours_eps_cpu={max(map(cpu_rate, ours)):.0f} "
          f"simpy_eps_cpu={max(map(cpu_rate, theirs)):.0f} "
          f"ours_eps_wall={max(map(wall_rate, ours)):.0f} "
          f"simpy_eps_wall={max(map(wall_rate, theirs)):.0f} "
          f"ratio_cpu={best_cpu:.1f} ratio_wall={best_wall:.1f}")


if __name__ == "__main__":
    main()
