//! Sweep output files: written whole or not at all, locked, checksummed, resumable, and
//! mergeable across shards.
//!
//! `run_to_file(…, path, …)` locks the output ([`OutputLock`]: a second sweep to the same path
//! refuses), streams rows into `PATH.partial` and renames it to `PATH` when the last row is
//! written, so `PATH` never holds a partial sweep. Beside it, `PATH.sweep.json` (the
//! *manifest*) records what the file holds: a fingerprint of the model text, base point, grid,
//! solver and format; the grid's size and axes; the columns; the shard and its index range;
//! and a checksum of the file's bytes ([`DataSum`]: rows, length, XXH3-64).
//!
//! While a sweep runs, the manifest's checksum is a *checkpoint* of the partial file's prefix,
//! renewed about once a second after the rows before it are synced to disk. `--resume` keeps
//! exactly that prefix — after re-reading it (streamed, in bounded memory) and checking the
//! checksum, so a partial file that was edited or damaged is refused rather than continued —
//! and computes the rest, so the final file is byte-identical to an uninterrupted run.
//!
//! [`merge`] joins shard outputs: every manifest must carry the same fingerprint, columns and
//! axes, every shard must be complete and its bytes must match its checksum (a row whose values
//! were edited, or an added column, is refused), and the shards' index ranges must cover the
//! grid exactly once (missing and duplicated ranges are named). The result is written
//! atomically in index order, with a manifest of the whole grid.
//!
//! The manifest also records the run's [`Source`] — the model file (absolute, and relative to
//! the output), a hash of its text, every parameter's value at the base point, the solver,
//! the selection and whether questions were answered — so that `deter plot` can derive the
//! exact regions of a region map again ([`super::plot`]) when the model is found unchanged.

use super::aggregate::PointData;
use super::format::{self, Format};
use super::read::RowParser;
use super::{Hooks, Shard, SweepError, Sweeper};
use crate::output::file::{self as out_file, OutputLock};
use serde_json::{json, Value};
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::Xxh3;

/// Version tag of the manifest.
pub const MANIFEST_SCHEMA: &str = "deter.sweep/2";

/// How often a running sweep renews its checkpoint.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// A checksum of a prefix of an output file (the whole file once it is finished).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSum {
    /// Data rows in the prefix.
    pub rows: u64,
    /// Its length in bytes (header included).
    pub bytes: u64,
    /// XXH3-64 of those bytes.
    pub xxh3: u64,
}

impl DataSum {
    /// The checksum of `bytes` holding `rows` rows.
    pub fn of(bytes: &[u8], rows: u64) -> DataSum {
        DataSum {
            rows,
            bytes: bytes.len() as u64,
            xxh3: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// What an output file holds (stored as `PATH.sweep.json`).
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Hash (FNV-1a, 64 bits, hex) of everything that determines the rows.
    pub fingerprint: String,
    /// The model as the user named it (informative only).
    pub model: String,
    /// The model's title (for plots).
    pub title: String,
    /// The output format.
    pub format: Format,
    /// Number of points in the whole grid.
    pub points: u64,
    /// The shard this file holds.
    pub shard: Shard,
    /// Its index range.
    pub range: Range<u64>,
    /// The axes, as `name=v1..vn (n values)` summaries (informative only).
    pub vary: Vec<String>,
    /// Each axis's parameter name and number of values, in `--vary` order.
    pub axes: Vec<(String, u64)>,
    /// The columns, in order.
    pub columns: Vec<String>,
    /// The first question's name and wording (it colours region maps).
    pub question: Option<(String, String)>,
    /// The first question's answer words and its desirable answer (`lower`, `higher`, `good`),
    /// so a map drawn from the file colours answers as the report does.
    pub answer_words: Option<(String, String, Option<String>)>,
    /// Checksum of the rows written so far (all of them once finished).
    pub data: DataSum,
    /// What the run solved, to draw its exact regions again (`None` in manifests written
    /// before it was recorded).
    pub source: Option<Source>,
}

/// What `deter plot` needs to solve a sweep's model again as the sweep did.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The model file, absolute (as the sweep found it).
    pub path: String,
    /// The model file relative to the directory of the sweep's output, when there is such a
    /// path (tried first, so a directory moved as a whole still finds its model).
    pub relative: Option<String>,
    /// XXH3-64 of the model text (hex).
    pub hash: String,
    /// Every parameter's value at the base point, by name (the shortest decimal that reads
    /// back as the same `f64`).
    pub base: Vec<(String, String)>,
    /// The solving method (`backward` or a registry solver's name).
    pub solver: String,
    /// True if the solver was named on the command line.
    pub solver_named: bool,
    /// The selection (`--select`; `all` for none).
    pub select: String,
    /// True if the model's questions were answered (not `--no-questions`).
    pub questions: bool,
    /// The relative tolerance for ties.
    pub tol: f64,
}

/// `path` relative to the directory `dir` (both absolute), when they share a root.
fn relative_to(path: &Path, dir: &Path) -> Option<String> {
    use std::path::Component;
    let (p, d): (Vec<Component>, Vec<Component>) =
        (path.components().collect(), dir.components().collect());
    if p.first() != d.first() {
        return None;
    }
    let common = p.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..d.len() {
        rel.push("..");
    }
    for c in &p[common..] {
        rel.push(c.as_os_str());
    }
    rel.to_str().map(str::to_string)
}

/// The absolute directory holding `out` (an output path, which may not exist yet).
fn out_dir(out: &Path) -> Option<PathBuf> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::canonicalize(parent).ok()
}

