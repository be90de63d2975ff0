//! Sweep output files: written whole or not at all, resumable, and mergeable across shards.
//!
//! `run_to_file(…, path, …)` streams rows into `PATH.partial` and renames it to `PATH` when the
//! last row is written, so `PATH` never holds a partial sweep. Beside it, `PATH.sweep.json` (the
//! *manifest*, written before the first row) records what the file holds: a fingerprint of the
//! model text, base point, grid, solver and format; the grid's size; the shard and its index
//! range. With `resume`, a `PATH.partial` whose manifest matches is kept up to its last complete
//! line (a torn last line is dropped) and the sweep continues from the next index, so the final
//! file is byte-identical to an uninterrupted run.
//!
//! [`merge`] joins shard outputs: every manifest must carry the same fingerprint, the rows'
//! indices must cover the grid exactly once (missing and duplicated index ranges are named),
//! and the result is written atomically in index order, with a manifest of the whole grid.

use super::format::{self, Format};
use super::{Hooks, Shard, SweepError, Sweeper};
use serde_json::{json, Value};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Version tag of the manifest.
pub const MANIFEST_SCHEMA: &str = "deter.sweep/1";

/// What an output file holds (stored as `PATH.sweep.json`).
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Hash (FNV-1a, 64 bits, hex) of everything that determines the rows.
    pub fingerprint: String,
    /// The model as the user named it (informative only).
    pub model: String,
    /// The output format.
    pub format: Format,
    /// Number of points in the whole grid.
    pub points: u64,
    /// The shard this file holds.
    pub shard: Shard,
    /// Its index range.
    pub range: Range<u64>,
    /// The axes, as `name=v1,v2,…` summaries (informative only).
    pub vary: Vec<String>,
}

/// FNV-1a, 64 bits: a stable hash (unlike `std`'s, fixed across Rust releases).
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= b as u64;
        *h = h.wrapping_mul(0x100_0000_01b3);
    }
}

impl Manifest {
    /// The manifest of `sw`'s shard `shard` in `format`; `model_text` is the model file's text.
    pub fn new(
        sw: &Sweeper<'_>,
        model_name: &str,
        model_text: &str,
        format: Format,
        shard: Shard,
    ) -> Manifest {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        fnv(&mut h, MANIFEST_SCHEMA.as_bytes());
        fnv(&mut h, &(model_text.len() as u64).to_le_bytes());
        fnv(&mut h, model_text.as_bytes());
        for x in &sw.base {
            fnv(&mut h, &x.to_bits().to_le_bytes());
        }
        for a in &sw.grid.axes {
            fnv(&mut h, &(a.param as u64).to_le_bytes());
            fnv(&mut h, &(a.values.len() as u64).to_le_bytes());
            for v in &a.values {
                fnv(&mut h, &v.to_bits().to_le_bytes());
            }
        }
        fnv(&mut h, sw.method.name().as_bytes());
        for q in &sw.questions {
            fnv(&mut h, q.name.as_bytes());
            fnv(&mut h, &[0]);
        }
        fnv(&mut h, &sw.tol.to_bits().to_le_bytes());
        fnv(&mut h, format.name().as_bytes());
        let points = sw.grid.len();
        Manifest {
            fingerprint: format!("{h:016x}"),
            model: model_name.to_string(),
            format,
            points,
            shard,
            range: shard.range(points),
            vary: sw
                .grid
                .axes
                .iter()
                .map(|a| match (a.values.first(), a.values.last()) {
                    (Some(f), Some(l)) => {
                        format!("{}={f}..{l} ({} values)", a.name, a.values.len())
                    }
                    _ => a.name.clone(),
                })
                .collect(),
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": MANIFEST_SCHEMA,
            "fingerprint": self.fingerprint,
            "model": self.model,
            "format": self.format.name(),
            "points": self.points,
            "shard": self.shard.to_string(),
            "range": [self.range.start, self.range.end],
            "vary": self.vary,
        })
    }

    /// Reads a manifest back.
    pub fn from_json(v: &Value) -> Option<Manifest> {
        if v.get("schema")?.as_str()? != MANIFEST_SCHEMA {
            return None;
        }
        let format = match v.get("format")?.as_str()? {
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            _ => return None,
        };
        let r = v.get("range")?.as_array()?;
        Some(Manifest {
            fingerprint: v.get("fingerprint")?.as_str()?.to_string(),
            model: v.get("model")?.as_str()?.to_string(),
            format,
            points: v.get("points")?.as_u64()?,
            shard: Shard::parse(v.get("shard")?.as_str()?).ok()?,
            range: r.first()?.as_u64()?..r.get(1)?.as_u64()?,
            vary: v
                .get("vary")?
                .as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
        })
    }

    fn bytes(&self) -> Vec<u8> {
        // Serialising a json! value cannot fail.
        let mut b = serde_json::to_vec_pretty(&self.to_json()).unwrap_or_default();
        b.push(b'\n');
        b
    }
}

