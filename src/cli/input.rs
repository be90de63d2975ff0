//! Loading the game a command names: a model file, or a Gambit `.efg`/`.nfg`.

use anyhow::{bail, Context, Result};
use deter::diag::{self, has_errors};
use deter::model::{self, GameTemplate};
use std::io::IsTerminal;
use std::path::Path;

/// Reads a file to a string with a clear error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// A file's text: mapped from the page cache when the file is large and regular (a
/// million-node `.efg` is tens of megabytes, and copying it into the heap costs a page fault per
/// 4 KiB), else read into a string.
pub enum Text {
    /// Read into the heap.
    Owned(String),
    /// Mapped; checked to be UTF-8 when mapped.
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            // SAFETY: checked to be UTF-8 by `map_text`, the only place a map is made, and the
            // map is read-only.
            Text::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m) },
        }
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

/// Files at least this large are mapped rather than read.
const MAP_FROM: u64 = 1 << 20;

/// Reads or maps a file's text with a clear error (see [`Text`]).
pub fn map_text(path: &Path) -> Result<Text> {
    let cannot = || format!("cannot read `{}`", path.display());
    let file = std::fs::File::open(path).with_context(cannot)?;
    let meta = file.metadata().with_context(cannot)?;
    if !meta.is_file() || meta.len() < MAP_FROM {
        return std::io::read_to_string(&file)
            .map(Text::Owned)
            .with_context(cannot);
    }
    // SAFETY: the map is only read, and only while this process holds it. A file truncated by
    // another process while it is read would end the process with SIGBUS rather than give wrong
    // answers; a file changed in place would be read as a mix of old and new text, which the
    // reader then rejects or reads as a (different) valid game, as a read racing a writer would.
    let map = unsafe { memmap2::Mmap::map(&file) }.with_context(cannot)?;
    if std::str::from_utf8(&map).is_err() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
        .with_context(cannot);
    }
    Ok(Text::Mapped(map))
}

/// Prints diagnostics to stderr (snippets, coloured on a terminal).
pub fn print_diags(loaded: &model::Loaded, short: bool) {
    if loaded.diags.is_empty() {
        return;
    }
    let s = if short {
        diag::render_short(&loaded.source, &loaded.diags)
    } else {
        diag::render(
            &loaded.source,
            &loaded.diags,
            std::io::stderr().is_terminal(),
        )
    };
    err!("{s}");
}

/// Loads a model file; prints its diagnostics; fails if it has errors.
pub fn load_model(path: &Path) -> Result<(model::Loaded, GameTemplate)> {
    let text = read_text(path)?;
    let loaded = model::load(path.display().to_string(), text);
    print_diags(&loaded, false);
    if has_errors(&loaded.diags) {
        let n = loaded.diags.iter().filter(|d| d.is_error()).count();
        bail!(
            "`{}` has {n} error{}; run `deter check {}` for the full list",
            path.display(),
            if n == 1 { "" } else { "s" },
            path.display()
        );
    }
    let t = loaded
        .template
        .clone()
        .context("internal: model without errors produced no template")?;
    Ok((loaded, t))
}

/// Parses `name=value` pairs given with `--set`.
pub fn parse_sets(sets: &[String]) -> Result<Vec<(String, f64)>> {
    sets.iter()
        .map(|s| {
            let (k, v) = s
                .split_once('=')
                .with_context(|| format!("`--set {s}`: expected NAME=VALUE, e.g. `--set T=0.5`"))?;
            let x = deter::exact::parse_fraction(v)
                .map(|q| deter::exact::to_f64(&q))
                .filter(|x| x.is_finite())
                .with_context(|| {
                    format!(
                        "`--set {s}`: `{}` is not a number (write a decimal such as 0.5 or a \
                         fraction such as 2/3)",
                        v.trim()
                    )
                })?;
            Ok((k.trim().to_string(), x))
        })
        .collect()
}

/// The parameter values of a `deter fit --out FILE.json` result, as `name=value` pairs.
pub fn params_sets(path: &Path) -> Result<Vec<String>> {
    let text = read_text(path)?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", path.display()))?;
    let Some(obj) = v.get("parameters").and_then(|p| p.as_object()) else {
        bail!(
            "`{}` has no \"parameters\" object; write one with `deter fit … --out {}`",
            path.display(),
            path.display()
        );
    };
    obj.iter()
        .map(|(k, x)| match x.as_f64() {
            Some(f) => Ok(format!("{k}={f}")),
            None => bail!("`{}`: parameter `{k}` is not a number", path.display()),
        })
        .collect()
}

