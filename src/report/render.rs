//! Markdown and self-contained HTML from the report's blocks, and writing the files.
//!
//! The Markdown links each figure as a separate SVG file beside it; the HTML inlines every
//! figure (without the SVG namespace attribute, which HTML does not need) and its CSS, and has
//! no scripts and no external references, so it opens offline and can be mailed as one file.
//! Text from the model (titles, descriptions, `say` phrases) is escaped in both: in the HTML as
//! entities, in the Markdown with backslashes, so neither passes raw HTML through. The files
//! are written as one set ([`crate::output::dir`]).

use super::doc::{document, Block};
use super::{Report, ReportError};
use crate::draw::svg::esc;
use crate::output::dir::write_dir;
use std::path::{Path, PathBuf};

/// Text for Markdown that shows as written: outside `code` spans, every `<` that could open
/// raw HTML (followed by a letter, `/`, `!` or `?`), every `&` that could start an entity, a `>`
/// that would open a block quote, and a backslash before punctuation are backslash-escaped;
/// with `brackets`, `[` and `]` too (for link text). Comparisons such as `T > 0.2` and `1 < c_D`
/// stay readable. Code spans are left alone: Markdown shows them literally.
pub fn md_escape(s: &str, brackets: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for (k, part) in s.split('`').enumerate() {
        if k > 0 {
            o.push('`');
        }
        if k % 2 == 1 {
            o.push_str(part);
            continue;
        }
        let mut prev: Option<char> = if k == 0 { None } else { Some('`') };
        let mut it = part.chars().peekable();
        while let Some(c) = it.next() {
            let next = it.peek().copied();
            let escape = match c {
                '<' => {
                    next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
                }
                '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
                '>' => prev.is_none_or(|p| p == '\n'),
                '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
                '[' | ']' => brackets,
                _ => false,
            };
            if escape {
                o.push('\\');
            }
            o.push(c);
            prev = Some(c);
        }
    }
    o
}

/// The report as Markdown (figures linked as `NAME.svg`).
pub fn markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    let t = |s: &str| md_escape(s, false);
    for b in blocks {
        match b {
            Block::Heading(l, h) => {
                o.push_str(&format!("{} {}\n\n", "#".repeat(*l as usize), t(h)));
            }
            Block::Para(p) => o.push_str(&format!("{}\n\n", t(p))),
            Block::Bullets(items) => {
                for i in items {
                    o.push_str(&format!("- {}\n", t(i)));
                }
                o.push('\n');
            }
            Block::Table(h, rows) => {
                let cell = |s: &String| t(s).replace('|', "\\|");
                o.push_str(&format!(
                    "| {} |\n",
                    h.iter().map(cell).collect::<Vec<_>>().join(" | ")
                ));
                o.push_str(&format!("|{}\n", "---|".repeat(h.len())));
                for r in rows {
                    o.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(cell).collect::<Vec<_>>().join(" | ")
                    ));
                }
                o.push('\n');
            }
            Block::Figure(file, _, caption) => {
                let alt = md_escape(caption, true);
                o.push_str(&format!("![{alt}]({file})\n\n*{}*\n\n", t(caption)));
            }
        }
    }
    o
}

/// Escapes text for HTML and turns `code` spans into `<code>`.
fn inline(s: &str) -> String {
    let e = esc(s);
    let mut o = String::new();
    for (k, part) in e.split('`').enumerate() {
        if k % 2 == 1 {
            o.push_str(&format!("<code>{part}</code>"));
        } else {
            o.push_str(part);
        }
    }
    o
}

