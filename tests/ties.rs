//! Ties decided exactly and answers over every subgame-perfect equilibrium: the tie rule (first
//! listed move) applied the same way by `solve` and the analyses, whatever the rounding; a
//! question's answer and report that read the same whichever order a tied mover's moves are
//! written in, and say when a tie decides.

use crate::util::{choice, deter_ok, repo, solve_bi, template, theta};
use deter::model;
use deter::questions::{self, Effect, Modality};
use deter::regions::{exact_theta, spe_set, SET_CAP};
use deter::report::{self, doc, render, Options};

/// The protégé's two moves at `rok_0` of models/deterrence_dialogue.toml, as written.
const ROK_0: &str = r#"moves  = { no_dialogue = { to = "dprk_00", say = "does not open a dialogue" }, dialogue = { to = "dprk_01", say = "opens a dialogue" } }"#;
/// The same moves in the other order.
const ROK_0_SWAPPED: &str = r#"moves  = { dialogue = { to = "dprk_01", say = "opens a dialogue" }, no_dialogue = { to = "dprk_00", say = "does not open a dialogue" } }"#;

/// The dialogue model as written and with the moves at `rok_0` swapped.
fn dialogue_both_ways() -> [model::GameTemplate; 2] {
    let path = repo("models/deterrence_dialogue.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is needed: {e}", path.display()));
    let rok_0 = text.find("[nodes.rok_0]").expect("node rok_0 is declared");
    let at = rok_0 + text[rok_0..].find(ROK_0).expect("rok_0's moves as written");
    let swapped = format!(
        "{}{ROK_0_SWAPPED}{}",
        &text[..at],
        &text[at + ROK_0.len()..]
    );
    [text, swapped].map(|t| {
        model::load("deterrence_dialogue.toml", t)
            .template
            .expect("both orders are valid")
    })
}

/// The report's question sections in Markdown (from the first question to the statics).
fn question_sections(r: &report::Report) -> String {
    let md = render::markdown(&doc::document(r));
    let from = md.find("## Question").expect("a question section");
    let to = md[from..]
        .find("## Comparative statics")
        .map_or(md.len(), |k| from + k);
    md[from..to].to_string()
}

#[test]
fn dialogue_answers_do_not_depend_on_the_order_of_moves() {
    // At the baseline the protégé is indifferent at `rok_0` (without commitment its dialogue
    // and its silence are both provoked and unanswered: -g_P either way), and which way it
    // breaks the tie decides whether commitment sustains dialogue (docs/models/deterrence_dialogue.md).
    let [t, s] = dialogue_both_ways();
    let opts = Options {
        grid: 31,
        ..Options::default()
    };
    let rt = report::build(&t, "deterrence_dialogue.toml", &opts).unwrap();
    let rs = report::build(&s, "deterrence_dialogue.toml", &opts).unwrap();
    for (qt, qs) in rt.questions.iter().zip(&rs.questions) {
        assert_eq!(
            qt.answers,
            qs.answers
                .clone()
                .into_iter()
                .map(|mut a| {
                    // The tie rule's single selection is the one thing that may differ.
                    let same = qt.answers.iter().find(|b| b.name == a.name).unwrap();
                    a.effect = same.effect;
                    a.p = same.p;
                    a
                })
                .collect::<Vec<_>>()
        );
        assert_eq!(qt.lower_regions, qs.lower_regions);
        assert_eq!(qt.higher_regions, qs.higher_regions);
        assert_eq!(qt.tied_share, qs.tied_share);
    }
    assert_eq!(question_sections(&rt), question_sections(&rs));
    // The selections differ (that is the tie), the stated answer does not, and it names the tie.
    let q = &rt.questions[0];
    assert_eq!(q.name, "commitment_sustains_dialogue");
    let base = &q.answers[0];
    let swapped = &rs.questions[0].answers[0];
    assert_ne!(base.effect, swapped.effect, "the tie rule picks by order");
    assert!(base.tied);
    assert_eq!(base.p_sets, (vec![1.0], vec![0.0, 1.0]));
    assert_eq!(
        base.verdict,
        "it depends on a tie: a reinforced commitment sustains dialogue only if Protégé (ROK), \
         after Defender (US) does not reinforce its commitment, breaks its tie towards “does not \
         open a dialogue”; a reinforced commitment makes no difference only if Protégé (ROK), \
         after Defender (US) does not reinforce its commitment, breaks its tie towards “opens a \
         dialogue”"
    );
    assert!(
        q.tied_share > 0.5,
        "the tie spans c_D > a0: {}",
        q.tied_share
    );
    let md = question_sections(&rt);
    assert!(md.contains("a mover is indifferent and how it breaks the tie decides the answer"));
}

