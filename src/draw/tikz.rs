//! TikZ rendering of a placed tree ([`super::scene`]) for LaTeX papers: `deter convert FILE --to
//! tikz` writes a complete document that `pdflatex` compiles as it is (plain LaTeX with TikZ,
//! `lmodern` and `amsmath`; the page is the picture's size); the `tikzpicture` inside can be
//! copied into a paper (it needs `\usepackage{tikz}` and `\usepackage{amsmath}`).
//!
//! The picture uses the same placement as the SVG, one pixel becoming 0.75 pt (so 12 px text is
//! 9 pt), which keeps every label clear of the others and of the lines. Formulas are set in
//! math mode (`$\psi_{0} + \beta\cdot T$`), text is escaped for LaTeX and set in the sans-serif
//! family at the figure's sizes (`lmodern` makes every size available).

use super::scene::{scene, MarkKind, Role, Scene, Stroke};
use super::typeset::{self, Piece};
use super::{DrawError, Drawing};
use crate::plot::canvas::Anchor;
use std::fmt::Write;

/// Points per figure pixel.
const PT: f64 = 0.75;

fn colour_name(s: Stroke) -> &'static str {
    match s {
        Stroke::Path => "deterpath",
        Stroke::Played => "deterplayed",
        Stroke::Plain => "deteredge",
        Stroke::Infoset => "deterinfoset",
    }
}

/// One line of a label as LaTeX: text escaped, variables in math mode.
fn line_tex(pieces: &[Piece]) -> String {
    let has_math = pieces.iter().any(|p| !matches!(p, Piece::Text(_)));
    if has_math {
        format!("${}$", typeset::latex(pieces))
    } else {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => typeset::latex_text(t),
                _ => String::new(),
            })
            .collect()
    }
}

fn xy(x: f64, y: f64) -> String {
    format!("({:.1}pt,{:.1}pt)", x * PT, -y * PT)
}

