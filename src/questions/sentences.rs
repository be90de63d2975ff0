//! Regions of a two-parameter map in plain sentences: where a question's answer is yes
//! ([`region_sentences`]) and which parameters produce each outcome of a game
//! ([`outcome_regions`]).

use super::{Effect, PreparedQuestion, QuestionError};
use crate::model::GameTemplate;
use crate::output::words::{num, outcome_label, path_in_words};
use crate::poly::{Poly, ZERO};
use crate::regions::{self, Condition, RegionError};
use crate::solve::backward;

/// One group of map points with the same moves (or merged groups).
struct Group {
    /// The outcome label.
    label: String,
    count: usize,
    theta: Vec<f64>,
    main: Vec<Condition>,
    background: Vec<String>,
}

/// The conditions of one game at `theta`: those that mention `x` or `y`, and the rest (as
/// text).
fn conditions(
    t: &GameTemplate,
    theta: &[f64],
    keep: &[usize],
    main: &mut Vec<Condition>,
    background: &mut Vec<String>,
) -> Result<(), RegionError> {
    let prefer: Vec<usize> = keep.iter().rev().copied().collect();
    for nc in regions::node_conditions(t, theta)? {
        for (_, c) in nc.alternatives {
            if c.always() {
                continue;
            }
            if keep.iter().any(|&k| c.mentions(k)) {
                let text = with_value(&c, &prefer, theta, keep);
                if !main
                    .iter()
                    .any(|m| with_value(m, &prefer, theta, keep) == text)
                {
                    main.push(c);
                }
            } else {
                let text = c.render(&prefer, Some(theta));
                if !background.contains(&text) {
                    background.push(text);
                }
            }
        }
    }
    Ok(())
}

/// "c_D < a - lambda*T + L (here c_D < 3 - 0.5*T)"; the formula alone when both agree.
fn with_value(c: &Condition, prefer: &[usize], theta: &[f64], keep: &[usize]) -> String {
    let formula = c.render(prefer, Some(theta));
    let here = c.render_at(prefer, theta, keep);
    if formula == here {
        formula
    } else {
        format!("{formula} (here {here})")
    }
}

/// The margin as a polynomial in `keep`, scaled so the first of `keep` (from the end) with a
/// constant coefficient has coefficient ±1: `(margin, variable, sign)`.
fn normalized(c: &Condition, theta: &[f64], keep: &[usize]) -> Option<(Poly, usize, bool)> {
    if c.tie {
        return None;
    }
    let d = c.margin_in(theta, keep)?;
    for &v in keep.iter().rev() {
        if let Some((coef, _)) = d.split_linear(v) {
            if let Some(k) = coef.as_constant().filter(|k| k.abs() > ZERO) {
                return Some((d.scale(1.0 / k.abs()), v, k > 0.0));
            }
        }
    }
    None
}

/// True if `a` and `b` are exact opposites (`c_D < a0` and `c_D > a0`).
fn complementary(a: &Condition, b: &Condition, theta: &[f64], keep: &[usize]) -> bool {
    match (normalized(a, theta, keep), normalized(b, theta, keep)) {
        (Some((da, va, sa)), Some((db, vb, sb))) => {
            va == vb && sa != sb && da.add_scaled(&db, 1.0).is_zero()
        }
        _ => false,
    }
}

/// Drops conditions implied by another one bounding the same variable the same way by a
/// tighter constant (`c_D < alpha + 1` given `c_D < alpha + 0.5`).
fn drop_redundant(g: &mut Group, keep: &[usize]) {
    let mut k = 0;
    while k < g.main.len() {
        let implied = normalized(&g.main[k], &g.theta, keep).is_some_and(|(dk, vk, sk)| {
            g.main.iter().enumerate().any(|(j, other)| {
                j != k
                    && normalized(other, &g.theta, keep).is_some_and(|(dj, vj, sj)| {
                        // dk = dj + c with c > 0 (or c = 0 and j first): dj > 0 implies dk > 0.
                        vj == vk
                            && sj == sk
                            && dk
                                .sub(&dj)
                                .as_constant()
                                .is_some_and(|c| c > ZERO || (c.abs() <= ZERO && j < k))
                    })
            })
        });
        if implied {
            g.main.remove(k);
        } else {
            k += 1;
        }
    }
}