/// An SVG document prepared for inlining in HTML.
pub fn inline_svg(svg: &str) -> String {
    svg.replace(r#" xmlns="http://www.w3.org/2000/svg""#, "")
        .replace(r#" xmlns:xlink="http://www.w3.org/1999/xlink""#, "")
}

const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:1100px;margin:2em auto;\
padding:0 1em;line-height:1.45;color:#222}h1,h2,h3{font-family:Helvetica,Arial,sans-serif}\
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}table{border-collapse:collapse;\
margin:1em 0;font-size:.92em}td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;\
text-align:left}th{background:#f2f3f4}figure{margin:1em 0}figure svg{max-width:100%;height:auto}\
figcaption{font-style:italic;font-size:.9em;color:#555}code{font-size:.92em;background:#f4f4f4;\
padding:0 .2em}";

/// The report as one self-contained HTML page.
pub fn html(title: &str, blocks: &[Block]) -> String {
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
    for b in blocks {
        match b {
            Block::Heading(l, t) => o.push_str(&format!("<h{l}>{}</h{l}>\n", inline(t))),
            Block::Para(t) => o.push_str(&format!("<p>{}</p>\n", inline(t))),
            Block::Bullets(items) => {
                o.push_str("<ul>\n");
                for i in items {
                    o.push_str(&format!("<li>{}</li>\n", inline(i)));
                }
                o.push_str("</ul>\n");
            }
            Block::Table(h, rows) => {
                o.push_str("<table>\n<tr>");
                for c in h {
                    o.push_str(&format!("<th>{}</th>", inline(c)));
                }
                o.push_str("</tr>\n");
                for r in rows {
                    o.push_str("<tr>");
                    for c in r {
                        o.push_str(&format!("<td>{}</td>", inline(c)));
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</table>\n");
            }
            Block::Figure(_, svg, caption) => {
                o.push_str(&format!(
                    "<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n",
                    inline_svg(svg),
                    inline(caption)
                ));
            }
        }
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// Writes `report.md`, `report.html` and the figures into `dir` (created if missing) as one
/// set ([`crate::output::dir::write_dir`]: the old report stays intact if anything fails, and
/// deter's files from an earlier report that this one does not write are removed, nobody
/// else's); returns the files written.
pub fn write(r: &Report, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    write_with(r, dir, false)
}

/// [`write`], and with `pdf` every figure also as PDF (`tree.pdf` beside `tree.svg`).
pub fn write_with(r: &Report, dir: &Path, pdf: bool) -> Result<Vec<PathBuf>, ReportError> {
    let blocks = document(r);
    let html = html(&r.title, &blocks);
    write_set(dir, &blocks, html, pdf, Vec::new())
}

/// The report as `deter watch --report` writes it: as [`write`], but `report.html` carries a
/// small script that reloads the page when the report changes. `stamp` names this version; it
/// is written to `stamp.js`, which the open page loads again every second (a `<script>`
/// element works for pages opened from disk, where requests for data do not).
pub fn write_live(r: &Report, dir: &Path, stamp: &str) -> Result<Vec<PathBuf>, ReportError> {
    let blocks = document(r);
    let stamp_js = serde_json::to_string(stamp).unwrap_or_else(|_| "\"\"".into());
    let script = format!(
        "<script>(function(){{var me={stamp_js};setInterval(function(){{\
var s=document.createElement(\"script\");s.src=\"stamp.js?\"+Date.now();\
s.onload=function(){{if(window.deterStamp!==undefined&&window.deterStamp!==me){{location.reload();}}s.remove();}};\
s.onerror=function(){{s.remove();}};document.head.appendChild(s);}},1000);}})();</script>\n"
    );
    let html = html(&r.title, &blocks).replace("</body>", &(script + "</body>"));
    let extra = vec![(
        "stamp.js".to_string(),
        format!("window.deterStamp = {stamp_js};\n").into_bytes(),
    )];
    write_set(dir, &blocks, html, false, extra)
}

fn write_set(
    dir: &Path,
    blocks: &[Block],
    html: String,
    pdf: bool,
    extra: Vec<(String, Vec<u8>)>,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for b in blocks {
        if let Block::Figure(name, svg, _) = b {
            files.push((name.clone(), svg.clone().into_bytes()));
            if pdf {
                let bytes = crate::plot::pdf::svg_to_pdf(svg).map_err(|e| ReportError::Io {
                    path: dir.join(name).display().to_string(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                files.push((name.trim_end_matches(".svg").to_string() + ".pdf", bytes));
            }
        }
    }
    files.push(("report.md".into(), markdown(blocks).into_bytes()));
    files.push(("report.html".into(), html.into_bytes()));
    files.extend(extra);
    write_dir(dir, &files).map_err(|source| ReportError::Io {
        path: dir.display().to_string(),
        source,
    })
}
