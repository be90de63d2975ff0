# Times Gambit (pip install pygambit) on the same random games as benches/strategic.rs,
# for the comparison table in docs/solvers-strategic.md. Run: python3 benches/gambit_compare.py
import time, sys
import numpy as np
import pygambit as gbt
M = (1 << 64) - 1
class Rng:
    def __init__(s, seed): s.x = seed
    def next(s):
        s.x = (s.x + 0x9E3779B97F4A7C15) & M
        z = s.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)
def game(n):
    r = Rng(42 + n)
    pay = [r.next() % 1000 for _ in range(n * n * 2)]
    A = np.zeros((n, n)); B = np.zeros((n, n))
    for prof in range(n * n):
        i, j = prof % n, prof // n
        A[i, j] = pay[2 * prof]; B[i, j] = pay[2 * prof + 1]
    return gbt.Game.from_arrays(A, B)
def best(f, reps):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); res = f(); ts.append(time.perf_counter() - t)
    return min(ts), res
for n in [10, 20, 50, 100]:
    g = game(n)
    t, res = best(lambda: gbt.nash.lcp_solve(g, rational=False, stop_after=1), 3)
    print(f"lcp {n}x{n}: {t*1e3:.3f} ms, {len(res.equilibria)} eq", flush=True)
for n in [6, 8, 10, 12, 14]:
    g = game(n)
    t, res = best(lambda: gbt.nash.enummixed_solve(g, rational=False), 1 if n >= 12 else 3)
    print(f"enummixed {n}x{n}: {t*1e3:.3f} ms, {len(res.equilibria)} eq", flush=True)
