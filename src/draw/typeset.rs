//! Formulas typeset for figures: `e_P - g_P + psi0 + beta*T` becomes e<sub>P</sub> − g<sub>P</sub>
//! + ψ<sub>0</sub> + β·T, as SVG (`tspan`s) and as LaTeX (`e_{P} - g_{P} + \psi_{0} + \beta T`).
//!
//! A formula is first turned into [`Piece`]s — upright text (numbers, operators, function
//! names) and variables (an italic base, Greek where the name is a Greek letter, with an
//! optional subscript) — which each back end renders. A parameter name is split at its first
//! underscore (`c_D` → c with subscript D) or before trailing digits (`psi0` → ψ₀). Parentheses
//! are kept only where the tree needs them; the recursion follows the formula tree, which the
//! parser bounds in depth ([`crate::expr::MAX_DEPTH`]).

use crate::expr::{Ast, AstKind, BinOp};
use crate::output::words::num;
use crate::plot::canvas::{esc, text_width};

/// One piece of a typeset formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Upright text: numbers, operators, parentheses, function names.
    Text(String),
    /// A variable: base (italic), optional subscript.
    Var {
        /// The base, already mapped to a Greek letter where the name is one.
        base: String,
        /// Whether `base` is a Greek letter (LaTeX writes it as a command).
        greek: Option<&'static str>,
        /// The subscript, if any.
        sub: Option<String>,
    },
    /// A superscript (an exponent).
    Sup(Vec<Piece>),
}

const GREEK: [(&str, &str); 30] = [
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("rho", "ρ"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Sigma", "Σ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
];

fn greek(name: &str) -> Option<(&'static str, &'static str)> {
    GREEK.iter().find(|(n, _)| *n == name).map(|&(n, g)| (n, g))
}

/// A parameter name as a variable piece.
pub fn variable(name: &str) -> Piece {
    let (base, sub) = match name.split_once('_') {
        Some((b, s)) if !b.is_empty() && !s.is_empty() => (b, Some(s.replace('_', ","))),
        _ => {
            let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && digits < name.len() {
                let (b, d) = name.split_at(name.len() - digits);
                (b, Some(d.to_string()))
            } else {
                (name, None)
            }
        }
    };
    let sub = sub.map(|s| greek(&s).map_or(s.clone(), |(_, g)| g.to_string()));
    match greek(base) {
        Some((n, g)) => Piece::Var {
            base: g.to_string(),
            greek: Some(n),
            sub,
        },
        None => Piece::Var {
            base: base.to_string(),
            greek: None,
            sub,
        },
    }
}

fn prec(a: &Ast) -> u8 {
    match &a.kind {
        AstKind::Num(v) if *v < 0.0 => 4,
        AstKind::Num(_) | AstKind::Param(_) | AstKind::Call(..) | AstKind::If(..) => 6,
        AstKind::Neg(_) => 4,
        AstKind::Bin(BinOp::Add | BinOp::Sub, ..) => 2,
        AstKind::Bin(BinOp::Mul | BinOp::Div, ..) => 3,
        AstKind::Bin(BinOp::Pow, ..) => 5,
        AstKind::Cmp(..) => 1,
    }
}

fn text(out: &mut Vec<Piece>, s: &str) {
    if let Some(Piece::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Piece::Text(s.to_string()));
    }
}

fn operand(out: &mut Vec<Piece>, a: &Ast, min: u8) {
    if prec(a) < min {
        text(out, "(");
        walk(out, a);
        text(out, ")");
    } else {
        walk(out, a);
    }
}

fn walk(out: &mut Vec<Piece>, a: &Ast) {
    match &a.kind {
        AstKind::Num(v) if *v < 0.0 => {
            text(out, "−");
            text(out, &num(-v));
        }
        AstKind::Num(v) => text(out, &num(*v)),
        AstKind::Param(n) => out.push(variable(n)),
        AstKind::Neg(x) => {
            text(out, "−");
            operand(out, x, 4);
        }
        AstKind::Bin(op, l, r) => {
            let p = prec(a);
            match op {
                BinOp::Pow => {
                    operand(out, l, p + 1);
                    let mut sup = Vec::new();
                    walk(&mut sup, r);
                    out.push(Piece::Sup(sup));
                }
                _ => {
                    operand(out, l, p);
                    text(
                        out,
                        match op {
                            BinOp::Add => " + ",
                            BinOp::Sub => " − ",
                            BinOp::Mul => "·",
                            _ => "/",
                        },
                    );
                    operand(out, r, p + 1);
                }
            }
        }
        AstKind::Cmp(op, l, r) => {
            operand(out, l, 2);
            let sym = match op.symbol() {
                "<=" => "≤",
                ">=" => "≥",
                "!=" => "≠",
                "==" => "=",
                s => s,
            };
            text(out, &format!(" {sym} "));
            operand(out, r, 2);
        }
        AstKind::Call(f, args) => {
            text(out, &format!("{}(", f.name()));
            for (i, x) in args.iter().enumerate() {
                if i > 0 {
                    text(out, ", ");
                }
                walk(out, x);
            }
            text(out, ")");
        }
        AstKind::If(c, x, y) => {
            text(out, "if(");
            walk(out, c);
            text(out, ", ");
            walk(out, x);
            text(out, ", ");
            walk(out, y);
            text(out, ")");
        }
    }
}

/// A formula as pieces (see the module doc).
pub fn typeset(a: &Ast) -> Vec<Piece> {
    let mut out = Vec::new();
    walk(&mut out, &a.simplify());
    out
}