/// `PATH` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The manifest file of an output path.
pub fn manifest_path(path: &Path) -> PathBuf {
    with_suffix(path, ".sweep.json")
}

/// The in-progress file of an output path.
pub fn partial_path(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

/// Reads the manifest beside `path`.
pub fn read_manifest(path: &Path) -> Result<Manifest, SweepError> {
    let mp = manifest_path(path);
    let text = fs::read_to_string(&mp)
        .map_err(SweepError::io(format!("cannot read `{}`", mp.display())))?;
    serde_json::from_str::<Value>(&text)
        .ok()
        .as_ref()
        .and_then(Manifest::from_json)
        .ok_or_else(|| SweepError::Merge(format!("`{}` is not a sweep manifest", mp.display())))
}

/// What [`run_to_file`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// Rows kept from an interrupted run.
    pub resumed: u64,
    /// Rows computed now.
    pub computed: u64,
}

/// Where an interrupted run stopped: keeps the complete lines of `partial` (checking the
/// header and the indices) and returns the number of rows kept.
fn resume_point(partial: &Path, m: &Manifest, header: &[u8]) -> Result<u64, SweepError> {
    let err = |msg: String| SweepError::Resume {
        path: partial.display().to_string(),
        message: msg,
    };
    let mut text = Vec::new();
    File::open(partial)
        .and_then(|mut f| f.read_to_end(&mut text))
        .map_err(SweepError::io(format!(
            "cannot read `{}`",
            partial.display()
        )))?;
    let complete = text.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    if complete < header.len() || &text[..header.len()] != header {
        return Err(err("its header differs from this sweep's columns".into()));
    }
    let body = std::str::from_utf8(&text[header.len()..complete])
        .map_err(|_| err("it is not UTF-8 text".into()))?;
    let mut next = m.range.start;
    for line in body.lines() {
        if format::line_index(m.format, line) != Some(next) {
            return Err(err(format!("row {} is out of order or damaged", next)));
        }
        next += 1;
    }
    if next > m.range.end {
        return Err(err("it holds more rows than the sweep has".into()));
    }
    OpenOptions::new()
        .write(true)
        .open(partial)
        .and_then(|f| f.set_len(complete as u64))
        .map_err(SweepError::io(format!(
            "cannot truncate `{}`",
            partial.display()
        )))?;
    Ok(next - m.range.start)
}