/// The parameter point chosen by `--scenario` and `--set`.
pub fn point(t: &GameTemplate, scenario: Option<&str>, sets: &[String]) -> Result<Vec<f64>> {
    let sets = parse_sets(sets)?;
    t.point(scenario, &sets).map_err(anyhow::Error::msg)
}

/// The kind of input, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A deter model.
    Model,
    /// Gambit extensive form.
    Efg,
    /// Gambit strategic form.
    Nfg,
}

/// Classifies a path by extension (anything else is read as a model).
pub fn kind(path: &Path) -> Kind {
    match path.extension().and_then(|e| e.to_str()) {
        Some("efg") => Kind::Efg,
        Some("nfg") => Kind::Nfg,
        _ => Kind::Model,
    }
}

/// A game loaded from any supported file, at the parameter point the flags chose.
pub enum GameInput {
    /// A parametric model instantiated at `theta`.
    Model {
        /// The template.
        template: Box<GameTemplate>,
        /// The parameter point.
        theta: Vec<f64>,
        /// The game at `theta`.
        game: deter::game::Game,
    },
    /// A Gambit extensive-form game.
    Efg(deter::game::Game),
    /// A Gambit strategic-form game.
    Nfg(deter::game::StrategicGame),
}

impl GameInput {
    /// The title to show.
    pub fn title(&self, file: &str) -> String {
        let t = match self {
            GameInput::Model { template, .. } => template.title.clone(),
            GameInput::Efg(g) => g.tree.title.clone(),
            GameInput::Nfg(g) => g.title.clone(),
        };
        if t.is_empty() {
            file.to_string()
        } else {
            t
        }
    }
}

/// Loads a model (at the point chosen by `--scenario`/`--set`) or a Gambit `.efg`/`.nfg` file.
/// Problems are reported with file, line and column.
pub fn load_game(path: &Path, scenario: Option<&str>, sets: &[String]) -> Result<GameInput> {
    load_game_within(path, scenario, sets, deter::game::reduce::MAX_CELLS)
}

/// [`load_game`] with a budget of `max_cells` payoff cells for `.nfg` files. A game without
/// perfect recall is noted on stderr, located where the file allows.
pub fn load_game_within(
    path: &Path,
    scenario: Option<&str>,
    sets: &[String],
    max_cells: usize,
) -> Result<GameInput> {
    let kind = kind(path);
    if kind != Kind::Model && (scenario.is_some() || !sets.is_empty()) {
        bail!("`--set` and `--scenario` apply to parametric models (.toml), not Gambit files");
    }
    let gambit = |e: deter::format::FormatError| {
        anyhow::anyhow!("{}:{}:{}: {}", path.display(), e.line, e.col, e.message)
    };
    match kind {
        Kind::Model => {
            let (loaded, t) = load_model(path)?;
            let theta = point(&t, scenario, sets)?;
            let fail = |e: &deter::model::InstantiateError, th: &[f64]| {
                let d = t.diagnose(e, th);
                err!(
                    "{}",
                    diag::render(&loaded.source, &[d], std::io::stderr().is_terminal())
                );
                anyhow::anyhow!("the model cannot be evaluated at this parameter point")
            };
            let mut game = t.instantiate(&theta).map_err(|e| fail(&e, &theta))?;
            // The same point exactly, as written in the file and on the command line.
            let exact_sets: Vec<(String, deter::exact::Rational)> = sets
                .iter()
                .filter_map(|s| {
                    let (k, v) = s.split_once('=')?;
                    Some((k.trim().to_string(), deter::exact::parse_fraction(v)?))
                })
                .collect();
            if let Ok(th) = t.exact_point(&loaded.source.text, scenario, &exact_sets) {
                t.fill_exact(&mut game, &th).map_err(|e| fail(&e, &theta))?;
            }
            Ok(GameInput::Model {
                template: Box::new(t),
                theta,
                game,
            })
        }
        Kind::Efg => {
            let (g, pos) =
                deter::format::efg::read_located_owned(map_text(path)?).map_err(gambit)?;
            if let Err(r) = deter::game::recall::check(&g.tree) {
                let (l, c) = pos.get(r.second).unwrap_or((1, 1));
                errln!(
                    "{}:{l}:{c}: note: {}; solvers that need perfect recall refuse this game, \
                     and strategic-form solvers answer in mixed strategies",
                    path.display(),
                    r.describe(&g.tree)
                );
            }
            Ok(GameInput::Efg(g))
        }
        Kind::Nfg => Ok(GameInput::Nfg(
            deter::format::nfg::read_within(&read_text(path)?, max_cells).map_err(gambit)?,
        )),
    }
}