/// Merges two groups with the same outcome whose conditions differ only in one opposite pair:
/// that node's move does not matter to the answer.
fn merge_complements(groups: &mut Vec<Group>, keep: &[usize]) {
    'outer: loop {
        for i in 0..groups.len() {
            for j in i + 1..groups.len() {
                let (a, b) = (&groups[i], &groups[j]);
                if a.label != b.label || a.main.len() != b.main.len() {
                    continue;
                }
                let diff: Vec<usize> = (0..a.main.len())
                    .filter(|&k| a.main[k] != b.main[k])
                    .collect();
                if let [k] = diff[..] {
                    if complementary(&a.main[k], &b.main[k], &a.theta, keep) {
                        let b = groups.remove(j);
                        let a = &mut groups[i];
                        a.main.remove(k);
                        a.count += b.count;
                        for s in b.background {
                            if !a.background.contains(&s) {
                                a.background.push(s);
                            }
                        }
                        continue 'outer;
                    }
                }
            }
        }
        break;
    }
}

/// Sentences stating where the answer to `q` is yes (lower) and where it is higher, on the
/// map of parameters `x` over `xr` and `y` over `yr` (others at `base`), sampled at the nodes
/// of an `n × n` grid: the regions of [`super::map_regions`], each as its conditions with the
/// other parameters' values filled in, then in the model's terms; the conditions that do not
/// involve `x` or `y` are stated as holding at the base point. Lower before higher, largest
/// regions first.
pub fn region_sentences(
    q: &PreparedQuestion,
    base: &[f64],
    x: usize,
    y: usize,
    xr: (f64, f64),
    yr: (f64, f64),
    n: usize,
) -> Result<Vec<String>, QuestionError> {
    let names = &q.treatment.params.names;
    let m = super::question_map(q, base, (x, y), (xr, yr), n)?;
    let ev = &q.def.event.v;
    let mut out = Vec::new();
    for effect in [Effect::Lower, Effect::Higher] {
        for r in super::map_regions(q, base, &m, effect) {
            let pct = 100.0 * r.share;
            let share = if pct < 1.0 {
                "under 1%".to_string()
            } else {
                format!("{}%", num((10.0 * pct).round() / 10.0))
            };
            let when = if r.numeric.is_empty() {
                "everywhere on the map".to_string()
            } else {
                r.numeric.join(" and ")
            };
            let mut s = format!(
                "{} {} ({share} of the map over {} and {}) when {when}",
                capital(&q.def.subject),
                q.word(effect),
                names[x],
                names[y],
            );
            if !r.exact.is_empty() && r.exact != r.numeric {
                s.push_str(&format!(
                    " (in the model's terms: {})",
                    r.exact.join(" and ")
                ));
            }
            s.push_str(&format!(
                ": P({ev}) is {} {} but {} {}.",
                num(r.probabilities.1),
                q.control_label,
                num(r.probabilities.0),
                q.treatment_label,
            ));
            if !r.background.is_empty() {
                s.push_str(&format!(
                    " This needs, as at the base point, {}.",
                    r.background.join(" and ")
                ));
            }
            out.push(s);
        }
    }
    let tied = m.tied_share();
    if tied > 0.0 {
        let pct = 100.0 * tied;
        let share = if pct < 1.0 {
            "under 1%".to_string()
        } else {
            format!("{}%", num(pct.round()))
        };
        out.push(format!(
            "On {share} of the map over {} and {} a mover is indifferent and how it breaks the \
             tie decides the answer (the subgame-perfect equilibria disagree); the regions above \
             are where the answer holds in every subgame-perfect equilibrium.",
            names[x], names[y]
        ));
    }
    Ok(out)
}

/// The centre of cell `i` of `n` over `r`.
fn centre(r: (f64, f64), i: usize, n: usize) -> f64 {
    r.0 + (r.1 - r.0) * (i as f64 + 0.5) / n as f64
}

fn capital(s: &str) -> String {
    super::capital(s)
}

/// The region of a two-parameter map that produces one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeRegion {
    /// The outcome label (the reached leaf's name, or a mix when play is random).
    pub outcome: String,
    /// The path of play in words.
    pub path: String,
    /// Share of the map, in [0, 1]: exact when the regions' conditions are linear in the two
    /// axes and tile the map, else the share of the sampled points.
    pub share: f64,
    /// The conditions involving `x` or `y`: "formula (here value)" each.
    pub conditions: Vec<String>,
    /// The other conditions, holding at the base point.
    pub background: Vec<String>,
}