impl Source {
    /// The source of `sw`, its model read from `model_path` with text `model_text`, for an
    /// output written to `out`; `None` if the model file cannot be located on disk.
    pub fn of(sw: &Sweeper<'_>, model_path: &Path, model_text: &str, out: &Path) -> Option<Source> {
        let abs = fs::canonicalize(model_path).ok()?;
        let names = &sw.template.params.names;
        Some(Source {
            path: abs.to_str()?.to_string(),
            relative: out_dir(out).and_then(|d| relative_to(&abs, &d)),
            hash: text_hash(model_text),
            base: names
                .iter()
                .zip(&sw.base)
                .map(|(n, v)| (n.clone(), format!("{v}")))
                .collect(),
            solver: sw.method.name().to_string(),
            solver_named: sw.solver_named,
            select: sw.selection.name().to_string(),
            questions: !sw.questions.is_empty(),
            tol: sw.tol,
        })
    }

    fn to_json(&self) -> Value {
        let base: serde_json::Map<String, Value> = (self.base.iter())
            .map(|(n, v)| (n.clone(), json!(v)))
            .collect();
        json!({
            "path": self.path,
            "relative": self.relative,
            "xxh3": self.hash,
            "base": base,
            "solver": self.solver,
            "solver_named": self.solver_named,
            "select": self.select,
            "questions": self.questions,
            "tol": self.tol,
        })
    }

    fn from_json(v: &Value) -> Option<Source> {
        Some(Source {
            path: v.get("path")?.as_str()?.to_string(),
            relative: v
                .get("relative")
                .and_then(Value::as_str)
                .map(str::to_string),
            hash: v.get("xxh3")?.as_str()?.to_string(),
            base: (v.get("base")?.as_object()?.iter())
                .map(|(n, v)| Some((n.clone(), v.as_str()?.to_string())))
                .collect::<Option<_>>()?,
            solver: v.get("solver")?.as_str()?.to_string(),
            solver_named: v.get("solver_named")?.as_bool()?,
            select: v.get("select")?.as_str()?.to_string(),
            questions: v.get("questions")?.as_bool()?,
            tol: v.get("tol")?.as_f64()?,
        })
    }

    /// The model's path and text for the sweep file `sweep`, if found unchanged: the relative
    /// path (from `sweep`'s directory) first, then the absolute one. Otherwise why not.
    pub fn find_model(&self, sweep: &Path) -> Result<(PathBuf, String), String> {
        let mut candidates = Vec::new();
        if let (Some(rel), Some(dir)) = (&self.relative, out_dir(sweep)) {
            candidates.push(dir.join(rel));
        }
        candidates.push(PathBuf::from(&self.path));
        let mut changed = None;
        for c in candidates {
            let Ok(text) = fs::read_to_string(&c) else {
                continue;
            };
            if text_hash(&text) == self.hash {
                return Ok((c, text));
            }
            changed.get_or_insert(c);
        }
        Err(match changed {
            Some(c) => format!(
                "the model `{}` has changed since the sweep ran",
                c.display()
            ),
            None => format!("the model `{}` is not found", self.path),
        })
    }

