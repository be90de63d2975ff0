//! The parameter grid of a sweep: `--vary` axes, their cartesian product, and shards of it.
//!
//! A sweep visits every combination of its axes' values. Points are numbered row-major with the
//! **last** axis fastest — the order of nested loops written in `--vary` order — so point `k` of
//! a grid is a pure function of `k`. That numbering is what makes a sweep resumable (continue
//! from the next index), shardable (each shard owns a contiguous index range) and mergeable
//! (shards are joined by index).

use super::SweepError;
use crate::model::Params;
use std::ops::Range;

/// The most values one axis may have (the values are held in memory).
pub const MAX_AXIS: usize = 10_000_000;

/// How an axis's values were given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacing {
    /// `name=lo:hi:n`: `n` evenly spaced values from `lo` to `hi` inclusive.
    Linear,
    /// `name=lo:hi:n:log`: `n` values evenly spaced in `ln`, from `lo` to `hi` inclusive.
    Log,
    /// `name=v1,v2,v3`: the listed values, in order.
    List,
}

/// One `--vary` axis: a parameter and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct VarySpec {
    /// The parameter's name.
    pub name: String,
    /// The parameter's id in the template.
    pub param: usize,
    /// The values, in visiting order.
    pub values: Vec<f64>,
    /// How the values were given.
    pub spacing: Spacing,
}

fn bad(spec: &str, msg: impl Into<String>) -> SweepError {
    SweepError::Vary {
        spec: spec.to_string(),
        message: msg.into(),
    }
}

fn number(spec: &str, what: &str, s: &str) -> Result<f64, SweepError> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| bad(spec, format!("{what} `{}` is not a number", s.trim())))?;
    if !x.is_finite() {
        return Err(bad(spec, format!("{what} must be finite")));
    }
    Ok(x)
}

/// The `i`-th of `n` evenly spaced values from `lo` to `hi` (both ends exact).
fn linspace(lo: f64, hi: f64, n: usize, i: usize) -> f64 {
    if n == 1 || i == 0 {
        lo
    } else if i == n - 1 {
        hi
    } else {
        lo + (hi - lo) * (i as f64 / (n - 1) as f64)
    }
}

impl VarySpec {
    /// Parses `name=lo:hi:n`, `name=lo:hi:n:log` or `name=v1,v2,...` against the template's
    /// parameters: the name must exist (an unknown one gets a suggestion), `n ≥ 1`, log spacing
    /// needs `0 < lo`, and every value must lie in the parameter's declared range.
    pub fn parse(spec: &str, params: &Params) -> Result<VarySpec, SweepError> {
        let (name, rhs) = spec.split_once('=').ok_or_else(|| {
            bad(
                spec,
                "expected NAME=LO:HI:N, NAME=LO:HI:N:log or NAME=V1,V2,...",
            )
        })?;
        let name = name.trim();
        let param = params.lookup(name).map_err(|m| bad(spec, m))?;
        let rhs = rhs.trim();
        let (values, spacing) = if rhs.contains(':') {
            let parts: Vec<&str> = rhs.split(':').collect();
            let log = match parts.len() {
                3 => false,
                4 if parts[3].trim() == "log" => true,
                4 => {
                    return Err(bad(
                        spec,
                        format!(
                            "unknown spacing `{}`; the only one is `log`",
                            parts[3].trim()
                        ),
                    ))
                }
                _ => return Err(bad(spec, "expected LO:HI:N or LO:HI:N:log")),
            };
            let lo = number(spec, "lower end", parts[0])?;
            let hi = number(spec, "upper end", parts[1])?;
            let n: usize = parts[2].trim().parse().map_err(|_| {
                bad(
                    spec,
                    format!(
                        "the number of points `{}` is not a whole number",
                        parts[2].trim()
                    ),
                )
            })?;
            if n == 0 {
                return Err(bad(spec, "the number of points must be at least 1"));
            }
            if n > MAX_AXIS {
                return Err(bad(
                    spec,
                    format!("at most {MAX_AXIS} points per axis; split the sweep with --shard"),
                ));
            }
            if log {
                if lo <= 0.0 || hi <= 0.0 {
                    return Err(bad(spec, "log spacing needs both ends greater than 0"));
                }
                let (a, b) = (lo.ln(), hi.ln());
                let v = (0..n)
                    .map(|i| match i {
                        0 => lo,
                        _ if i == n - 1 => hi,
                        _ => linspace(a, b, n, i).exp(),
                    })
                    .collect();
                (v, Spacing::Log)
            } else {
                (
                    (0..n).map(|i| linspace(lo, hi, n, i)).collect(),
                    Spacing::Linear,
                )
            }
        } else {
            let v = rhs
                .split(',')
                .map(|s| number(spec, "value", s))
                .collect::<Result<Vec<f64>, _>>()?;
            (v, Spacing::List)
        };
        for &v in &values {
            params.check_range(param, v).map_err(|m| bad(spec, m))?;
        }
        Ok(VarySpec {
            name: name.to_string(),
            param,
            values,
            spacing,
        })
    }
}

