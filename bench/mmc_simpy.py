"""The M/M/c queue of `infraboard-sim queue`, written the usual SimPy way.

Prints one JSON object with the same keys as `infraboard-sim queue` so the
driver (`bench/vs-simpy`) can put the two side by side. Events are counted
the same way on both sides: two per customer (its arrival and its departure),
whatever each engine does internally. SimPy's own count of scheduled events
is printed too (`engine_events`), for the curious.
"""

import json
import random
import resource
import sys
import time

import simpy


def erlang_c_wait(c, lam, mu):
    a = lam / mu
    if a >= c:
        return None
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    p_wait = c * b / (c - a * (1.0 - b))
    return p_wait / (c * mu - lam)


def main():
    servers, lam, mu, customers, seed = (
        int(sys.argv[1]),
        float(sys.argv[2]),
        float(sys.argv[3]),
        int(sys.argv[4]),
        int(sys.argv[5]),
    )
    rng = random.Random(seed)
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=servers)
    stats = {"wait": 0.0, "in_system": 0.0, "service": 0.0}

    def customer(env):
        arrived = env.now
        with counter.request() as turn:
            yield turn
            stats["wait"] += env.now - arrived
            service = rng.expovariate(mu)
            stats["service"] += service
            yield env.timeout(service)
        stats["in_system"] += env.now - arrived

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    events = 2 * customers
    print(
        json.dumps(
            {
                "engine": "simpy " + simpy.__version__,
                "servers": servers,
                "customers": customers,
                "mean_wait": stats["wait"] / customers,
                "mean_in_system": stats["in_system"] / customers,
                "utilization": stats["service"] / (servers * env.now),
                "erlang_c_wait": erlang_c_wait(servers, lam, mu),
                "events": events,
                "engine_events": next(env._eid),
                "wall_ms": wall * 1e3,
                "cpu_ms": cpu * 1e3,
                "events_per_sec": events / wall,
                "events_per_cpu_sec": events / cpu,
                "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    main()