    /// A sweeper of `t` (the model found by [`Source::find_model`]) solving as the sweep did,
    /// with no axes; otherwise why not.
    pub fn sweeper<'t>(&self, t: &'t crate::model::GameTemplate) -> Result<Sweeper<'t>, String> {
        let names = &t.params.names;
        if names.len() != self.base.len() {
            return Err("the manifest's base point does not match the model's parameters".into());
        }
        let base = names
            .iter()
            .map(|n| {
                let (_, v) = self.base.iter().find(|(m, _)| m == n)?;
                v.parse::<f64>().ok()
            })
            .collect::<Option<Vec<f64>>>()
            .ok_or("the manifest's base point does not match the model's parameters")?;
        let grid = super::Grid::new(vec![]).map_err(|e| e.to_string())?;
        let mut sw = Sweeper::new(t, base, grid, Some(&self.solver)).map_err(|e| e.to_string())?;
        sw.solver_named = self.solver_named;
        sw.tol = self.tol;
        sw.selection = match self.select.as_str() {
            "all" => super::Selection::All,
            s => super::Selection::parse(s).map_err(|e| e.0)?,
        };
        if !self.questions {
            sw.questions.clear();
        }
        Ok(sw)
    }
}

/// XXH3-64 of a model's text, in hex.
pub fn text_hash(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// FNV-1a, 64 bits: a stable hash (unlike `std`'s, fixed across Rust releases).
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= b as u64;
        *h = h.wrapping_mul(0x100_0000_01b3);
    }
}

