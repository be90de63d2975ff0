//! Equilibria in words: the path of play, the outcome reached, each node's strategy.
//!
//! These are the sentences every front end shares — `deter solve`'s text output, sweep rows,
//! reports — so the wording lives in one place. They read a behaviour profile on a [`Tree`] and
//! never recompute anything a solver decides.

use crate::game::profile::reach_probabilities;
use crate::game::tree::{NodeKind, Tree};
use crate::game::{Game, NodeId};

/// Formats a number for people and golden files: at most 6 decimals, trailing zeros trimmed,
/// no negative zero.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{:.6}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// One reached outcome and the moves leading to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Play {
    /// Probability that play ends here.
    pub prob: f64,
    /// The terminal node.
    pub leaf: NodeId,
    /// The moves from the root, as node ids (the nodes entered).
    pub moves: Vec<NodeId>,
}

/// Phrase for the move into `child`: "Protege hedges", "Nature: hard". Players are named by
/// their display names ([`Tree::player_names`]).
pub fn move_phrase(tree: &Tree, child: NodeId) -> String {
    let parent = tree.node(child).parent().unwrap_or(Tree::ROOT);
    let label = &tree.move_labels[child.ix()];
    let phrase = tree.move_phrases[child.ix()].as_deref();
    match tree.node(parent).kind {
        NodeKind::Decision { player, .. } => {
            let who = player_name(tree, player.ix());
            match phrase {
                Some(p) => format!("{who} {p}"),
                None => format!("{who}: {label}"),
            }
        }
        _ => match phrase {
            Some(p) => format!("Nature: {p}"),
            None => format!("Nature: {label}"),
        },
    }
}

/// How prose names player `p`: its display name, else its name.
pub fn player_name(tree: &Tree, p: usize) -> &str {
    tree.player_names
        .get(p)
        .or_else(|| tree.players.get(p))
        .map_or("?", String::as_str)
}

/// Who moves at `node` in prose: the player's display name, or "Nature".
pub fn mover_name(tree: &Tree, node: NodeId) -> &str {
    match tree.node(node).kind {
        NodeKind::Decision { player, .. } => player_name(tree, player.ix()),
        NodeKind::Chance => "Nature",
        NodeKind::Terminal { .. } => "",
    }
}

/// The move into `child` as its mover would say it: the `say` phrase ("hedges"), else the
/// move's label.
pub fn move_words(tree: &Tree, child: NodeId) -> &str {
    tree.move_phrases[child.ix()]
        .as_deref()
        .unwrap_or(&tree.move_labels[child.ix()])
}

/// Where a node is, said by the moves that lead to it: "after Protege aligns → Challenger
/// challenges"; empty at the root. This is how prose names a node without its identifier.
pub fn context(tree: &Tree, node: NodeId) -> String {
    let mut moves = Vec::new();
    let mut cur = node;
    while let Some(par) = tree.node(cur).parent() {
        moves.push(cur);
        cur = par;
    }
    if moves.is_empty() {
        return String::new();
    }
    moves.reverse();
    let said: Vec<String> = moves.iter().map(|&c| move_phrase(tree, c)).collect();
    format!("after {}", said.join(" → "))
}

/// `text` preceded by the node's context and a comma ("after Protege aligns, Challenger
/// challenges"), or `text` alone at the root.
fn in_context(tree: &Tree, node: NodeId, text: &str) -> String {
    let c = context(tree, node);
    if c.is_empty() {
        text.to_string()
    } else {
        format!("{c}, {text}")
    }
}

/// The mover at `node` switching from move `from` to move `to` (action indices), in words:
/// "after Protege aligns → Challenger challenges, Defender switches from “supports” to
/// “abandons”".
pub fn switch_sentence(tree: &Tree, node: NodeId, from: usize, to: usize) -> String {
    let first = tree.node(node).first_child as usize;
    let said = |a: usize| move_words(tree, NodeId::from(first + a)).to_string();
    in_context(
        tree,
        node,
        &format!(
            "{} switches from “{}” to “{}”",
            mover_name(tree, node),
            said(from),
            said(to)
        ),
    )
}