/// The cartesian product of the axes, numbered row-major with the last axis fastest.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The axes in `--vary` order.
    pub axes: Vec<VarySpec>,
    len: u64,
}

impl Grid {
    /// A grid over these axes. Fails on a repeated parameter or more than `u64::MAX` points;
    /// no axes at all gives a one-point grid (the base point).
    pub fn new(axes: Vec<VarySpec>) -> Result<Grid, SweepError> {
        let mut len: u64 = 1;
        for (k, a) in axes.iter().enumerate() {
            if axes[..k].iter().any(|b| b.param == a.param) {
                return Err(SweepError::Grid(format!(
                    "parameter `{}` is varied twice",
                    a.name
                )));
            }
            len = len
                .checked_mul(a.values.len() as u64)
                .ok_or_else(|| SweepError::Grid("the grid has too many points".into()))?;
        }
        Ok(Grid { axes, len })
    }

    /// Number of points.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True if the grid has no points (never: every axis has at least one value).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of point `index` along each axis, written into `coords` (one per axis).
    pub fn coords(&self, mut index: u64, coords: &mut [usize]) {
        for (a, c) in self.axes.iter().zip(coords.iter_mut()).rev() {
            let n = a.values.len() as u64;
            *c = (index % n) as usize;
            index /= n;
        }
    }

    /// Writes point `index` into `theta`: `base` with each axis's parameter set to its value.
    /// `theta` must have `base.len()` entries.
    pub fn point(&self, mut index: u64, base: &[f64], theta: &mut [f64]) {
        theta.copy_from_slice(base);
        for a in self.axes.iter().rev() {
            let n = a.values.len() as u64;
            theta[a.param] = a.values[(index % n) as usize];
            index /= n;
        }
    }

    /// The value of each axis at point `index`, in axis order.
    pub fn values_at(&self, index: u64) -> Vec<f64> {
        let mut c = vec![0; self.axes.len()];
        self.coords(index, &mut c);
        self.axes.iter().zip(c).map(|(a, i)| a.values[i]).collect()
    }
}

/// Part `i` of `n` of a grid: `--shard i/n`, **1-based** (`1/16` … `16/16`), matching the task
/// ids of a cluster job array (`SLURM_ARRAY_TASK_ID` running from 1 to n).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1 ≤ i ≤ n.
    pub i: u64,
    /// Number of shards.
    pub n: u64,
}

impl Shard {
    /// The whole grid as one shard.
    pub const ALL: Shard = Shard { i: 1, n: 1 };

    /// Parses `i/n` (1 ≤ i ≤ n).
    pub fn parse(s: &str) -> Result<Shard, SweepError> {
        let err = |m: &str| SweepError::Shard {
            spec: s.to_string(),
            message: m.to_string(),
        };
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| err("expected I/N, e.g. 3/16 (shards are numbered from 1)"))?;
        let i: u64 = i
            .trim()
            .parse()
            .map_err(|_| err("I is not a whole number"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| err("N is not a whole number"))?;
        if n == 0 {
            return Err(err("the number of shards must be at least 1"));
        }
        if i == 0 || i > n {
            return Err(err("shards are numbered from 1 to N"));
        }
        Ok(Shard { i, n })
    }