impl Manifest {
    /// The manifest of `sw`'s shard `shard` in `format`, with no rows written yet;
    /// `model_text` is the model file's text.
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
        if sw.selection != super::Selection::All {
            fnv(&mut h, sw.selection.name().as_bytes());
        }
        for q in &sw.questions {
            fnv(&mut h, q.def.name.v.as_bytes());
            fnv(&mut h, &[0]);
        }
        fnv(&mut h, &sw.tol.to_bits().to_le_bytes());
        fnv(&mut h, format.name().as_bytes());
        let points = sw.grid.len();
        let columns = sw.columns();
        Manifest {
            fingerprint: format!("{h:016x}"),
            model: model_name.to_string(),
            title: sw.template.title.clone(),
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
            axes: (sw.grid.axes.iter())
                .map(|a| (a.name.clone(), a.values.len() as u64))
                .collect(),
            data: DataSum::of(&format::header(format, &columns), 0),
            columns,
            question: sw
                .questions
                .first()
                .map(|q| (q.def.name.v.clone(), q.def.ask.clone())),
            answer_words: sw.questions.first().map(|q| {
                (
                    q.def.lower.clone(),
                    q.def.higher.clone(),
                    q.def.good.as_ref().map(|g| g.v.clone()),
                )
            }),
            source: None,
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": MANIFEST_SCHEMA,
            "fingerprint": self.fingerprint,
            "model": self.model,
            "title": self.title,
            "format": self.format.name(),
            "points": self.points,
            "shard": self.shard.to_string(),
            "range": [self.range.start, self.range.end],
            "vary": self.vary,
            "axes": self.axes.iter().map(|(n, k)| json!({"name": n, "values": k})).collect::<Vec<_>>(),
            "columns": self.columns,
            "question": self.question.as_ref().map(|(n, a)| {
                let mut q = json!({"name": n, "ask": a});
                if let Some((lower, higher, good)) = &self.answer_words {
                    q["lower"] = json!(lower);
                    q["higher"] = json!(higher);
                    q["good"] = json!(good);
                }
                q
            }),
            "data": {
                "rows": self.data.rows,
                "bytes": self.data.bytes,
                "xxh3": format!("{:016x}", self.data.xxh3),
            },
            "source": self.source.as_ref().map(Source::to_json),
        })
    }

    /// Reads a manifest back (`None` if it is not one of this version).
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
        let strings = |v: &Value| -> Option<Vec<String>> {
            v.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        let d = v.get("data")?;
        Some(Manifest {
            fingerprint: v.get("fingerprint")?.as_str()?.to_string(),
            model: v.get("model")?.as_str()?.to_string(),
            title: v.get("title")?.as_str()?.to_string(),
            format,
            points: v.get("points")?.as_u64()?,
            shard: Shard::parse(v.get("shard")?.as_str()?).ok()?,
            range: r.first()?.as_u64()?..r.get(1)?.as_u64()?,
            vary: strings(v.get("vary")?)?,
            axes: (v.get("axes")?.as_array()?.iter())
                .map(|a| {
                    Some((
                        a.get("name")?.as_str()?.to_string(),
                        a.get("values")?.as_u64()?,
                    ))
                })
                .collect::<Option<_>>()?,
            columns: strings(v.get("columns")?)?,
            answer_words: v.get("question").and_then(|q| {
                Some((
                    q.get("lower")?.as_str()?.to_string(),
                    q.get("higher")?.as_str()?.to_string(),
                    q.get("good").and_then(|g| g.as_str()).map(str::to_string),
                ))
            }),
            question: match v.get("question")? {
                Value::Null => None,
                q => Some((
                    q.get("name")?.as_str()?.to_string(),
                    q.get("ask")?.as_str()?.to_string(),
                )),
            },
            data: DataSum {
                rows: d.get("rows")?.as_u64()?,
                bytes: d.get("bytes")?.as_u64()?,
                xxh3: u64::from_str_radix(d.get("xxh3")?.as_str()?, 16).ok()?,
            },
            source: v.get("source").and_then(Source::from_json),
        })
    }

    fn bytes(&self) -> Vec<u8> {
        // Serialising a json! value cannot fail.
        let mut b = serde_json::to_vec_pretty(&self.to_json()).unwrap_or_default();
        b.push(b'\n');
        b
    }

    /// The header line these columns give in this format.
    pub fn header(&self) -> Vec<u8> {
        format::header(self.format, &self.columns)
    }

    /// True if the file holds all of its range's rows.
    pub fn is_complete(&self) -> bool {
        self.data.rows == self.range.end - self.range.start
    }

    fn write(&self, path: &Path) -> Result<(), SweepError> {
        let mp = manifest_path(path);
        out_file::write_whole(&mp, &self.bytes())
            .map_err(SweepError::io(format!("cannot write `{}`", mp.display())))
    }
}

/// `PATH` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    out_file::with_suffix(path, suffix)
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
    let v: Option<Value> = serde_json::from_str(&text).ok();
    if let Some(old) = v.as_ref().and_then(|v| v.get("schema")?.as_str()) {
        if old != MANIFEST_SCHEMA && old.starts_with("deter.sweep/") {
            return Err(SweepError::Merge(format!(
                "`{}` was written by another version of deter ({old}, this one reads \
                 {MANIFEST_SCHEMA}); run that sweep again",
                mp.display()
            )));
        }
    }
    v.as_ref()
        .and_then(Manifest::from_json)
        .ok_or_else(|| SweepError::Merge(format!("`{}` is not a sweep manifest", mp.display())))
}

/// The message for a sweep output path that is not a regular file.
const NEEDS_REGULAR: &str =
    "a sweep writes PATH.partial and PATH.sweep.json beside its output and renames the \
     finished file into place; omit --out to stream to standard output";

/// Checks, before any work, that `path` can take a sweep's output (a regular file, through
/// symlinks, in a directory where files can be created); returns the resolved path.
pub fn check_out(path: &Path) -> Result<PathBuf, SweepError> {
    out_file::check_regular(path, NEEDS_REGULAR)
        .map_err(SweepError::io(format!("cannot write `{}`", path.display())))
}

/// What [`run_to_file`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// Rows kept from an interrupted run.
    pub resumed: u64,
    /// Rows computed now.
    pub computed: u64,
}

