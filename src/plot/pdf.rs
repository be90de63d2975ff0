//! PDF export of any figure, in pure Rust: the SVG is parsed by `usvg` (text shaped with the
//! system's fonts) and written as vector PDF by `svg2pdf`, so set-up stays `cargo` only.
//!
//! Text needs a font: the figures ask for Helvetica, Arial or Liberation Sans, then any
//! sans-serif font. With no font on the system at all the text would silently vanish, so that
//! is an error that says what to install.

use std::sync::OnceLock;

/// Why a figure could not be turned into a PDF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No font was found for the text.
    #[error(
        "no fonts found on this system, so the PDF's text cannot be drawn (install a font \
         package such as Debian's `fonts-liberation` or `fonts-dejavu-core`)"
    )]
    NoFonts,
    /// The SVG could not be read.
    #[error("reading the figure's SVG: {0}")]
    Svg(String),
    /// The PDF could not be written.
    #[error("writing the PDF: {0}")]
    Pdf(String),
}

/// The system's fonts, loaded once per process.
fn fonts() -> &'static std::sync::Arc<usvg::fontdb::Database> {
    static DB: OnceLock<std::sync::Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        // The generic family falls back on fonts with Helvetica's metrics where present.
        for f in ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"] {
            if db
                .faces()
                .any(|face| face.families.iter().any(|(n, _)| n == f))
            {
                db.set_sans_serif_family(f);
                break;
            }
        }
        std::sync::Arc::new(db)
    })
}

/// `svg` as a one-page PDF of the figure's size.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, PdfError> {
    let db = fonts();
    if db.is_empty() && svg.contains("<text") {
        return Err(PdfError::NoFonts);
    }
    let opt = usvg::Options {
        fontdb: db.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| PdfError::Svg(e.to_string()))?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| PdfError::Pdf(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_becomes_a_pdf() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"><rect x="10" y="10" width="30" height="20" fill="blue"/></svg>"#;
        let pdf = svg_to_pdf(svg).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&pdf).contains("%%EOF"));
    }
}
