//! Comparative statics at the estimates: each outcome's fitted probability as one covariate
//! moves over a range, the others held at their sample means (factors at their baseline), with
//! 95% delta-method bands.
//!
//! The gradient of an outcome probability in the coefficients is the likelihood's reverse pass
//! seeded at that leaf ([`Likelihood::reach_grad`]), so the bands use the same exact
//! derivatives as the fit.

use super::data::{is_missing, Column, Data};
use super::design::{self, Options};
use super::estimate::formulas;
use super::inference::delta;
use super::likelihood::Likelihood;
use super::spec::FitSpec;
use crate::model::GameTemplate;
use crate::plot::{band_svg, Band, BandChart};

/// The covariate and its range: `--effects NAME=LO:HI[:N]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Column name.
    pub column: String,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Number of points.
    pub n: usize,
}

impl Axis {
    /// Parses `NAME=LO:HI` or `NAME=LO:HI:N`.
    pub fn parse(s: &str) -> Result<Axis, String> {
        let bad = || {
            format!("`--effects {s}`: expected COLUMN=LO:HI or COLUMN=LO:HI:N, e.g. `balance=-2:2`")
        };
        let (name, range) = s.split_once('=').ok_or_else(bad)?;
        let parts: Vec<&str> = range.split(':').collect();
        let num = |x: &str| x.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (lo, hi, n) = match parts.as_slice() {
            [a, b] => (num(a), num(b), Some(41)),
            [a, b, c] => (num(a), num(b), c.trim().parse::<usize>().ok()),
            _ => return Err(bad()),
        };
        match (lo, hi, n) {
            (Some(lo), Some(hi), Some(n)) if lo < hi && (2..=10_000).contains(&n) => Ok(Axis {
                column: name.trim().to_string(),
                lo,
                hi,
                n,
            }),
            _ => Err(bad()),
        }
    }
}

/// Fitted outcome probabilities along the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Curves {
    /// The covariate.
    pub column: String,
    /// Its values.
    pub xs: Vec<f64>,
    /// One band per outcome (leaf).
    pub bands: Vec<Band>,
}

impl Curves {
    /// As CSV: `x, p_<outcome>, lo_<outcome>, hi_<outcome>, …`.
    pub fn csv(&self) -> String {
        let mut s = self.column.clone();
        for b in &self.bands {
            s.push_str(&format!(",p_{0},lo_{0},hi_{0}", b.name));
        }
        s.push('\n');
        for (i, x) in self.xs.iter().enumerate() {
            s.push_str(&format!("{x}"));
            for b in &self.bands {
                s.push_str(&format!(
                    ",{:.6},{:.6},{:.6}",
                    b.values[i], b.lo[i], b.hi[i]
                ));
            }
            s.push('\n');
        }
        s
    }

    /// As JSON: `{"column", "x": [...], "outcomes": [{"name", "p", "lo", "hi"}, ...]}`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "column": self.column,
            "x": self.xs,
            "outcomes": self
                .bands
                .iter()
                .map(|b| serde_json::json!({
                    "name": b.name,
                    "p": b.values,
                    "lo": b.lo,
                    "hi": b.hi,
                }))
                .collect::<Vec<_>>(),
        })
    }

    /// As SVG.
    pub fn svg(&self, title: &str) -> Result<String, String> {
        band_svg(&BandChart {
            title: &format!("{title}: fitted outcome probabilities (95% bands)"),
            x_name: &self.column,
            xs: &self.xs,
            bands: &self.bands,
        })
        .map_err(|e| e.to_string())
    }
}

/// Computes the curves at coefficients `beta` with covariance `vcov`.
pub fn compute(
    t: &GameTemplate,
    spec: &FitSpec,
    data: &Data,
    theta: &[f64],
    axis: &Axis,
    beta: &[f64],
    vcov: &[f64],
) -> Result<Curves, String> {
    let col = data.column_index(&axis.column).ok_or_else(|| {
        format!(
            "`--effects`: {} has no column `{}`{}",
            data.name,
            axis.column,
            crate::diag::did_you_mean(&axis.column, data.header.iter().map(String::as_str))
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        )
    })?;
    // One synthetic row per x: other numeric columns at their means, others at their
    // baseline level.
    let typical: Vec<String> = (0..data.header.len())
        .map(|c| {
            let as_factor = spec.factors.iter().any(|f| f.v == data.header[c]);
            match data.column(c, as_factor) {
                Column::Numeric(v) => {
                    let ok: Vec<f64> = v.into_iter().filter(|x| !x.is_nan()).collect();
                    format!("{}", ok.iter().sum::<f64>() / ok.len().max(1) as f64)
                }
                Column::Factor { levels, .. } => spec
                    .baseline
                    .iter()
                    .find(|(k, _)| k.v == data.header[c])
                    .map(|(_, l)| l.v.clone())
                    .or_else(|| levels.first().cloned())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let xs: Vec<f64> = (0..axis.n)
        .map(|i| axis.lo + (axis.hi - axis.lo) * i as f64 / (axis.n - 1) as f64)
        .collect();
    let mut text = data.header.join(",");
    text.push('\n');
    for x in &xs {
        let row: Vec<String> = typical
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if c == col {
                    format!("{x}")
                } else if is_missing(v) {
                    "0".into()
                } else {
                    v.clone()
                }
            })
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let grid = Data::read(data.name.clone(), text.as_bytes()).map_err(|e| e.to_string())?;
    let d = design::build(
        t,
        spec,
        &grid,
        theta,
        &Options {
            cluster: None,
            no_outcome: true,
        },
    )
    .map_err(|e| format!("{:?}", e.data))?;
    let f =
        formulas(t, &d).map_err(|_| "the model's formulas fail at the estimates".to_string())?;
    let lik = Likelihood::new(&t.tree, f, &d, spec.errors.v, spec.link.v);
    let mut w = lik.work();
    let leaves: Vec<usize> = t.tree.leaves.iter().map(|l| l.node.ix()).collect();
    let mut bands: Vec<Band> = leaves
        .iter()
        .map(|&l| Band {
            name: t.tree.node_names[l].to_string(),
            values: Vec::new(),
            lo: Vec::new(),
            hi: Vec::new(),
        })
        .collect();
    for (r, &c) in d.row_cell.iter().enumerate() {
        let _ = r;
        let i = d.cells[c as usize].pattern as usize;
        for (b, &l) in bands.iter_mut().zip(&leaves) {
            let (p, g) = lik
                .reach_grad(i, beta, l, &mut w)
                .map_err(|e| format!("{e:?}"))?;
            let se = delta(&g, vcov);
            b.values.push(p);
            b.lo.push((p - 1.959_963_984_540_054 * se).max(0.0));
            b.hi.push((p + 1.959_963_984_540_054 * se).min(1.0));
        }
    }
    Ok(Curves {
        column: axis.column.clone(),
        xs,
        bands,
    })
}
