# Times Gambit (pip install pygambit) on the same random games as benches/strategic.rs,
# for the comparison table in docs/solvers-strategic.md. Run: python3 benches/gambit_compare.py
import time, sys
from random_games import random_game
import pygambit as gbt
def game(n):
    A, B, _ = random_game(n)
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