/// Reads the first `n` bytes of `r` into `hasher` in bounded memory; `Ok(false)` if the file
/// ends first.
fn hash_prefix(r: &mut impl Read, n: u64, hasher: &mut Xxh3) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 16];
    let mut left = n;
    while left > 0 {
        let want = buf.len().min(left as usize);
        let got = r.read(&mut buf[..want])?;
        if got == 0 {
            return Ok(false);
        }
        hasher.update(&buf[..got]);
        left -= got as u64;
    }
    Ok(true)
}

/// Checks the checkpointed prefix of an interrupted run's `partial` against `sum` and this
/// sweep's `header`; returns the hasher over that prefix, or `None` when nothing of it can be
/// kept (no row was checkpointed and the file is shorter than its header).
fn verify_prefix(partial: &Path, sum: &DataSum, header: &[u8]) -> Result<Option<Xxh3>, SweepError> {
    let err = |msg: String| SweepError::Resume {
        path: partial.display().to_string(),
        message: msg,
    };
    let io = SweepError::io(format!("cannot read `{}`", partial.display()));
    let mut f = File::open(partial).map_err(io)?;
    let len = f
        .metadata()
        .map_err(SweepError::io(format!(
            "cannot read `{}`",
            partial.display()
        )))?
        .len();
    if len < sum.bytes {
        if sum.rows == 0 {
            return Ok(None);
        }
        return Err(err(format!(
            "it is shorter ({len} bytes) than its last checkpoint ({} bytes, {} rows): it was \
             damaged; remove it or run without --resume",
            sum.bytes, sum.rows
        )));
    }
    let mut head = vec![0u8; header.len()];
    let read_head = (f.read_exact(&mut head)).is_ok();
    if !read_head || head != header || (sum.bytes as usize) < header.len() {
        return Err(err("its header differs from this sweep's columns".into()));
    }
    let mut hasher = Xxh3::new();
    hasher.update(&head);
    let whole = hash_prefix(
        &mut BufReader::new(&mut f),
        sum.bytes - header.len() as u64,
        &mut hasher,
    )
    .map_err(SweepError::io(format!(
        "cannot read `{}`",
        partial.display()
    )))?;
    if !whole || hasher.digest() != sum.xxh3 {
        return Err(err(format!(
            "its first {} rows do not match the checksum deter recorded for them: the file \
             was edited or damaged; remove it or run without --resume",
            sum.rows
        )));
    }
    Ok(Some(hasher))
}

/// A writer of the partial file that checksums what it writes and, on each flush (the sweep
/// flushes after every batch of rows), renews the manifest's checkpoint about once a second.
struct Checkpointer {
    out: BufWriter<File>,
    hasher: Xxh3,
    manifest: Manifest,
    target: PathBuf,
    last: Instant,
}

impl Write for Checkpointer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.manifest.data.bytes += n as u64;
        self.manifest.data.rows += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        if self.last.elapsed() >= CHECKPOINT_EVERY {
            self.checkpoint()?;
        }
        Ok(())
    }
}

impl Checkpointer {
    /// Syncs the rows written so far and records their checksum in the manifest.
    fn checkpoint(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_data()?;
        self.manifest.data.xxh3 = self.hasher.digest();
        out_file::write_whole(&manifest_path(&self.target), &self.manifest.bytes())?;
        self.last = Instant::now();
        Ok(())
    }
}

