//! A generated big model against the same game written as a Gambit `.efg`.
//!
//! The model reader and builder take fast paths for big files (numbers without the formula
//! parser, tables by index, no copy of the syntax tree); these tests check that a model of
//! about 10^4 nodes still loads to exactly the game its `.efg` twin describes, and that a
//! mistake deep in such a file is still reported at its place. Both files are written here,
//! from one random tree (the shape `benches/gen_model.py` and `benches/gen_efg.py` draw).

use crate::game::{Game, NodeId, NodeKind};

/// The benches' generator (xorshift64, seed 42).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut s = self.0;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        self.0 = s;
        s
    }
}

/// A random tree: per node, its first child and number of children (0 at a leaf), a mover
/// at decision nodes and three payoff texts at leaves.
struct Random {
    first: Vec<usize>,
    count: Vec<usize>,
    mover: Vec<u64>,
    pays: Vec<[String; 3]>,
}

fn random_tree(n: usize) -> Random {
    let mut rnd = XorShift(42 | 1);
    let (mut first, mut count) = (vec![0], vec![0]);
    let mut head = 0;
    while head < first.len() && first.len() < n {
        let k = 2 + (rnd.next() % 3) as usize;
        first[head] = first.len();
        count[head] = k;
        first.extend(std::iter::repeat_n(0, k));
        count.extend(std::iter::repeat_n(0, k));
        head += 1;
    }
    let mut pay = || format!("{:.2}", (rnd.next() % 1000) as f64 / 100.0);
    let pays: Vec<[String; 3]> = count
        .iter()
        .map(|&k| {
            if k == 0 {
                [pay(), pay(), pay()]
            } else {
                Default::default()
            }
        })
        .collect();
    let mover = (0..first.len()).map(|i| (i as u64 * 7 + 3) % 3).collect();
    Random {
        first,
        count,
        mover,
        pays,
    }
}

const LABELS: [&str; 4] = ["a", "b", "c", "d"];

/// The tree as a model file: `[nodes.nK]` and `[outcomes.oK]` tables, every tenth outcome's
/// first payoff a formula `x*scale` (with `scale = 1`).
fn model_text(r: &Random) -> String {
    let mut w = String::from(
        "title = \"random\"\nplayers = [\"P0\", \"P1\", \"P2\"]\nroot = \"n0\"\n\n\
         [parameters]\nscale = { value = 1, range = [0, 2] }\n\n",
    );
    let to = |j: usize| {
        if r.count[j] > 0 {
            format!("n{j}")
        } else {
            format!("o{j}")
        }
    };
    for i in 0..r.first.len() {
        if r.count[i] == 0 {
            let p = &r.pays[i];
            let p0 = if i % 10 == 0 {
                format!("\"{}*scale\"", p[0])
            } else {
                p[0].clone()
            };
            w += &format!(
                "[outcomes.o{i}]\npayoffs = {{ P0 = {p0}, P1 = {}, P2 = {} }}\n\n",
                p[1], p[2]
            );
        } else {
            let moves: Vec<String> = (0..r.count[i])
                .map(|m| format!("{} = {{ to = \"{}\" }}", LABELS[m], to(r.first[i] + m)))
                .collect();
            w += &format!(
                "[nodes.n{i}]\nplayer = \"P{}\"\nmoves = {{ {} }}\n\n",
                r.mover[i],
                moves.join(", ")
            );
        }
    }
    w
}

/// The same tree as a Gambit `.efg` (nodes in depth-first order, as the format wants).
fn efg_text(r: &Random) -> String {
    let mut w = String::from("EFG 2 R \"random\" { \"P0\" \"P1\" \"P2\" }\n\"\"\n\n");
    let (mut outcome, mut infoset) = (0, [0usize; 3]);
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        let k = r.count[i];
        if k == 0 {
            outcome += 1;
            let p = &r.pays[i];
            w += &format!("t \"\" {outcome} \"\" {{ {} {} {} }}\n", p[0], p[1], p[2]);
        } else {
            let p = r.mover[i] as usize;
            infoset[p] += 1;
            let acts: Vec<String> = LABELS[..k].iter().map(|l| format!("\"{l}\"")).collect();
            w += &format!(
                "p \"\" {} {} \"\" {{ {} }} 0\n",
                p + 1,
                infoset[p],
                acts.join(" ")
            );
            stack.extend((r.first[i]..r.first[i] + k).rev());
        }
    }
    w
}

