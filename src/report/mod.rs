//! `deter report`: a model's analysis as Markdown and self-contained HTML.
pub mod analysis;
pub mod cond;
pub mod poly;
pub mod question;
