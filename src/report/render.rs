//! Markdown and self-contained HTML from the report's blocks, and writing the files.
//!
//! The Markdown links each figure as a separate SVG file beside it; the HTML inlines every
//! figure (without the SVG namespace attribute, which HTML does not need) and its CSS, and has
//! no scripts and no external references, so it opens offline and can be mailed as one file.
//! Every file is written whole or not at all ([`crate::output::write_atomic`]).

use super::doc::{document, Block};
use super::{Report, ReportError};
use crate::draw::svg::esc;
use crate::output::write_atomic;
use std::path::{Path, PathBuf};

/// The report as Markdown (figures linked as `NAME.svg`).
pub fn markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        match b {
            Block::Heading(l, t) => {
                o.push_str(&format!("{} {t}\n\n", "#".repeat(*l as usize)));
            }
            Block::Para(t) => o.push_str(&format!("{t}\n\n")),
            Block::Bullets(items) => {
                for i in items {
                    o.push_str(&format!("- {i}\n"));
                }
                o.push('\n');
            }
            Block::Table(h, rows) => {
                let cell = |s: &String| s.replace('|', "\\|");
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
                o.push_str(&format!("![{caption}]({file})\n\n*{caption}*\n\n"));
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

/// Writes `report.md`, `report.html` and the figures into `dir` (created if missing); returns
/// the files written.
pub fn write(r: &Report, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| ReportError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let blocks = document(r);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for b in &blocks {
        if let Block::Figure(name, svg, _) = b {
            files.push((dir.join(name), svg.clone()));
        }
    }
    files.push((dir.join("report.md"), markdown(&blocks)));
    files.push((dir.join("report.html"), html(&r.title, &blocks)));
    let mut written = Vec::new();
    for (path, text) in files {
        write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}