/// Walks both games from their roots, comparing movers, move labels and payoffs; returns the
/// number of nodes compared.
fn assert_same_game(a: &Game, b: &Game) -> usize {
    let root = |g: &Game| {
        let i = g.tree.nodes.iter().position(|n| n.parent().is_none());
        NodeId::from(i.expect("a root"))
    };
    let np = a.tree.n_players();
    assert_eq!(np, b.tree.n_players());
    let mut stack = vec![(root(a), root(b))];
    let mut seen = 0;
    while let Some((x, y)) = stack.pop() {
        seen += 1;
        let (nx, ny) = (a.tree.node(x), b.tree.node(y));
        assert_eq!(nx.n_children, ny.n_children, "children at {x:?} / {y:?}");
        match (nx.kind, ny.kind) {
            (
                NodeKind::Decision {
                    player: px,
                    infoset: ix,
                },
                NodeKind::Decision {
                    player: py,
                    infoset: iy,
                },
            ) => {
                assert_eq!(px, py, "mover at {x:?} / {y:?}");
                for m in 0..nx.n_children as usize {
                    assert_eq!(a.tree.action_label(ix, m), b.tree.action_label(iy, m));
                }
            }
            (NodeKind::Terminal { leaf: lx }, NodeKind::Terminal { leaf: ly }) => {
                let (px, py) = (
                    &a.payoffs[lx.ix() * np..][..np],
                    &b.payoffs[ly.ix() * np..][..np],
                );
                assert_eq!(px, py, "payoffs at {x:?} / {y:?}");
            }
            (kx, ky) => panic!("{kx:?} against {ky:?}"),
        }
        for (cx, cy) in nx.children().zip(ny.children()) {
            stack.push((NodeId::from(cx), NodeId::from(cy)));
        }
    }
    seen
}

#[test]
fn a_generated_model_loads_to_the_game_of_its_efg_twin() {
    let r = random_tree(10_000);
    let loaded = super::load("random.toml", model_text(&r));
    assert!(loaded.diags.is_empty(), "{:?}", &loaded.diags[..1]);
    let t = loaded.template.as_ref().expect("a template");
    let model = t.instantiate(&t.defaults()).expect("instantiates");
    let efg = crate::format::efg::read(&efg_text(&r)).expect("the .efg reads");
    assert_eq!(model.tree.nodes.len(), r.first.len());
    assert_eq!(efg.tree.nodes.len(), r.first.len());
    assert_eq!(assert_same_game(&model, &efg), r.first.len());
    // The template shares the model the loader returns, rather than a copy of it.
    assert!(std::sync::Arc::ptr_eq(&loaded.ast, &t.ast));
}

#[test]
fn a_mistake_deep_in_a_generated_model_is_reported_at_its_place() {
    let r = random_tree(10_000);
    let good = model_text(&r);
    // A move into an outcome that does not exist, and a payoff that is not a number, near
    // the end of the file.
    let leaf = (0..r.first.len())
        .rev()
        .find(|&i| r.count[i] == 0)
        .expect("a leaf");
    let parent = (0..r.first.len())
        .find(|&i| r.count[i] > 0 && (r.first[i]..r.first[i] + r.count[i]).contains(&leaf))
        .expect("a parent");
    let into = format!("to = \"o{leaf}\"");
    let text = good.replacen(&into, "to = \"q_missing\"", 1);
    let other = (0..r.first.len())
        .rev()
        .find(|&i| r.count[i] == 0 && i % 10 != 0 && i != leaf)
        .expect("another leaf");
    let pays = format!(
        "[outcomes.o{other}]\npayoffs = {{ P0 = {}",
        r.pays[other][0]
    );
    let text = text.replacen(
        &pays,
        &format!("[outcomes.o{other}]\npayoffs = {{ P0 = true"),
        1,
    );
    let loaded = super::load("random.toml", text.clone());
    let errors: Vec<_> = loaded.diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let bad_to = text.find("\"q_missing\"").expect("written");
    let unknown = errors
        .iter()
        .find(|d| d.message.contains("leads to unknown `q_missing`"))
        .expect("the unknown target is reported");
    assert_eq!(unknown.span, Some(bad_to..bad_to + "\"q_missing\"".len()));
    assert!(unknown.message.contains(&format!("of node `n{parent}`")));
    let bad_pay = text.find("P0 = true").expect("written") + "P0 = ".len();
    let payoff = errors
        .iter()
        .find(|d| {
            d.message
                .contains(&format!("the payoff of `P0` at outcome `o{other}`"))
        })
        .expect("the payoff is reported");
    assert_eq!(payoff.span, Some(bad_pay..bad_pay + "true".len()));
    assert!(loaded.template.is_none());
}

