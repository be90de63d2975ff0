# All extreme equilibria of two-player games, side by side in one run: deter (`enummixed`,
# exact, and `enummixed-float`, each a whole `deter solve` process) against QuantEcon's
# `vertex_enumeration` and Gambit's `enummixed_solve` (floating point, Gambit's default), both
# timed in process, alone, after a warm-up. Games: random n×n games with integer payoffs in
# [0, 1000) from the seeded SplitMix64 of benches/strategic.rs (seed 42 + n), and Gambit's
# slowest `enummixed` games from shared/games/reference.json.
#
# Needs `pip install pygambit quantecon` and `cargo build --release`. Run from the repository:
#   python3 benches/enummixed_compare.py [GAMES_DIR]
import os, subprocess, sys, tempfile, time
from random_games import random_game

def deter(path, solver, binary="target/release/deter"):
    t = time.perf_counter()
    out = subprocess.run([binary, "solve", path, "--solver", solver, "--format", "json"],
                         capture_output=True, text=True)
    dt = time.perf_counter() - t
    return dt, out.stdout.count('"regret"')

def main():
    import quantecon.game_theory as gt
    import pygambit as gbt
    games_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/games"
    A, B, _ = random_game(4)
    gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))  # numba warm-up
    tmp = tempfile.mkdtemp()
    print("game | deter enummixed (exact) | deter enummixed-float | QuantEcon | Gambit enummixed")
    for n in [12, 16]:
        A, B, text = random_game(n)
        path = os.path.join(tmp, f"r{n}.nfg")
        open(path, "w").write(text)
        de = deter(path, "enummixed"); df = deter(path, "enummixed-float")
        t = time.perf_counter()
        q = gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T))))
        tq = time.perf_counter() - t
        if n <= 12:
            g = gbt.Game.from_arrays(A, B)
            t = time.perf_counter(); r = gbt.nash.enummixed_solve(g, rational=False)
            tg, ng = time.perf_counter() - t, len(r.equilibria)
        else:
            tg, ng = float("nan"), "-"
        print(f"{n}x{n} | {de[0]:.3f} s ({de[1]}) | {df[0]:.3f} s ({df[1]}) | {tq:.3f} s ({len(q)}) | {tg:.3f} s ({ng})", flush=True)
    for name in ["contrib_games_bcp4.efg", "tests_test_games_2_player_chance.efg",
                 "contrib_games_work3.efg", "contrib_games_w_ex2.efg", "contrib_games_2smp.efg"]:
        path = os.path.join(games_dir, name)
        de = deter(path, "enummixed"); df = deter(path, "enummixed-float")
        g = gbt.read_efg(path)
        t = time.perf_counter(); r = gbt.nash.enummixed_solve(g, rational=False)
        tg = time.perf_counter() - t
        print(f"{name} | {de[0]:.3f} s ({de[1]}) | {df[0]:.3f} s ({df[1]}) | — | {tg:.3f} s ({len(r.equilibria)})", flush=True)

if __name__ == "__main__":
    main()