/// Renders a placed scene as a LaTeX document whose page is the picture.
pub fn render(s: &Scene) -> String {
    let mut o = String::new();
    o.push_str(
        "% Drawn by deter; compile with pdflatex. To use the picture in a paper, copy the\n",
    );
    o.push_str(
        "% tikzpicture environment (it needs \\usepackage{tikz} and \\usepackage{amsmath}).\n",
    );
    o.push_str("\\documentclass{article}\n\\usepackage{tikz}\n");
    o.push_str("\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n");
    o.push_str("\\usepackage{amsmath}\n");
    // A page the size of the picture, with plain LaTeX only (no extra class or package).
    let (w, h) = (s.width * PT + 8.0, s.height * PT + 8.0);
    let _ = writeln!(
        o,
        "\\pagestyle{{empty}}\\setlength{{\\parindent}}{{0pt}}\n\\setlength{{\\paperwidth}}{{{w:.1}pt}}\\setlength{{\\paperheight}}{{{h:.1}pt}}\n\\setlength{{\\textwidth}}{{\\paperwidth}}\\setlength{{\\textheight}}{{\\paperheight}}\n\\setlength{{\\oddsidemargin}}{{-1in}}\\setlength{{\\evensidemargin}}{{-1in}}\\setlength{{\\topmargin}}{{-1in}}\n\\setlength{{\\headheight}}{{0pt}}\\setlength{{\\headsep}}{{0pt}}\\setlength{{\\footskip}}{{0pt}}\n\\ifdefined\\pdfpagewidth\\setlength{{\\pdfpagewidth}}{{\\paperwidth}}\\setlength{{\\pdfpageheight}}{{\\paperheight}}\\fi"
    );
    o.push_str(
        "\\definecolor{deterpath}{HTML}{C0392B}\n\\definecolor{deterplayed}{HTML}{E59866}\n",
    );
    o.push_str(
        "\\definecolor{deteredge}{HTML}{7F8C8D}\n\\definecolor{deterinfoset}{HTML}{2471A3}\n",
    );
    o.push_str(
        "\\definecolor{determove}{HTML}{34495E}\n\\definecolor{deterplayedtext}{HTML}{A04000}\n",
    );
    o.push_str(
        "\\begin{document}\n\\vspace*{4pt}\\hspace*{4pt}\\begin{tikzpicture}[font=\\sffamily]\n",
    );
    let _ = writeln!(
        o,
        "\\useasboundingbox (0pt,0pt) rectangle {};",
        xy(s.width, s.height)
    );
    let mut order: Vec<usize> = (0..s.segs.len()).collect();
    order.sort_by_key(|&k| (k >= s.tree_segs, s.segs[k].stroke != Stroke::Infoset));
    for k in order {
        let seg = &s.segs[k];
        let width = match seg.stroke {
            Stroke::Path => 2.6,
            Stroke::Played => 1.5,
            Stroke::Plain => 0.9,
            Stroke::Infoset => 1.1,
        };
        let dash = if seg.stroke == Stroke::Infoset {
            ", dash pattern=on 3.75pt off 3pt"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "\\draw[{}, line width={width}pt{dash}] {} -- {};",
            colour_name(seg.stroke),
            xy(seg.a.0, seg.a.1),
            xy(seg.b.0, seg.b.1)
        );
    }
    for c in &s.curves {
        let pts: Vec<String> = c.iter().map(|(x, y)| xy(*x, *y)).collect();
        let _ = writeln!(
            o,
            "\\draw[deterinfoset, line width=1.1pt, dash pattern=on 3.75pt off 3pt] {};",
            pts.join(" -- ")
        );
    }
    for ((x, y), kind) in &s.marks {
        let _ = match kind {
            MarkKind::Leaf => writeln!(
                o,
                "\\fill {} rectangle {};",
                xy(x - 3.5, y - 3.5),
                xy(x + 3.5, y + 3.5)
            ),
            MarkKind::Decision => writeln!(o, "\\fill {} circle (3.75pt);", xy(*x, *y)),
            MarkKind::Chance => writeln!(
                o,
                "\\filldraw[fill=white, draw=black] {} circle (3.75pt);",
                xy(*x, *y)
            ),
        };
    }
    for l in &s.labels {
        let (bold, colour) = match l.role {
            Role::Title | Role::Mover => (true, "black"),
            Role::Move(Stroke::Path) => (false, "deterpath"),
            Role::Move(Stroke::Played) => (false, "deterplayedtext"),
            Role::Move(_) => (false, "determove"),
            Role::Id => (false, "deteredge"),
            Role::Legend | Role::Payoff => (false, "black"),
        };
        let size = l.size * PT;
        let font = format!(
            "\\fontsize{{{size:.2}}}{{{:.2}}}\\selectfont{}",
            size * 1.3,
            if bold { "\\bfseries" } else { "" }
        );
        let anchor = match l.anchor {
            Anchor::Start => "base west",
            Anchor::Middle => "base",
            Anchor::End => "base east",
        };
        for (k, line) in l.lines.iter().enumerate() {
            let y = l.at.1 + k as f64 * l.size * super::scene::LEADING;
            let _ = writeln!(
                o,
                "\\node[anchor={anchor}, inner sep=0pt, text={colour}, font={{{font}}}] at {} {{{}}};",
                xy(l.at.0, y),
                line_tex(line)
            );
        }
    }
    o.push_str("\\end{tikzpicture}\n\\end{document}\n");
    o
}

/// Draws the tree as a LaTeX document with a TikZ picture.
pub fn tikz(d: &Drawing<'_>) -> Result<String, DrawError> {
    d.check()?;
    Ok(render(&scene(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_math_typeset() {
        assert_eq!(
            line_tex(&[Piece::Text("a_b & 50%".into())]),
            "a\\_b \\& 50\\%"
        );
        let f = typeset::typeset(&crate::expr::parse("psi0 + beta*T").unwrap());
        assert_eq!(line_tex(&f), "$\\psi_{\\mathrm{0}} + \\beta\\cdot T$");
    }
}