#[test]
fn plain_numbers_keep_their_records_and_exact_values() {
    let r = random_tree(10_000);
    let text = model_text(&r);
    let loaded = super::load("random.toml", text.clone());
    let t = loaded.template.as_ref().expect("a template");
    let np = t.tree.n_players();
    // Each formula's record, made on demand for a number, is the one the formula parser and
    // the description give; the list read as a slice agrees with the records one by one.
    let (mut numbers, mut formulas) = (0, 0);
    for leaf in 0..t.tree.leaves.len() {
        let outcome = &t.tree.node_names[t.tree.leaves[leaf].node.ix()];
        for p in 0..np {
            let i = leaf * np + p;
            let info = t.formulas.info(i);
            assert_eq!(
                info.what,
                format!("the payoff of P{p} at outcome `{outcome}`")
            );
            assert_eq!(
                info.ast,
                crate::expr::parse(&info.src.text).expect("a formula")
            );
            assert_eq!(&*t.formulas.src(i), &info.src);
            let written = &text[info.src.span.clone()];
            if written.starts_with('"') {
                formulas += 1;
                assert_eq!(&written[1..written.len() - 1], info.src.text.as_str());
            } else {
                numbers += 1;
                // A number's text is its shortest form (`0.50` is written `0.5`).
                assert_eq!(written.parse::<f64>(), info.src.text.parse::<f64>());
            }
        }
    }
    assert!(
        numbers > 10 * formulas && formulas > 100,
        "{numbers} / {formulas}"
    );
    let all: &[super::template::FormulaInfo] = &t.formulas;
    assert_eq!(all.len(), t.formulas.len());
    for (i, f) in all.iter().enumerate() {
        assert_eq!(*f, *t.formulas.info(i));
    }
    // Exact numbers are the decimals as written (`3.47` is 347/100).
    let theta = t.exact_point(&text, None, &[]).expect("a point");
    let exact = t
        .instantiate_exact(&theta)
        .expect("instantiates")
        .expect("every number is rational");
    let floats = t.instantiate(&t.defaults()).expect("instantiates");
    for i in 0..t.formulas.len() {
        let src = t.formulas.src(i);
        let q = crate::exact::parse(src.text.trim_end_matches("*scale")).expect("a decimal");
        assert_eq!(exact.payoffs().get(i), q, "payoff {i} `{}`", src.text);
        assert_eq!(floats.payoffs[i], crate::exact::to_f64(&q));
    }
}

#[test]
fn a_failing_formula_deep_in_a_generated_model_is_described_and_located() {
    let r = random_tree(10_000);
    let good = model_text(&r);
    // The last formula payoff divides by `scale - 1`, zero at the default.
    let at = good.rfind("*scale\"").expect("a formula");
    let text = format!(
        "{}/(scale - 1){}",
        &good[..at],
        &good[at + "*scale".len()..]
    );
    let outcome = text[..at]
        .rfind("[outcomes.")
        .map(|s| &text[s + "[outcomes.".len()..])
        .and_then(|s| s.split(']').next())
        .expect("its outcome");
    let loaded = super::load("random.toml", text.clone());
    let errors: Vec<_> = loaded.diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0];
    assert!(
        e.message
            .starts_with(&format!("the payoff of P0 at outcome `{outcome}` `"))
            && e.message
                .contains("/(scale - 1)` fails at the default parameter values"),
        "{}",
        e.message
    );
    let span = e.span.clone().expect("located");
    assert!(
        span.start > at - 10 && span.end <= at + "/(scale - 1)".len() + 1,
        "{span:?} near {at}"
    );
    assert!(loaded.template.is_none());
}

#[test]
fn plain_decimals_read_as_the_formula_parser_reads_them() {
    use super::ast::FormulaSrc;
    let src = |t: &str| FormulaSrc {
        text: t.into(),
        span: 0..t.len(),
        base: None,
        args: None,
    };
    let mut rnd = XorShift(7);
    let mut texts: Vec<String> = [
        "0", "12", "3.47", ".5", "2.", "007", "1.2.3", ".", "", "1e3", "-1",
    ]
    .map(String::from)
    .to_vec();
    texts.push("9".repeat(400));
    for _ in 0..2000 {
        let len = 1 + (rnd.next() % 12) as usize;
        texts.push(
            (0..len)
                .map(|_| b"0123456789.."[(rnd.next() % 12) as usize] as char)
                .collect(),
        );
    }
    for t in &texts {
        let parsed = crate::expr::parse(t).ok().and_then(|a| match a.kind {
            crate::expr::AstKind::Num(v) if a.span == (0..t.len()) => Some(v),
            _ => None,
        });
        match super::build::plain_decimal(&src(t)) {
            Some(v) => assert_eq!(Some(v), parsed, "`{t}`"),
            // Texts the shortcut leaves to the parser are not plain decimals.
            None => assert!(
                parsed.is_none() || !t.bytes().all(|c| c.is_ascii_digit() || c == b'.'),
                "`{t}`"
            ),
        }
    }
}
