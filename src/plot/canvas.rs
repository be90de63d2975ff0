//! A small SVG canvas for figures: shapes and text written as deterministic SVG, with every
//! piece of text's box recorded, so layouts can avoid collisions and tests can prove there are
//! none.
//!
//! Text is measured with the advance widths of Helvetica (Arial and Liberation Sans share
//! them), padded by [`SAFETY`] so a wider fallback font still fits. Nothing here needs a font
//! file: the SVG names the fonts and the viewer renders them.

use std::fmt::Write;

/// Fonts named in every figure (Arial and Liberation Sans have Helvetica's metrics).
pub const FONTS: &str = "Helvetica, Arial, 'Liberation Sans', sans-serif";

/// Extra width allowed on every measured text, for fallback fonts wider than Helvetica.
pub const SAFETY: f64 = 1.08;

/// An axis-aligned rectangle `[x0, x1] × [y0, y1]` (SVG coordinates: y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// True if the two rectangles share interior points.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// The rectangle grown by `m` on every side.
    pub fn grow(&self, m: f64) -> Rect {
        Rect {
            x0: self.x0 - m,
            y0: self.y0 - m,
            x1: self.x1 + m,
            y1: self.y1 + m,
        }
    }

    /// True if the segment from `a` to `b` passes through the rectangle's interior.
    pub fn hits_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // Liang–Barsky clipping of the segment against the rectangle.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t1 - t0 > 1e-9
    }
}

/// A piece of text placed on a figure, with its box.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    /// The text as shown.
    pub text: String,
    /// Its box.
    pub rect: Rect,
}

/// Advance width of one character of Helvetica, in thousandths of the font size.
fn advance(c: char) -> u32 {
    const ASCII: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
        278, // ' '..'/'
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
        278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
        667, 611, 722, 667, 944, 667, 667, 611, // 'A'..'Z'
        278, 278, 278, 469, 556, 333, // '['..'`'
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333,
        500, 278, 556, 500, 722, 500, 500, 500, // 'a'..'z'
        334, 260, 334, 584, // '{'..'~'
    ];
    match c as u32 {
        32..=126 => ASCII[(c as u32 - 32) as usize] as u32,
        0x2192 | 0x2014 | 0x2026 => 1000, // → — …
        0x2212 | 0x00B7 | 0x2264 | 0x2265 => 584,
        0x201C | 0x201D | 0x2018 | 0x2019 => 333,
        0x0370..=0x03FF => 600, // Greek
        0x2080..=0x2089 => 400, // subscript digits
        _ => 650,
    }
}

/// Width of `s` at font size `size` (bold text is about 7% wider), with [`SAFETY`].
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let w: u32 = s.chars().map(advance).sum();
    w as f64 / 1000.0 * size * if bold { 1.07 } else { 1.0 } * SAFETY
}

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Splits `text` into lines no wider than `max` (words longer than a line stay whole).
pub fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && text_width(&candidate, size, bold) > max {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Horizontal anchor of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left end.
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right end.
    End,
}

impl Anchor {
    fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        }
    }
}

/// The box of a text of width `w` and size `size` whose baseline starts at `(x, y)`.
pub fn text_rect(x: f64, y: f64, w: f64, size: f64, anchor: Anchor) -> Rect {
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    // Ascenders reach about 0.75 of the size above the baseline, descenders 0.22 below.
    Rect {
        x0,
        y0: y - 0.78 * size,
        x1: x0 + w,
        y1: y + 0.24 * size,
    }
}

/// An SVG document being written, with the boxes of its text.
#[derive(Clone, Debug, Default)]
pub struct Canvas {
    body: String,
    /// Every text drawn, with its box.
    pub texts: Vec<TextBox>,
}

impl Canvas {
    /// An empty canvas.
    pub fn new() -> Canvas {
        Canvas::default()
    }

    /// Appends raw SVG (one or more complete elements).
    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
        if !s.ends_with('\n') {
            self.body.push('\n');
        }
    }

    /// A text of size `size` at baseline `(x, y)`; `attrs` are extra SVG attributes (`fill=…`,
    /// `font-weight="bold"`). Returns its box.
    pub fn text(
        &mut self,
        (x, y): (f64, f64),
        anchor: Anchor,
        size: f64,
        attrs: &str,
        text: &str,
    ) -> Rect {
        let bold = attrs.contains("bold");
        let r = text_rect(x, y, text_width(text, size, bold), size, anchor);
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{}{}{}>{}</text>"#,
            anchor.attr(),
            if attrs.is_empty() { "" } else { " " },
            attrs,
            esc(text)
        );
        self.texts.push(TextBox {
            text: text.to_string(),
            rect: r,
        });
        r
    }

    /// A text whose content is pre-built SVG (`<tspan>`s for subscripts), with its width
    /// already measured; `plain` is the text for the record.
    #[allow(clippy::too_many_arguments)]
    pub fn rich_text(
        &mut self,
        (x, y): (f64, f64),
        anchor: Anchor,
        size: f64,
        width: f64,
        attrs: &str,
        svg_content: &str,
        plain: &str,
    ) -> Rect {
        let r = text_rect(x, y, width, size, anchor);
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{}{}{}>{svg_content}</text>"#,
            anchor.attr(),
            if attrs.is_empty() { "" } else { " " },
            attrs,
        );
        self.texts.push(TextBox {
            text: plain.to_string(),
            rect: r,
        });
        r
    }

    /// A line segment.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" {attrs}/>"#,
            a.0, a.1, b.0, b.1
        );
    }

    /// A rectangle.
    pub fn rect(&mut self, r: Rect, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" {attrs}/>"#,
            r.x0,
            r.y0,
            r.x1 - r.x0,
            r.y1 - r.y0
        );
    }

    /// The finished document: `width × height`, a white background, `title` as its `<title>`,
    /// `class` on the root element when not empty.
    pub fn finish(self, width: f64, height: f64, title: &str, class: &str) -> String {
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(r#" class="{class}""#)
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"{class} width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONTS}\" font-size=\"12\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            esc(title),
            self.body
        )
    }
}

/// Pairs of recorded texts whose boxes intersect (the test that a figure has no overlapping
/// text).
pub fn overlaps(texts: &[TextBox]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if a.rect.intersects(&b.rect) {
                out.push((a.text.clone(), b.text.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_wrapping() {
        // Helvetica: "0" is 0.556 em.
        assert!((text_width("0", 10.0, false) - 5.56 * SAFETY).abs() < 1e-9);
        let lines = wrap("one two three four five six", 12.0, false, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 12.0, false) <= 60.0));
        assert_eq!(lines.join(" "), "one two three four five six");
    }

    #[test]
    fn segments_and_boxes() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(r.hits_segment((-5.0, 5.0), (15.0, 5.0)));
        assert!(!r.hits_segment((-5.0, 12.0), (15.0, 12.0)));
        assert!(r.hits_segment((-5.0, -5.0), (15.0, 15.0)));
        assert!(!r.hits_segment((11.0, -5.0), (11.0, 15.0)));
        assert!(r.intersects(&r.grow(-1.0)));
    }
}