#[test]
fn answer_sets_agree_with_every_equilibrium_solved() {
    // The answer's sets are the event's probabilities in every pure SPE that `--ties all`
    // lists for each counterfactual game, and the modality follows from their pairs.
    let [t, _] = dialogue_both_ways();
    let q = questions::prepare(&t).unwrap().remove(0);
    let th = t.defaults();
    let a = q.answer(&th).unwrap();
    for (game_t, set) in [
        (&q.treatment, &a.treatment_set),
        (&q.control, &a.control_set),
    ] {
        let g = game_t.instantiate(&th).unwrap();
        let all = deter::solve::backward::enumerate(&g, 1e-9, 64).0;
        assert_eq!(set.probs.len(), all.len());
        assert!(!set.truncated);
    }
    assert_eq!(a.effects.modality(Effect::Higher), Modality::Some);
    assert_eq!(a.effects.modality(Effect::None), Modality::Some);
    assert_eq!(a.effects.modality(Effect::Lower), Modality::No);
    // The second question is unanimous: commitment restrains whichever way the tie goes.
    let r = questions::prepare(&t).unwrap().remove(1);
    let b = r.answer(&th).unwrap();
    assert_eq!(b.effects.modality(Effect::Lower), Modality::Every);
    assert_eq!(
        r.verdict(&b),
        "a reinforced commitment restrains in every subgame-perfect equilibrium"
    );
}

#[test]
fn hedging_tie_at_t_0_2_plays_the_first_listed_move_everywhere() {
    // docs/models/hedging.md: the protégé realigns at `protege_h` iff psi0 + beta*T > 0, a tie
    // at T = 0.2 (psi0 = -0.2, beta = 1) where the float values differ in the last bit. `solve`
    // (exact or float) and the analyses must all play the first listed move, `realign`.
    let t = template("models/hedging.toml");
    let th = theta(&t, None, &[("T", 0.2)]);
    let g = t.instantiate(&th).unwrap();
    assert_eq!(choice(&g, &solve_bi(&g), "protege_h"), "realign");
    let (game, ws) = deter::regions::solve_at(&t, &th, deter::regions::TIE_TOL).unwrap();
    let node = t
        .tree
        .node_names
        .iter()
        .position(|n| n == "protege_h")
        .unwrap();
    let first = t.tree.nodes[node].first_child as usize;
    assert_eq!(
        &t.tree.move_labels[first + ws.choice[node] as usize],
        "realign"
    );
    assert_eq!(ws.ties.len(), 1, "the tie is reported");
    assert_eq!(ws.ties[0].node.ix(), node, "the tie is at protege_h");
    // The exact solve agrees, and the set holds both ways of breaking the tie, the stated
    // rule's first.
    let ex = t.instantiate_exact(&exact_theta(&th).unwrap()).unwrap();
    let set = spe_set(&game, &ws, ex.as_ref(), SET_CAP);
    assert_eq!(set.choices.len(), 2);
    assert_eq!(set.choices[0], ws.choice);
    assert!(!set.truncated);
    // Off the path, but the challenger's choice upstream depends on how the protégé would
    // break it, so the answer depends on the tie and says so.
    let q = questions::prepare(&t).unwrap().remove(0);
    let a = q.answer(&th).unwrap();
    assert!(a.effects.tied());
    let v = q.verdict(&a);
    assert!(v.starts_with("it depends on a tie: "), "{v}");
    assert!(v.contains("breaks its tie towards “realigns”"), "{v}");
    // The one equilibrium of the Cold War scenario is stated without a word about ties.
    let cold = q.answer(&theta(&t, Some("cold_war"), &[])).unwrap();
    assert_eq!(q.verdict(&cold), "hedging deters");
}

#[test]
fn sweep_counts_the_equilibria_a_tie_allows() {
    // hedging.toml at T = 0.2 has the protégé's tie at `protege_h` (two pure SPE); at T = 0 and
    // T = 0.4 the equilibrium is unique.
    let out = deter_ok(&["sweep", "models/hedging.toml", "--vary", "T=0:0.4:3"]);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (n_eq, n_ties) = (col("n_equilibria"), col("n_ties"));
    let rows: Vec<(String, String)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[n_eq].to_string(), f[n_ties].to_string())
        })
        .collect();
    let want = [("1", "0"), ("2", "1"), ("1", "0")].map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(rows, want);
}