    /// The contiguous index range this shard owns in a grid of `len` points. The shards
    /// `1/n … n/n` partition `0..len` in order.
    pub fn range(&self, len: u64) -> Range<u64> {
        // `parse` guarantees 1 ≤ i ≤ n; a hand-built shard is clamped into that range.
        let n = self.n.max(1);
        let i = self.i.clamp(1, n);
        let at = |k: u64| ((k as u128 * len as u128) / n as u128) as u64;
        at(i - 1)..at(i)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.i, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params {
            names: vec!["T".into(), "c_D".into(), "g".into()],
            defaults: vec![0.3, 1.5, 1.0],
            ranges: vec![Some((0.0, 1.0)), Some((0.0, 3.0)), None],
            about: vec![String::new(); 3],
            spans: vec![0..0; 3],
        }
    }

    #[test]
    fn linear_log_and_list_axes() {
        let p = params();
        let a = VarySpec::parse("T=0:1:5", &p).unwrap();
        assert_eq!(a.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let b = VarySpec::parse("g=0.01:100:5:log", &p).unwrap();
        // 10^-2 … 10^2 in steps of one decade.
        for (v, w) in b.values.iter().zip([0.01, 0.1, 1.0, 10.0, 100.0]) {
            assert!((v - w).abs() <= 1e-12 * w, "{v} vs {w}");
        }
        let c = VarySpec::parse("c_D = 0.5, 1,2", &p).unwrap();
        assert_eq!(c.values, vec![0.5, 1.0, 2.0]);
        assert_eq!(
            VarySpec::parse("T=0.5:0.5:1", &p).unwrap().values,
            vec![0.5]
        );
    }

    #[test]
    fn bad_axes_are_refused_with_reasons() {
        let p = params();
        let msg = |s: &str| VarySpec::parse(s, &p).unwrap_err().to_string();
        assert!(
            msg("TT=0:1:3").contains("did you mean `T`"),
            "{}",
            msg("TT=0:1:3")
        );
        assert!(msg("T=0:1:0").contains("at least 1"));
        assert!(msg("g=0:1:3:log").contains("greater than 0"));
        assert!(msg("T=0:2:3").contains("outside its range"));
        assert!(msg("T=0:x:3").contains("not a number"));
        assert!(msg("T").contains("expected NAME="));
        assert!(msg("T=0:1:3:lin").contains("unknown spacing"));
        assert!(msg("T=0:1:100000000000").contains("at most"));
    }

    #[test]
    fn last_axis_is_fastest() {
        let p = params();
        let g = Grid::new(vec![
            VarySpec::parse("T=0,1", &p).unwrap(),
            VarySpec::parse("c_D=0,1,2", &p).unwrap(),
        ])
        .unwrap();
        assert_eq!(g.len(), 6);
        let base = p.defaults.clone();
        let mut th = vec![0.0; 3];
        let mut seen = Vec::new();
        for k in 0..6 {
            g.point(k, &base, &mut th);
            assert_eq!(th[2], 1.0);
            seen.push((th[0], th[1]));
        }
        let want = [(0., 0.), (0., 1.), (0., 2.), (1., 0.), (1., 1.), (1., 2.)];
        assert_eq!(seen, want);
        assert_eq!(g.values_at(4), vec![1.0, 1.0]);
        let twice = Grid::new(vec![
            VarySpec::parse("T=0,1", &p).unwrap(),
            VarySpec::parse("T=0,1", &p).unwrap(),
        ]);
        assert!(twice.is_err());
    }

    #[test]
    fn shards_partition_the_grid() {
        for len in [0u64, 1, 7, 100, 1001] {
            for n in 1..=9 {
                let mut next = 0;
                for i in 1..=n {
                    let r = Shard { i, n }.range(len);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, len);
            }
        }
        assert_eq!(Shard::parse("3/16").unwrap(), Shard { i: 3, n: 16 });
        assert!(Shard::parse("0/4").is_err());
        assert!(Shard::parse("5/4").is_err());
        assert!(Shard::parse("1/0").is_err());
        assert!(Shard::parse("x").is_err());
    }
}