/// A tie in words: "after Protege hedges → …, Protege is indifferent between “realigns” and
/// “acquiesces”" (`moves` are action indices at `node`).
pub fn tie_sentence(tree: &Tree, node: NodeId, moves: &[usize]) -> String {
    let first = tree.node(node).first_child as usize;
    let said: Vec<String> = moves
        .iter()
        .map(|&a| format!("“{}”", move_words(tree, NodeId::from(first + a))))
        .collect();
    let list = match said.as_slice() {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    in_context(
        tree,
        node,
        &format!("{} is indifferent between {list}", mover_name(tree, node)),
    )
}

/// One node's strategy as a sentence: "after Protege aligns, Challenger challenges", or with
/// a mixed strategy "…, Challenger challenges with probability 0.3 and does not challenge with
/// probability 0.7".
pub fn choice_sentence(tree: &Tree, s: &NodeStrategy) -> String {
    let first = tree.node(s.node).first_child as usize;
    let played: Vec<(usize, f64)> = (s.probs.iter().enumerate())
        .filter(|(_, (_, p))| *p > 1e-12)
        .map(|(a, (_, p))| (a, *p))
        .collect();
    let who = mover_name(tree, s.node);
    let text = match played.as_slice() {
        [(a, p)] if (p - 1.0).abs() < 1e-9 => {
            format!("{who} {}", move_words(tree, NodeId::from(first + a)))
        }
        _ => {
            let parts: Vec<String> = played
                .iter()
                .map(|&(a, p)| {
                    format!(
                        "{} with probability {}",
                        move_words(tree, NodeId::from(first + a)),
                        num(p)
                    )
                })
                .collect();
            format!("{who} {}", parts.join(" and "))
        }
    };
    in_context(tree, s.node, &text)
}

/// Joins phrases with "and", dropping repeats: forcing the same move at two copies of a
/// subtree says it once ("Protege hedges", not "Protege hedges and Protege hedges").
pub fn and_unique(parts: &[String]) -> String {
    let mut seen: Vec<&String> = Vec::new();
    for p in parts {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [a] => (*a).clone(),
        [rest @ .., last] => format!(
            "{} and {last}",
            rest.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A probability `x` as `shown` prints it (`2/3`, `0.25`), unless that rounds a probability
/// strictly between 0 and 1 to `0` or `1`: then in scientific form, `1e-13` or `1 − 1e-13`,
/// so that a move made with a tiny probability does not read as never or always made.
pub fn prob_shown(x: f64, shown: String) -> String {
    if !(x > 0.0 && x < 1.0) {
        return shown;
    }
    match shown.as_str() {
        "0" => small_sci(x),
        "1" => format!("1 − {}", small_sci(1.0 - x)),
        _ => shown,
    }
}

/// A probability for people ([`num`], or [`prob_shown`]'s scientific form near 0 and 1).
pub fn prob(x: f64) -> String {
    prob_shown(x, num(x))
}

/// A number in scientific form with at most two significant digits and no padding
/// (`1e-13`, `2.5e-9`).
fn small_sci(x: f64) -> String {
    let s = format!("{x:.1e}");
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.')),
        None => s,
    }
}

/// A small non-negative number such as a regret or a tolerance, for people: `0` when it is
/// zero, [`num`] when it shows in six decimals, else two significant digits in scientific
/// notation without padding (`1.7e-9`, `2e-9`; never `0.0e0`).
pub fn small(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() >= 1e-3 {
        return num(x);
    }
    small_sci(x)
}

/// Every outcome reached with positive probability, most likely first (ties by node order).
pub fn plays(game: &Game, profile: &[f64]) -> Vec<Play> {
    let tree = &*game.tree;
    let reach = reach_probabilities(game, profile);
    let mut out = Vec::new();
    for leaf in &tree.leaves {
        let p = reach[leaf.node.ix()];
        if p > 1e-12 {
            let mut moves = Vec::new();
            let mut cur = leaf.node;
            while let Some(par) = tree.node(cur).parent() {
                moves.push(cur);
                cur = par;
            }
            moves.reverse();
            out.push(Play {
                prob: p,
                leaf: leaf.node,
                moves,
            });
        }
    }
    out.sort_by(|a, b| b.prob.total_cmp(&a.prob).then(a.leaf.cmp(&b.leaf)));
    out
}

/// A play in words: "Protege hedges → Challenger does not challenge".
pub fn play_sentence(tree: &Tree, play: &Play) -> String {
    play.moves
        .iter()
        .map(|&c| move_phrase(tree, c))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The path of play in words; several lines when play is random.
pub fn path_in_words(game: &Game, profile: &[f64]) -> String {
    let ps = plays(game, profile);
    if ps.len() == 1 {
        return play_sentence(&game.tree, &ps[0]);
    }
    ps.iter()
        .map(|p| format!("[{}] {}", num(p.prob), play_sentence(&game.tree, p)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A short outcome label: the reached outcome's name, or `name (p) + name (p)` when random.
pub fn outcome_label(game: &Game, profile: &[f64]) -> String {
    let ps = plays(game, profile);
    if ps.len() == 1 {
        return game.tree.node_names[ps[0].leaf.ix()].to_string();
    }
    ps.iter()
        .map(|p| format!("{} ({})", &game.tree.node_names[p.leaf.ix()], num(p.prob)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// True if the tree's moves carry `say` phrases (a model written for prose): output then
/// names nodes by the moves that lead to them and moves by their phrases, not identifiers.
pub fn speaks(tree: &Tree) -> bool {
    // The distinct phrases first: a tree without any (every big one) is decided at once.
    tree.move_phrases.distinct().iter().any(Option::is_some)
        && tree.move_phrases.iter().any(Option::is_some)
}

/// The outcome reached, in words: the move that ends play ("Challenger does not challenge"),
/// or `phrase (p) + phrase (p)` when random. Where the tree has no `say` phrases and the
/// outcome has a name, the name is used (Gambit files name their outcomes).
pub fn outcome_words(game: &Game, profile: &[f64]) -> String {
    let tree = &*game.tree;
    let said = |p: &Play| -> String {
        let name = &tree.node_names[p.leaf.ix()];
        if !speaks(tree) && !name.is_empty() {
            return name.to_string();
        }
        match p.moves.last() {
            Some(&m) => move_phrase(tree, m),
            None => name.to_string(),
        }
    };
    // Plays that end alike (the same move after different draws of nature) are said once,
    // with their probabilities added.
    let mut ends: Vec<(String, f64)> = Vec::new();
    for p in plays(game, profile) {
        let s = said(&p);
        match ends.iter_mut().find(|e| e.0 == s) {
            Some(e) => e.1 += p.prob,
            None => ends.push((s, p.prob)),
        }
    }
    if ends.len() == 1 {
        return ends.swap_remove(0).0;
    }
    ends.iter()
        .map(|(s, p)| format!("{s} ({})", num(*p)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Where a decision node is, for a strategy table: "at the start", or the moves that lead to it
/// ("after Protégé hedges"). Trees without `say` phrases keep the node's label.
pub fn node_place(tree: &Tree, node: NodeId) -> String {
    if !speaks(tree) {
        return tree.node_label(node);
    }
    let c = context(tree, node);
    if c.is_empty() {
        "at the start".into()
    } else {
        c
    }
}

/// Where an information set is, in the words of what its player knows: the moves every member
/// shares ("after Challenger initiates", or "at the start") followed by the chance outcomes
/// every member shares — typically the player's own type — in parentheses ("(the challenger is
/// hard)"). `None` when the tree has no `say` phrases or the members' histories of moves differ
/// (the player does not observe some move), where only the set's name identifies it.
pub fn set_place(tree: &Tree, set: crate::game::InfosetId) -> Option<String> {
    if !speaks(tree) {
        return None;
    }
    let mut histories: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for &m in tree.members(set) {
        let mut moves = Vec::new();
        let mut facts = Vec::new();
        let mut cur = m;
        while let Some(par) = tree.node(cur).parent() {
            match tree.node(par).kind {
                NodeKind::Chance => facts.push(move_words(tree, cur).to_string()),
                _ => moves.push(move_phrase(tree, cur)),
            }
            cur = par;
        }
        moves.reverse();
        facts.reverse();
        histories.push((moves, facts));
    }
    let (moves, facts) = histories.first()?;
    if histories.iter().any(|(m, _)| m != moves) {
        return None;
    }
    let known: Vec<&str> = facts
        .iter()
        .filter(|f| histories.iter().all(|(_, g)| g.contains(f)))
        .map(String::as_str)
        .collect();
    let place = if moves.is_empty() {
        "at the start".to_string()
    } else {
        format!("after {}", moves.join(" → "))
    };
    Some(if known.is_empty() {
        place
    } else {
        format!("{place} ({})", known.join("; "))
    })
}

/// A strategy with each move named by its `say` phrase (for prose; JSON keeps the labels).
pub fn said_strategy(tree: &Tree, s: &NodeStrategy) -> NodeStrategy {
    let first = tree.node(s.node).first_child as usize;
    NodeStrategy {
        node: s.node,
        probs: s
            .probs
            .iter()
            .enumerate()
            .map(|(a, (_, p))| (move_words(tree, NodeId::from(first + a)).to_string(), *p))
            .collect(),
        on_path: s.on_path,
    }
}

/// One node's strategy: who moves, each move's probability, whether play reaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeStrategy {
    /// The decision node.
    pub node: NodeId,
    /// Probability of each move, in move order.
    pub probs: Vec<(String, f64)>,
    /// True if the node is reached with positive probability.
    pub on_path: bool,
}

/// The strategy at every decision node, in node order (on and off the path).
pub fn node_strategies(game: &Game, profile: &[f64]) -> Vec<NodeStrategy> {
    node_strategies_iter(game, profile).collect()
}

/// [`node_strategies`] one node at a time (for output written as it is made).
pub fn node_strategies_iter<'a>(
    game: &'a Game,
    profile: &'a [f64],
) -> impl Iterator<Item = NodeStrategy> + 'a {
    let tree = &*game.tree;
    let reach = reach_probabilities(game, profile);
    tree.nodes.iter().enumerate().filter_map(move |(i, n)| {
        let NodeKind::Decision { infoset, .. } = n.kind else {
            return None;
        };
        let s = &tree.infosets[infoset.ix()];
        let probs = n
            .children()
            .enumerate()
            .map(|(a, c)| {
                (
                    tree.move_labels[c].to_string(),
                    profile[s.first_action as usize + a],
                )
            })
            .collect();
        Some(NodeStrategy {
            node: NodeId::from(i),
            probs,
            on_path: reach[i] > 1e-12,
        })
    })
}

/// A strategy in words: `hedge`, or `hedge 0.25, align 0.75` when mixed.
pub fn strategy_words(s: &NodeStrategy) -> String {
    strategy_text(s.probs.iter().map(|(m, p)| (m.as_str(), *p)))
}

/// [`strategy_words`] from the moves' names and probabilities, in move order.
pub fn strategy_text<'n>(moves: impl Iterator<Item = (&'n str, f64)> + Clone) -> String {
    played_text(
        moves.filter(|(_, p)| *p > 1e-12),
        |p| (p - 1.0).abs() < 1e-9,
        |p| num(*p),
    )
}

/// The moves played, in order: the move alone when it is the only one and `alone` says its
/// probability is certain, else `move probability` (as `show` writes it) joined by commas.
pub fn played_text<'n, P>(
    played: impl Iterator<Item = (&'n str, P)> + Clone,
    alone: impl Fn(&P) -> bool,
    show: impl Fn(&P) -> String,
) -> String {
    if let (Some((m, p)), None) = (played.clone().next(), played.clone().nth(1)) {
        if alone(&p) {
            return m.to_string();
        }
    }
    let mut out = String::new();
    for (i, (m, p)) in played.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(m);
        out.push(' ');
        out.push_str(&show(&p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_probabilities_are_not_rounded_to_never_or_always() {
        assert_eq!(prob(1e-13), "1e-13");
        assert_eq!(prob(1.0 - 1e-13), "1 − 1e-13");
        assert_eq!(prob(2.5e-9), "2.5e-9");
        // Probabilities that show, and the ends themselves, print as before.
        assert_eq!(prob(0.25), "0.25");
        assert_eq!(prob(0.0), "0");
        assert_eq!(prob(1.0), "1");
        assert_eq!(prob_shown(2.0 / 3.0, "2/3".into()), "2/3");
        assert_eq!(prob_shown(1e-13, "0".into()), "1e-13");
        assert_eq!(prob_shown(0.0, "0".into()), "0");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-1e-9), "0");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.7000000000001), "-0.7");
        assert_eq!(num(2.0), "2");
        assert_eq!(small(0.0), "0");
        assert_eq!(small(-0.0), "0");
        assert_eq!(small(1.7e-9), "1.7e-9");
        assert_eq!(small(2.0e-9), "2e-9");
        assert_eq!(small(3.0000000000000004e-9), "3e-9");
        assert_eq!(small(0.25), "0.25");
    }

    /// Nature draws one or two (1/4, 3/4); Challenger then challenges or not (with `say`
    /// phrases).
    fn spoken() -> Game {
        use crate::game::{PlayerId, TreeBuilder};
        let mut b = TreeBuilder::new("t", vec!["Challenger".into()]);
        let r = b.chance("nature");
        let c1 = b.decision("challenger_1", PlayerId(0), None);
        let c2 = b.decision("challenger_2", PlayerId(0), None);
        b.add_move(r, "one", None, c1).unwrap();
        b.add_move(r, "two", None, c2).unwrap();
        for (c, k) in [(c1, 1), (c2, 2)] {
            let sq = b.terminal(format!("sq_{k}"), vec![]);
            let ch = b.terminal(format!("war_{k}"), vec![]);
            b.add_move(c, "not_challenge", Some("does not challenge".into()), sq)
                .unwrap();
            b.add_move(c, "challenge", Some("challenges".into()), ch)
                .unwrap();
        }
        let built = b.finish(r).unwrap();
        let (n1, n2) = (built.node_of[c1].unwrap(), built.node_of[c2].unwrap());
        let mut g = Game::zeroed(std::sync::Arc::new(built.tree));
        g.chance[n1.ix()] = 0.25;
        g.chance[n2.ix()] = 0.75;
        g
    }

    #[test]
    fn outcomes_and_places_are_said_in_words() {
        let g = spoken();
        // Both types stay home: one phrase, not two node names.
        let home = [1.0, 0.0, 1.0, 0.0];
        assert_eq!(outcome_words(&g, &home), "Challenger does not challenge");
        let mixed = [1.0, 0.0, 0.0, 1.0];
        assert_eq!(
            outcome_words(&g, &mixed),
            "Challenger challenges (0.75) + Challenger does not challenge (0.25)"
        );
        let strat = node_strategies(&g, &mixed);
        assert_eq!(node_place(&g.tree, strat[0].node), "after Nature: one");
        let said = said_strategy(&g.tree, &strat[1]);
        assert_eq!(strategy_words(&said), "challenges");
    }

    #[test]
    fn repeated_phrases_are_said_once() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            and_unique(&v(&["Protege hedges", "Protege hedges"])),
            "Protege hedges"
        );
        assert_eq!(and_unique(&v(&["a", "b", "a", "c"])), "a, b and c");
    }
}
