#!/usr/bin/env python3
"""Writes a random perfect-information Gambit .efg of about N nodes (for timing the reader).

Same shape as the trees of benches/gen.rs: built breadth-first with branching 2-4 until N
nodes exist, a random mover among the players at every decision node, and every leaf its own
outcome with decimal payoffs of two places (so the exact values are rationals such as 347/100,
not binary fractions). Deterministic for a given seed. The file is not committed; generate it:

    python3 benches/gen_efg.py 1000000 > /tmp/big.efg
    /usr/bin/time -v target/release/deter solve /tmp/big.efg --solver backward
"""
import sys


def xorshift(seed=42):
    """The benches' deterministic generator (xorshift64, as benches/gen.rs): a function giving
    the next 64-bit value."""
    state = seed | 1
    mask = (1 << 64) - 1

    def rnd():
        nonlocal state
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        return state

    return rnd


def tree_shape(n, rnd):
    """The tree built breadth-first with branching 2-4 until `n` nodes exist: for each node, its
    first child's index and its number of children (0 for a leaf)."""
    first = [0]
    count = [0]
    head = 0
    while head < len(first) and len(first) < n:
        k = 2 + rnd() % 3
        first[head] = len(first)
        count[head] = k
        first.extend([0] * k)
        count.extend([0] * k)
        head += 1
    return first, count


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    players = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rnd = xorshift()
    first, count = tree_shape(n, rnd)
    out = sys.stdout
    names = " ".join(f'"P{p}"' for p in range(players))
    w = [f'EFG 2 R "random {len(first)}" {{ {names} }}\n""\n\n']
    infoset = [0] * players
    outcome = 0
    stack = [0]
    labels = ['"a"', '"b"', '"c"', '"d"']
    while stack:
        i = stack.pop()
        k = count[i]
        if k == 0:
            outcome += 1
            pay = " ".join(f"{(rnd() % 1000) / 100:.2f}" for _ in range(players))
            w.append(f't "" {outcome} "" {{ {pay} }}\n')
        else:
            p = rnd() % players
            infoset[p] += 1
            acts = " ".join(labels[:k])
            w.append(f'p "" {p + 1} {infoset[p]} "" {{ {acts} }} 0\n')
            stack.extend(range(first[i] + k - 1, first[i] - 1, -1))
        if len(w) > 65536:
            out.write("".join(w))
            w.clear()
    out.write("".join(w))


if __name__ == "__main__":
    main()