/// Runs shard `shard` of `sw` into `path` (see the module docs). `model_name`/`model_text`
/// identify the model for the manifest.
pub fn run_to_file(
    sw: &Sweeper<'_>,
    model: (&str, &str),
    format: Format,
    shard: Shard,
    path: &Path,
    resume: bool,
    hooks: Hooks<'_>,
) -> Result<FileSummary, SweepError> {
    let m = Manifest::new(sw, model.0, model.1, format, shard);
    let header = format::header(format, &sw.columns());
    let partial = partial_path(path);
    let mp = manifest_path(path);
    let mut kept = 0;
    let resuming = resume && partial.exists();
    if resuming {
        let old = read_manifest(path).map_err(|e| SweepError::Resume {
            path: partial.display().to_string(),
            message: e.to_string(),
        })?;
        let same = old.fingerprint == m.fingerprint
            && old.format == m.format
            && old.shard == m.shard
            && old.points == m.points
            && old.range == m.range;
        if !same {
            return Err(SweepError::Resume {
                path: partial.display().to_string(),
                message: "it was written by a different sweep (model, grid, shard or format \
                          differ); remove it or run without --resume"
                    .into(),
            });
        }
        kept = resume_point(&partial, &m, &header)?;
    } else {
        crate::output::write_atomic(&mp, &m.bytes())
            .map_err(SweepError::io(format!("cannot write `{}`", mp.display())))?;
    }
    let open = || -> std::io::Result<File> {
        if resuming {
            let mut f = OpenOptions::new().write(true).open(&partial)?;
            f.seek(SeekFrom::End(0))?;
            Ok(f)
        } else {
            let mut f = File::create(&partial)?;
            f.write_all(&header)?;
            Ok(f)
        }
    };
    let file = open().map_err(SweepError::io(format!(
        "cannot write `{}`",
        partial.display()
    )))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let start = m.range.start + kept;
    // Progress counts the rows kept from an interrupted run as done.
    let Hooks {
        progress: inner,
        rows,
    } = hooks;
    let offset = move |done: u64| {
        if let Some(p) = inner {
            p(kept + done)
        }
    };
    let hooks = Hooks {
        progress: Some(&offset),
        // Re-borrowed: the trait object's lifetime shortens to this call's.
        rows: rows.map(|r| r as &mut dyn FnMut(&[super::Row])),
    };
    let computed = sw.stream(start..m.range.end, Some(format), &mut out, hooks)?;
    let file = out.into_inner().map_err(|e| SweepError::Io {
        context: format!("cannot write `{}`", partial.display()),
        source: e.into_error(),
    })?;
    file.sync_all()
        .and_then(|_| fs::rename(&partial, path))
        .map_err(SweepError::io(format!(
            "cannot finish `{}`",
            path.display()
        )))?;
    Ok(FileSummary {
        resumed: kept,
        computed,
    })
}

/// What [`merge`] joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSummary {
    /// Rows written.
    pub rows: u64,
    /// Files joined.
    pub files: usize,
}

/// One shard file's rows: its header and contiguous index span.
struct Part {
    path: PathBuf,
    manifest: Manifest,
    span: Range<u64>,
}

/// Scans a shard file: checks the header and that its indices are contiguous.
fn scan(path: &Path, header: &[u8], m: Manifest) -> Result<Part, SweepError> {
    let f =
        File::open(path).map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
    let mut r = BufReader::new(f);
    let mut line = String::new();
    let bad = |msg: String| SweepError::Merge(format!("`{}`: {msg}", path.display()));
    if !header.is_empty() {
        r.read_line(&mut line)
            .map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
        if line.as_bytes() != header {
            return Err(bad("its header differs from the first file's".into()));
        }
    }
    let mut span: Option<Range<u64>> = None;
    loop {
        line.clear();
        let n = r
            .read_line(&mut line)
            .map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
        if n == 0 {
            break;
        }
        if !line.ends_with('\n') {
            return Err(bad("its last line is incomplete".into()));
        }
        let i = format::line_index(m.format, line.trim_end())
            .ok_or_else(|| bad(format!("a line has no row index: {}", line.trim_end())))?;
        span = match span {
            None => Some(i..i + 1),
            Some(s) if s.end == i => Some(s.start..i + 1),
            Some(s) => {
                return Err(bad(format!(
                    "row {i} follows row {}; rows must be in index order",
                    s.end - 1
                )))
            }
        };
    }
    let span = span.unwrap_or(m.range.start..m.range.start);
    Ok(Part {
        path: path.to_path_buf(),
        manifest: m,
        span,
    })
}

