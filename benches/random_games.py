# The seeded random two-player games of benches/strategic.rs, for the Python comparison scripts
# (benches/gambit_compare.py, benches/enummixed_compare.py), so that every tool times the same
# games: SplitMix64 seeded with 42 + n, integer payoffs in [0, 1000), the two players' payoffs
# interleaved profile by profile with player 1's strategy fastest (Gambit's .nfg order).
import numpy as np

M = (1 << 64) - 1

class Rng:
    def __init__(s, seed): s.x = seed
    def next(s):
        s.x = (s.x + 0x9E3779B97F4A7C15) & M
        z = s.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

def random_game(n):
    """The n×n game: (A, B, text), the payoff matrices of players 1 and 2 and the game as a
    Gambit .nfg file."""
    r = Rng(42 + n)
    pay = [r.next() % 1000 for _ in range(n * n * 2)]
    A = np.zeros((n, n)); B = np.zeros((n, n))
    for prof in range(n * n):
        i, j = prof % n, prof // n
        A[i, j] = pay[2 * prof]; B[i, j] = pay[2 * prof + 1]
    text = f'NFG 1 R "random {n}x{n}" {{ "1" "2" }} {{ {n} {n} }}\n' + " ".join(map(str, pay)) + "\n"
    return A, B, text
