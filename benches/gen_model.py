#!/usr/bin/env python3
"""Writes a random perfect-information model file (.toml) of about N nodes (for timing loading).

The same tree as benches/gen_efg.py (breadth-first, branching 2-4, a random mover among three
players at every decision node, every leaf its own outcome with two-place decimal payoffs), as
a deter model: one `[nodes.nK]` table per decision node, one `[outcomes.oK]` table per leaf,
and one parameter `scale` multiplying the first player's payoff at every tenth outcome (so the
file has formulas as well as numbers). Deterministic for a given seed. Not committed; generate:

    python3 benches/gen_model.py 1000000 > /tmp/big.toml
    /usr/bin/time -v target/release/deter check /tmp/big.toml
"""
import sys

from gen_efg import tree_shape, xorshift


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    players = 3
    rnd = xorshift()
    first, count = tree_shape(n, rnd)
    out = sys.stdout
    names = ", ".join(f'"P{p}"' for p in range(players))
    w = [
        f'title = "random {len(first)}"\nplayers = [{names}]\nroot = "n0"\n\n'
        "[parameters]\nscale = { value = 1, range = [0, 2] }\n\n"
    ]

    def ref(j):
        return f"n{j}" if count[j] else f"o{j}"

    labels = ["a", "b", "c", "d"]
    for i in range(len(first)):
        k = count[i]
        if k == 0:
            pays = [f"{(rnd() % 1000) / 100:.2f}" for _ in range(players)]
            if i % 10 == 0:
                pays[0] = f'"{pays[0]}*scale"'
            body = ", ".join(f"P{p} = {v}" for p, v in enumerate(pays))
            w.append(f"[outcomes.o{i}]\npayoffs = {{ {body} }}\n\n")
        else:
            p = rnd() % players
            moves = ", ".join(
                f'{labels[m]} = {{ to = "{ref(first[i] + m)}" }}' for m in range(k)
            )
            w.append(f'[nodes.n{i}]\nplayer = "P{p}"\nmoves = {{ {moves} }}\n\n')
        if len(w) > 65536:
            out.write("".join(w))
            w.clear()
    out.write("".join(w))


if __name__ == "__main__":
    main()
