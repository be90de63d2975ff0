//! The regions of a two-parameter map where a question's answer is yes, in plain sentences.

use super::{Effect, PreparedQuestion, QuestionError};
use crate::model::GameTemplate;
use crate::regions::{self, Condition};

/// One group of map points with the same moves in both games.
struct Group {
    effect: Effect,
    count: usize,
    theta: Vec<f64>,
    main: Vec<String>,
    background: Vec<String>,
}

/// The conditions of one game at `theta`: those that mention `x` or `y` (as "formula (here:
/// substituted)"), and the rest.
fn conditions(
    t: &GameTemplate,
    theta: &[f64],
    keep: &[usize],
    main: &mut Vec<String>,
    background: &mut Vec<String>,
) -> Result<(), QuestionError> {
    let prefer: Vec<usize> = keep.iter().rev().copied().collect();
    for nc in regions::node_conditions(t, theta)? {
        for (_, c) in &nc.alternatives {
            if c.always() {
                continue;
            }
            let (list, text) = if keep.iter().any(|&k| c.mentions(k)) {
                (&mut *main, with_value(c, &prefer, theta, keep))
            } else {
                (&mut *background, c.render(&prefer, Some(theta)))
            };
            if !list.contains(&text) {
                list.push(text);
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

/// Sentences stating where the answer to `q` is yes (lower) and where it is higher, on the
/// map of parameters `x` over `xr` and `y` over `yr` (others at `base`), sampled at the
/// centres of an `n × n` grid. Points are grouped by their moves in both games; each group
/// where the treatment has an effect is stated as the conjunction of its nodes' conditions
/// (isolating `y`, then `x`, where possible, with the values the other parameters have at
/// `base`); groups that print the same are merged. The conditions that do not involve `x` or
/// `y` are stated as holding at the base point. Largest groups first, lower before higher.
pub fn region_sentences(
    q: &PreparedQuestion,
    base: &[f64],
    x: usize,
    y: usize,
    xr: (f64, f64),
    yr: (f64, f64),
    n: usize,
) -> Result<Vec<String>, QuestionError> {
    let n = n.max(1);
    let names = &q.treatment.params.names;
    let mut groups: Vec<(Vec<u32>, Vec<u32>, Group)> = Vec::new();
    let mut theta = base.to_vec();
    for i in 0..n {
        for j in 0..n {
            theta[x] = xr.0 + (xr.1 - xr.0) * (i as f64 + 0.5) / n as f64;
            theta[y] = yr.0 + (yr.1 - yr.0) * (j as f64 + 0.5) / n as f64;
            let a = q.answer(&theta)?;
            let (st, sc) = a.signature;
            match groups.iter_mut().find(|g| g.0 == st && g.1 == sc) {
                Some(g) => g.2.count += 1,
                None => groups.push((
                    st,
                    sc,
                    Group {
                        effect: a.effect,
                        count: 1,
                        theta: theta.clone(),
                        main: Vec::new(),
                        background: Vec::new(),
                    },
                )),
            }
        }
    }
    let keep = [x, y];
    let mut merged: Vec<Group> = Vec::new();
    for (_, _, mut g) in groups {
        if g.effect == Effect::None {
            continue;
        }
        let (mut main, mut bg) = (Vec::new(), Vec::new());
        conditions(&q.control, &g.theta, &keep, &mut main, &mut bg)?;
        conditions(&q.treatment, &g.theta, &keep, &mut main, &mut bg)?;
        g.main = main;
        g.background = bg;
        match merged
            .iter_mut()
            .find(|m| m.effect == g.effect && m.main == g.main)
        {
            Some(m) => m.count += g.count,
            None => merged.push(g),
        }
    }
    merged.sort_by_key(|g| (g.effect != Effect::Lower, std::cmp::Reverse(g.count)));
    let total = (n * n) as f64;
    let ev = &q.def.event.v;
    let mut out = Vec::new();
    for g in merged {
        let a = q.answer(&g.theta)?;
        let mut s = format!(
            "{} {} ({}% of the map over {} and {}) when {}: P({ev}) is {} {} but {} {}.",
            capital(&q.def.subject),
            q.word(g.effect),
            crate::output::words::num((100.0 * g.count as f64 / total).round()),
            names[x],
            names[y],
            if g.main.is_empty() {
                "everywhere on the map".to_string()
            } else {
                g.main.join(" and ")
            },
            crate::output::words::num(a.p_control),
            q.control_label,
            crate::output::words::num(a.p_treatment),
            q.treatment_label,
        );
        if !g.background.is_empty() {
            s.push_str(&format!(
                " This needs, as at the base point, {}.",
                g.background.join(" and ")
            ));
        }
        out.push(s);
    }
    Ok(out)
}

fn capital(s: &str) -> String {
    super::capital(s)
}