/// The pieces as plain text (Unicode, subscripts inline: `e_P − g_P + ψ0`), for records and
/// tests.
pub fn plain(p: &[Piece]) -> String {
    let mut o = String::new();
    for x in p {
        match x {
            Piece::Text(t) => o.push_str(t),
            Piece::Var { base, sub, .. } => {
                o.push_str(base);
                if let Some(s) = sub {
                    o.push('_');
                    o.push_str(s);
                }
            }
            Piece::Sup(s) => {
                o.push('^');
                o.push_str(&plain(s));
            }
        }
    }
    o
}

/// Size of subscripts and superscripts relative to the text.
const SMALL: f64 = 0.72;

/// The width of the pieces at font size `size`.
pub fn width(p: &[Piece], size: f64) -> f64 {
    p.iter()
        .map(|x| match x {
            Piece::Text(t) => text_width(t, size, false),
            Piece::Var { base, sub, .. } => {
                text_width(base, size, false)
                    + sub
                        .as_ref()
                        .map_or(0.0, |s| text_width(s, size * SMALL, false) + 0.5)
            }
            Piece::Sup(s) => width(s, size * SMALL),
        })
        .sum()
}

/// The pieces as SVG text content: `tspan`s for italics, subscripts and superscripts.
pub fn svg(p: &[Piece]) -> String {
    let mut o = String::new();
    for x in p {
        match x {
            Piece::Text(t) => o.push_str(&esc(t)),
            Piece::Var { base, sub, .. } => {
                o.push_str(&format!(
                    r#"<tspan font-style="italic">{}</tspan>"#,
                    esc(base)
                ));
                if let Some(s) = sub {
                    o.push_str(&format!(
                        r#"<tspan baseline-shift="sub" font-size="{}%">{}</tspan>"#,
                        (SMALL * 100.0).round(),
                        esc(s)
                    ));
                }
            }
            Piece::Sup(s) => o.push_str(&format!(
                r#"<tspan baseline-shift="super" font-size="{}%">{}</tspan>"#,
                (SMALL * 100.0).round(),
                plain(s)
            )),
        }
    }
    o
}

/// Escapes text for LaTeX (outside math mode).
pub fn latex_text(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                o.push('\\');
                o.push(c);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '→' => o.push_str("$\\to$"),
            '“' => o.push_str("``"),
            '”' => o.push_str("''"),
            '−' => o.push_str("$-$"),
            '—' => o.push_str("---"),
            c => o.push(c),
        }
    }
    o
}

/// Escapes text for LaTeX inside `\mathrm{…}` or `\mathit{…}`.
fn latex_math_word(s: &str) -> String {
    latex_text(s).replace('−', "-")
}

/// The pieces as LaTeX math (without the `$`s).
pub fn latex(p: &[Piece]) -> String {
    let mut o = String::new();
    for x in p {
        match x {
            Piece::Text(t) => {
                for c in t.chars() {
                    match c {
                        '−' => o.push('-'),
                        '·' => o.push_str("\\cdot "),
                        '≤' => o.push_str("\\le "),
                        '≥' => o.push_str("\\ge "),
                        '≠' => o.push_str("\\ne "),
                        c if c.is_ascii_alphabetic() => {
                            // Function names: upright.
                            o.push(c);
                        }
                        c => o.push(c),
                    }
                }
            }
            Piece::Var { base, greek, sub } => {
                match greek {
                    Some(n) => o.push_str(&format!("\\{n}")),
                    None if base.chars().count() == 1 => o.push_str(base),
                    None => o.push_str(&format!("\\mathit{{{}}}", latex_math_word(base))),
                }
                if let Some(s) = sub {
                    let s = match GREEK.iter().find(|(_, g)| g == s) {
                        Some((n, _)) => format!("\\{n}"),
                        None => format!("\\mathrm{{{}}}", latex_math_word(s)),
                    };
                    o.push_str(&format!("_{{{s}}}"));
                }
            }
            Piece::Sup(s) => o.push_str(&format!("^{{{}}}", latex(s))),
        }
    }
    // Function names written as plain letters become operators.
    for f in ["min", "max", "abs", "exp", "ln", "sqrt", "if"] {
        o = o.replace(&format!("{f}("), &format!("\\operatorname{{{f}}}("));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(src: &str) -> Vec<Piece> {
        typeset(&crate::expr::parse(src).unwrap())
    }

    #[test]
    fn names_become_symbols() {
        assert_eq!(
            plain(&t("e_P - g_P + psi0 + beta*T")),
            "e_P − g_P + ψ_0 + β·T"
        );
        assert_eq!(
            plain(&t("-e_D - (a - lambda*T) - L")),
            "−e_D − (a − λ·T) − L"
        );
        assert_eq!(
            latex(&t("e_P - g_P + psi0 + beta*T")),
            "e_{\\mathrm{P}} - g_{\\mathrm{P}} + \\psi_{\\mathrm{0}} + \\beta\\cdot T"
        );
        assert_eq!(latex(&t("monop")), "\\mathit{monop}");
        let s = svg(&t("psi0"));
        assert!(
            s.contains("ψ") && s.contains("baseline-shift=\"sub\""),
            "{s}"
        );
        assert_eq!(plain(&t("x^2")), "x^2");
        assert!(width(&t("c_D"), 12.0) > width(&t("c"), 12.0));
    }
}