/// Runs shard `shard` of `sw` into `path` (see the module docs). `model` is the model's name
/// and text, for the manifest.
pub fn run_to_file(
    sw: &Sweeper<'_>,
    model: (&str, &str),
    format: Format,
    shard: Shard,
    path: &Path,
    resume: bool,
    hooks: Hooks<'_>,
) -> Result<FileSummary, SweepError> {
    let target = check_out(path)?;
    let _lock = OutputLock::acquire(&target).map_err(|e| SweepError::Locked(e.to_string()))?;
    let mut m = Manifest::new(sw, model.0, model.1, format, shard);
    m.source = Source::of(sw, Path::new(model.0), model.1, path);
    let header = m.header();
    let partial = partial_path(&target);
    let cannot_write = || SweepError::io(format!("cannot write `{}`", partial.display()));
    let mut kept: Option<Xxh3> = None;
    if resume && partial.exists() {
        let old = read_manifest(&target).map_err(|e| SweepError::Resume {
            path: partial.display().to_string(),
            message: e.to_string(),
        })?;
        let same = old.fingerprint == m.fingerprint
            && old.format == m.format
            && old.shard == m.shard
            && old.points == m.points
            && old.range == m.range
            && old.columns == m.columns;
        if !same {
            return Err(SweepError::Resume {
                path: partial.display().to_string(),
                message: "it was written by a different sweep (model, grid, shard, columns or \
                          format differ); remove it or run without --resume"
                    .into(),
            });
        }
        if let Some(h) = verify_prefix(&partial, &old.data, &header)? {
            m.data = old.data;
            kept = Some(h);
        }
    }
    let resumed = if kept.is_some() { m.data.rows } else { 0 };
    let file = match &kept {
        Some(_) => {
            let open = || -> std::io::Result<File> {
                let mut f = OpenOptions::new().write(true).open(&partial)?;
                f.set_len(m.data.bytes)?;
                f.seek(SeekFrom::End(0))?;
                Ok(f)
            };
            open().map_err(cannot_write())?
        }
        None => {
            m.write(&target)?;
            let mut f = out_file::create(&partial).map_err(cannot_write())?;
            f.write_all(&header).map_err(cannot_write())?;
            f
        }
    };
    let hasher = kept.unwrap_or_else(|| {
        let mut h = Xxh3::new();
        h.update(&header);
        h
    });
    let mut w = Checkpointer {
        out: BufWriter::with_capacity(1 << 20, file),
        hasher,
        manifest: m,
        target: target.clone(),
        last: Instant::now(),
    };
    let start = w.manifest.range.start + resumed;
    let end = w.manifest.range.end;
    // Progress counts the rows kept from an interrupted run as done.
    let Hooks {
        progress: inner,
        rows,
        mut points,
    } = hooks;
    if let (Some(f), true) = (points.as_mut(), resumed > 0) {
        read_back(&partial, &w.manifest, sw.grid.axes.len(), f)?;
    }
    let offset = move |done: u64| {
        if let Some(p) = inner {
            p(resumed + done)
        }
    };
    let hooks = Hooks {
        progress: Some(&offset),
        // Re-borrowed: the trait objects' lifetimes shorten to this call's.
        rows: rows.map(|r| r as &mut dyn FnMut(&[super::Row])),
        points: points.map(|r| r as &mut dyn FnMut(&PointData<'_>)),
    };
    let computed = sw.stream(start..end, Some(format), &mut w, hooks)?;
    // The manifest with the whole file's checksum goes first: if the process dies between the
    // two steps, `--resume` finds a complete partial file that matches it and just renames it.
    let mut finish = || -> std::io::Result<()> {
        w.out.flush()?;
        w.manifest.data.xxh3 = w.hasher.digest();
        out_file::write_whole(&manifest_path(&target), &w.manifest.bytes())?;
        out_file::finish(w.out.get_ref(), &partial, &target)
    };
    finish().map_err(SweepError::io(format!(
        "cannot finish `{}`",
        path.display()
    )))?;
    Ok(FileSummary { resumed, computed })
}

/// Feeds the rows of `path` that `m.data` covers to `f`, streamed.
fn read_back(
    path: &Path,
    m: &Manifest,
    n_axes: usize,
    f: &mut dyn FnMut(&PointData<'_>),
) -> Result<(), SweepError> {
    let parser = RowParser::new(m.format, &m.columns, n_axes)?;
    let header = m.header();
    let mut file =
        File::open(path).map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
    file.seek(SeekFrom::Start(header.len() as u64))
        .map_err(SweepError::io(format!("cannot read `{}`", path.display())))?;
    let body = BufReader::with_capacity(1 << 16, file).take(m.data.bytes - header.len() as u64);
    let first_line = if header.is_empty() { 1 } else { 2 };
    parser
        .for_each(body, first_line, |r| {
            f(&PointData::of_parsed(r));
            Ok(())
        })
        .map_err(|e| SweepError::Resume {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    Ok(())
}

/// Reads a finished sweep file: checks it against its manifest (complete, checksum) and calls
/// `f` on every row in order, streamed. Used to plot a (merged) sweep file.
pub fn for_each_row(
    path: &Path,
    m: &Manifest,
    mut f: impl FnMut(&super::read::ParsedRow) -> Result<(), SweepError>,
) -> Result<u64, SweepError> {
    let bad = |msg: &str| SweepError::Read(format!("`{}`: {msg}", path.display()));
    if !m.is_complete() {
        return Err(bad(
            "it is not finished (its manifest records fewer rows than its range)",
        ));
    }
    let io = || SweepError::io(format!("cannot read `{}`", path.display()));
    let file = File::open(path).map_err(io())?;
    if file.metadata().map_err(io())?.len() != m.data.bytes {
        return Err(bad("its length differs from the one its manifest records: it was changed after deter wrote it"));
    }
    let header = m.header();
    let parser = RowParser::new(m.format, &m.columns, m.axes.len())?;
    // The bytes are hashed as they are parsed, so an edited file is refused after one pass.
    let mut hashing = HashingReader {
        inner: BufReader::with_capacity(1 << 16, file),
        hasher: Xxh3::new(),
    };
    let mut head = vec![0u8; header.len()];
    hashing.read_exact(&mut head).map_err(io())?;
    if head != header {
        return Err(bad(
            "its header differs from the columns its manifest records",
        ));
    }
    let first_line = if header.is_empty() { 1 } else { 2 };
    let n = parser.for_each(&mut hashing, first_line, &mut f)?;
    if hashing.hasher.digest() != m.data.xxh3 {
        return Err(bad("its rows do not match the checksum its manifest records: values were edited or damaged after deter wrote them"));
    }
    Ok(n)
}

struct HashingReader<R> {
    inner: R,
    hasher: Xxh3,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// What [`merge`] joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSummary {
    /// Rows written.
    pub rows: u64,
    /// Files joined.
    pub files: usize,
}

fn ranges_text(r: &Range<u64>) -> String {
    if r.end - r.start == 1 {
        format!("point {}", r.start)
    } else {
        format!("points {}..{}", r.start, r.end - 1)
    }
}

/// Checks that the shards (sorted by range) cover `0..points` exactly once.
fn check_cover(parts: &[(PathBuf, Manifest)], points: u64) -> Result<(), SweepError> {
    let mut problems = Vec::new();
    let mut next = 0;
    for (k, (path, m)) in parts.iter().enumerate() {
        let span = &m.range;
        if span.start > next {
            problems.push(format!("{} are missing", ranges_text(&(next..span.start))));
        } else if span.start < next && span.end > span.start {
            let prev = &parts[k - 1].0;
            problems.push(format!(
                "{} appear in both `{}` and `{}`",
                ranges_text(&(span.start..next.min(span.end))),
                prev.display(),
                path.display()
            ));
        }
        next = next.max(span.end);
    }
    if next < points {
        problems.push(format!("{} are missing", ranges_text(&(next..points))));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let n = parts[0].1.shard.n;
    if parts.iter().all(|p| p.1.shard.n == n) {
        let have: Vec<u64> = parts.iter().map(|p| p.1.shard.i).collect();
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

/// Checks one shard's manifest against the first one's.
fn check_shard(path: &Path, m: &Manifest, m0: &Manifest, first: &Path) -> Result<(), SweepError> {
    let bad = |msg: String| SweepError::Merge(format!("`{}`: {msg}", path.display()));
    if m.fingerprint != m0.fingerprint || m.points != m0.points || m.format != m0.format {
        return Err(SweepError::Merge(format!(
            "`{}` and `{}` come from different sweeps (their manifests differ)",
            first.display(),
            path.display()
        )));
    }
    if m.columns != m0.columns || m.axes != m0.axes {
        return Err(bad(format!(
            "its columns or axes differ from those of `{}`",
            first.display()
        )));
    }
    if !m.is_complete() {
        return Err(bad(format!(
            "it is not finished: its manifest records {} of its {} rows (finish it with \
             `deter sweep … --shard {} --resume`)",
            m.data.rows,
            m.range.end - m.range.start,
            m.shard
        )));
    }
    if m.range != m.shard.range(m.points) {
        return Err(bad("its index range does not match its shard".into()));
    }
    Ok(())
}

/// Copies one shard's rows (after its header) to `w`, checking its bytes against its
/// manifest's checksum on the way; returns the rows' bytes' checksum contribution via `all`.
fn copy_shard(
    path: &Path,
    m: &Manifest,
    header: &[u8],
    w: &mut impl Write,
    all: &mut Xxh3,
) -> Result<(), SweepError> {
    let bad = |msg: &str| SweepError::Merge(format!("`{}`: {msg}", path.display()));
    let io = || SweepError::io(format!("cannot read `{}`", path.display()));
    let mut f = File::open(path).map_err(io())?;
    let len = f.metadata().map_err(io())?.len();
    if len != m.data.bytes {
        return Err(bad(
            "its length differs from the one its manifest records: it was changed after deter \
             wrote it",
        ));
    }
    let mut head = vec![0u8; header.len()];
    f.read_exact(&mut head).map_err(io())?;
    if head != header {
        return Err(bad(
            "its header differs from the columns its manifest records",
        ));
    }
    let mut own = Xxh3::new();
    own.update(&head);
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf).map_err(io())?;
        if n == 0 {
            break;
        }
        own.update(&buf[..n]);
        all.update(&buf[..n]);
        w.write_all(&buf[..n])
            .map_err(SweepError::io("cannot write the merged output"))?;
    }
    if own.digest() != m.data.xxh3 {
        return Err(bad(
            "its rows do not match the checksum its manifest records: values were edited or \
             damaged after deter wrote them",
        ));
    }
    Ok(())
}

/// Joins shard outputs `inputs` into `out` (see the module docs).
pub fn merge(out: &Path, inputs: &[PathBuf]) -> Result<MergeSummary, SweepError> {
    let first = inputs
        .first()
        .ok_or_else(|| SweepError::Merge("no shard files given".into()))?;
    let target = check_out(out)?;
    let _lock = OutputLock::acquire(&target).map_err(|e| SweepError::Locked(e.to_string()))?;
    let m0 = read_manifest(first)?;
    let mut parts = Vec::new();
    for p in inputs {
        let m = read_manifest(p)?;
        check_shard(p, &m, &m0, first)?;
        parts.push((p.clone(), m));
    }
    parts.sort_by_key(|p| (p.1.range.start, p.1.range.end));
    check_cover(&parts, m0.points)?;
    let header = m0.header();
    let partial = partial_path(&target);
    let mut all = Xxh3::new();
    all.update(&header);
    let mut whole = m0.clone();
    whole.shard = Shard::ALL;
    whole.range = 0..m0.points;
    if let Some(s) = whole.source.as_mut() {
        s.relative = out_dir(out).and_then(|d| relative_to(Path::new(&s.path), &d));
    }
    let written = (|| -> Result<File, SweepError> {
        let create = || SweepError::io(format!("cannot write `{}`", partial.display()));
        let mut w =
            BufWriter::with_capacity(1 << 20, out_file::create(&partial).map_err(create())?);
        w.write_all(&header).map_err(create())?;
        let mut bytes = header.len() as u64;
        for (p, m) in &parts {
            copy_shard(p, m, &header, &mut w, &mut all)?;
            bytes += m.data.bytes - header.len() as u64;
        }
        whole.data = DataSum {
            rows: m0.points,
            bytes,
            xxh3: all.digest(),
        };
        w.into_inner().map_err(|e| SweepError::Io {
            context: format!("cannot write `{}`", partial.display()),
            source: e.into_error(),
        })
    })();
    let file = match written {
        Ok(f) => f,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    whole.write(&target)?;
    out_file::finish(&file, &partial, &target)
        .map_err(SweepError::io(format!("cannot write `{}`", out.display())))?;
    Ok(MergeSummary {
        rows: m0.points,
        files: inputs.len(),
    })
}