fn ranges_text(r: &Range<u64>) -> String {
    if r.end - r.start == 1 {
        format!("point {}", r.start)
    } else {
        format!("points {}..{}", r.start, r.end - 1)
    }
}

/// Checks that `parts` (sorted by span) cover `0..points` exactly once.
fn check_cover(parts: &[Part], points: u64) -> Result<(), SweepError> {
    let mut problems = Vec::new();
    let mut next = 0;
    for (k, p) in parts.iter().enumerate() {
        if p.span.start > next {
            problems.push(format!(
                "{} are missing",
                ranges_text(&(next..p.span.start))
            ));
        } else if p.span.start < next && p.span.end > p.span.start {
            let prev = &parts[k - 1].path;
            problems.push(format!(
                "{} appear in both `{}` and `{}`",
                ranges_text(&(p.span.start..next.min(p.span.end))),
                prev.display(),
                p.path.display()
            ));
        }
        next = next.max(p.span.end);
    }
    if next < points {
        problems.push(format!("{} are missing", ranges_text(&(next..points))));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let n = parts[0].manifest.shard.n;
    if parts.iter().all(|p| p.manifest.shard.n == n) {
        let have: Vec<u64> = parts.iter().map(|p| p.manifest.shard.i).collect();
        let missing: Vec<String> = (1..=n)
            .filter(|i| !have.contains(i))
            .map(|i| format!("{i}/{n}"))
            .collect();
        if !missing.is_empty() {
            problems.push(format!("shard {} not given", missing.join(", ")));
        }
    }
    Err(SweepError::Merge(problems.join("; ")))
}

/// Joins shard outputs `inputs` into `out` (see the module docs).
pub fn merge(out: &Path, inputs: &[PathBuf]) -> Result<MergeSummary, SweepError> {
    let first = inputs
        .first()
        .ok_or_else(|| SweepError::Merge("no shard files given".into()))?;
    let m0 = read_manifest(first)?;
    let header0 = read_header(first, m0.format)?;
    let mut parts = Vec::new();
    for p in inputs {
        let m = read_manifest(p)?;
        if m.fingerprint != m0.fingerprint || m.points != m0.points || m.format != m0.format {
            return Err(SweepError::Merge(format!(
                "`{}` and `{}` come from different sweeps (their manifests differ)",
                first.display(),
                p.display()
            )));
        }
        parts.push(scan(p, &header0, m)?);
    }
    parts.sort_by_key(|p| (p.span.start, p.span.end));
    check_cover(&parts, m0.points)?;
    let partial = partial_path(out);
    let write = || -> std::io::Result<()> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
        w.write_all(&header0)?;
        for p in &parts {
            let mut r = BufReader::new(File::open(&p.path)?);
            if !header0.is_empty() {
                let mut skip = Vec::new();
                r.read_until(b'\n', &mut skip)?;
            }
            std::io::copy(&mut r, &mut w)?;
        }
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write()
        .and_then(|_| fs::rename(&partial, out))
        .map_err(SweepError::io(format!("cannot write `{}`", out.display())))?;
    let mut whole = m0.clone();
    whole.shard = Shard::ALL;
    whole.range = 0..m0.points;
    let mp = manifest_path(out);
    crate::output::write_atomic(&mp, &whole.bytes())
        .map_err(SweepError::io(format!("cannot write `{}`", mp.display())))?;
    Ok(MergeSummary {
        rows: m0.points,
        files: inputs.len(),
    })
}

fn read_header(path: &Path, format: Format) -> Result<Vec<u8>, SweepError> {
    if format == Format::Jsonl {
        return Ok(Vec::new());
    }
    let f =
        File::open(path).map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
    let mut h = Vec::new();
    BufReader::new(f)
        .read_until(b'\n', &mut h)
        .map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
    Ok(h)
}