/// Which parameters produce each outcome of `t` on the map of `x` over `xr` and `y` over `yr`
/// (others at `base`), sampled like [`region_sentences`]: points grouped by every node's move,
/// each group's conditions simplified the same way; groups with the same outcome and the same
/// printed conditions merged. Largest first. (A region may be listed in several pieces when
/// different strategies lead to the same outcome.)
pub fn outcome_regions(
    t: &GameTemplate,
    base: &[f64],
    x: usize,
    y: usize,
    xr: (f64, f64),
    yr: (f64, f64),
    n: usize,
) -> Result<Vec<OutcomeRegion>, RegionError> {
    let n = n.max(1);
    let mut groups: Vec<(Vec<u32>, Group, String)> = Vec::new();
    let mut theta = base.to_vec();
    for i in 0..n {
        for j in 0..n {
            theta[x] = centre(xr, i, n);
            theta[y] = centre(yr, j, n);
            let (game, ws) = regions::solve_at(t, &theta, regions::TIE_TOL)?;
            match groups.iter_mut().find(|g| g.0 == ws.choice) {
                Some(g) => g.1.count += 1,
                None => {
                    let prof = backward::profile_of(&t.tree, &ws);
                    groups.push((
                        ws.choice.clone(),
                        Group {
                            label: outcome_label(&game, &prof),
                            count: 1,
                            theta: theta.clone(),
                            main: Vec::new(),
                            background: Vec::new(),
                        },
                        path_in_words(&game, &prof),
                    ))
                }
            }
        }
    }
    let keep = [x, y];
    let prefer = [y, x];
    let mut paths = Vec::new();
    let mut merged = Vec::new();
    for (_, mut g, path) in groups {
        conditions(t, &g.theta, &keep, &mut g.main, &mut g.background)?;
        paths.push((g.label.clone(), path));
        merged.push(g);
    }
    merge_complements(&mut merged, &keep);
    for g in &mut merged {
        drop_redundant(g, &keep);
    }
    let exact = exact_shares(&merged, (x, xr), (y, yr), n);
    let mut out: Vec<OutcomeRegion> = Vec::new();
    for (k, g) in merged.into_iter().enumerate() {
        let conditions: Vec<String> = g
            .main
            .iter()
            .map(|c| with_value(c, &prefer, &g.theta, &keep))
            .collect();
        let share = match &exact {
            Some(e) => e[k],
            None => g.count as f64 / (n * n) as f64,
        };
        match out
            .iter_mut()
            .find(|r| r.outcome == g.label && r.conditions == conditions)
        {
            Some(r) => r.share += share,
            None => out.push(OutcomeRegion {
                path: paths
                    .iter()
                    .find(|p| p.0 == g.label)
                    .map_or(String::new(), |p| p.1.clone()),
                outcome: g.label,
                share,
                conditions,
                background: g.background,
            }),
        }
    }
    out.sort_by(|a, b| b.share.total_cmp(&a.share));
    Ok(out)
}

/// Each group's exact share of the map, when every group's conditions are linear in the two
/// axes (the rectangle clipped by them, [`crate::geometry`]), the exact shares add up to the
/// whole map, and each agrees with its share of the `n × n` sampled points to within the
/// grid's resolution; `None` otherwise (the sampled shares stand).
fn exact_shares(
    groups: &[Group],
    (x, xr): (usize, (f64, f64)),
    (y, yr): (usize, (f64, f64)),
    n: usize,
) -> Option<Vec<f64>> {
    let keep = [x, y];
    let mut total = crate::exact::Rational::from_integer(0.into());
    let mut shares = Vec::with_capacity(groups.len());
    let resolution = 4.0 / n as f64;
    for g in groups {
        let margins: Vec<Poly> = g
            .main
            .iter()
            .map(|c| c.margin_in(&g.theta, &keep))
            .collect::<Option<_>>()?;
        let refs: Vec<&Poly> = margins.iter().collect();
        let sampled = g.count as f64 / (n * n) as f64;
        let s = crate::geometry::share_near(&refs, (x, xr), (y, yr), sampled, resolution)?;
        shares.push(crate::exact::to_f64(&s));
        total += s;
    }
    (total == crate::exact::Rational::from_integer(1.into())).then_some(shares)
}
