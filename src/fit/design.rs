//! The design: the `[fit]` formulas resolved against the data's columns.
//!
//! Each parameter formula must be linear in its coefficients: a sum of terms, each a
//! coefficient times an expression in numeric columns (`b1*trade`, `b2*ln(gdp)`), a coefficient
//! alone (an intercept), or a column expression without a coefficient (an offset, e.g. a
//! parameter given per row: `T = "ties"`). A name is a data column if the header has it, and a
//! coefficient otherwise; the same coefficient may appear in several formulas (an equality
//! constraint). A factor column multiplied by a coefficient expands into treatment contrasts:
//! one coefficient `b[level]` per level except the baseline (the first level in sorted order
//! unless `baseline` names another).
//!
//! Rows are reduced to *patterns*: the vector of covariate terms a row contributes, shared by
//! every row with the same values; the likelihood is computed once per pattern and weighted by
//! how often each observation occurs with it ([`Cell`]).

use super::data::{Column, Data, DataProblem};
use super::spec::{observed_nodes, FitFormula, FitSpec};
use crate::diag::{did_you_mean, Diagnostic};
use crate::expr::{compile, Ast, AstKind, BinOp, Expr, ParamId};
use crate::model::GameTemplate;
use std::collections::HashMap;

/// One estimated coefficient.
#[derive(Clone, Debug, PartialEq)]
pub struct Coef {
    /// Its name (`b1`, or `b_region[Asia]` for a factor level).
    pub name: String,
    /// The parameters (model parameters, or `log_scale[Player]`) whose formulas it enters.
    pub enters: Vec<String>,
}

/// A coefficient's contribution to a parameter: `θ_param += β_coef · z`, with `z` stored per
/// pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    /// Extended parameter index (model parameters, then one log scale per player).
    pub param: u32,
    /// Coefficient index.
    pub coef: u32,
}

/// How often one observation occurs with one covariate pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// The pattern.
    pub pattern: u32,
    /// The observation (index into [`Design::obs`]).
    pub obs: u32,
    /// Number of rows.
    pub count: f64,
}

/// A column the design uses, for the output.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnInfo {
    /// Name.
    pub name: String,
    /// For a factor: its levels and the baseline.
    pub factor: Option<(Vec<String>, String)>,
    /// Rows dropped because this column was missing.
    pub missing: usize,
}

/// Everything the likelihood needs from the model, the `[fit]` section and the data.
#[derive(Clone, Debug)]
pub struct Design {
    /// Number of model parameters.
    pub n_params: usize,
    /// Number of players (one log scale each, after the model parameters).
    pub n_players: usize,
    /// Extended parameter vector with the fixed values (varying entries are overwritten).
    pub theta_base: Vec<f64>,
    /// Which extended parameters vary across rows or with the coefficients.
    pub varying: Vec<bool>,
    /// Varying extended parameters, in the order of their offset slots.
    pub varying_list: Vec<u32>,
    /// Names of the extended parameters.
    pub ext_names: Vec<String>,
    /// The coefficients.
    pub coefs: Vec<Coef>,
    /// Coefficient terms; slot `t` of a pattern holds term `t`'s `z`.
    pub terms: Vec<Term>,
    /// Values per pattern: `terms.len()` term values, then one offset per varying parameter.
    pub width: usize,
    /// `patterns[i * width ..][..width]`.
    pub patterns: Vec<f64>,
    /// Observations: the nodes whose reach probabilities add up to each one's probability.
    pub obs: Vec<Vec<u32>>,
    /// The data value of each observation.
    pub obs_names: Vec<String>,
    /// Cells sorted by pattern.
    pub cells: Vec<Cell>,
    /// Cells of pattern `i`: `cells[pattern_cells[i]..pattern_cells[i + 1]]`.
    pub pattern_cells: Vec<u32>,
    /// For each used row: its cell.
    pub row_cell: Vec<u32>,
    /// For each used row: its line in the data file.
    pub row_lines: Vec<u64>,
    /// For each used row: its data row index.
    pub row_index: Vec<u32>,
    /// Cluster of each used row, and the cluster column's name.
    pub clusters: Option<(String, Vec<u32>)>,
    /// Rows read.
    pub n_read: usize,
    /// Rows dropped for missing values.
    pub n_dropped: usize,
    /// Columns used.
    pub columns: Vec<ColumnInfo>,
    /// The outcome column.
    pub outcome_column: Option<String>,
}

/// Why the design could not be built.
#[derive(Debug, Default)]
pub struct DesignError {
    /// Problems in the model file's `[fit]` section (located there).
    pub model: Vec<Diagnostic>,
    /// Problems in the data (located by line).
    pub data: Vec<DataProblem>,
}

/// What to build the design for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Cluster column (overrides the section's).
    pub cluster: Option<String>,
    /// Build without an outcome column (to simulate outcomes).
    pub no_outcome: bool,
}

/// One term of a formula before expansion.
struct RawTerm {
    coef: Option<String>,
    /// A factor column and its coefficient expands per level.
    factor: Option<usize>,
    /// Numeric multiplier expression (columns and numbers), `None` for 1.
    expr: Option<Expr>,
    mult: f64,
}

struct Build<'a> {
    t: &'a GameTemplate,
    data: &'a Data,
    spec: &'a FitSpec,
    err: DesignError,
    /// Used numeric columns: data column index → slot in the per-row value vector.
    num_cols: Vec<usize>,
    factor_cols: Vec<usize>,
    kinds: HashMap<usize, Column>,
}

fn flatten_sum(a: &Ast, sign: f64, out: &mut Vec<(f64, Ast)>) {
    match &a.kind {
        AstKind::Bin(BinOp::Add, x, y) => {
            flatten_sum(x, sign, out);
            flatten_sum(y, sign, out);
        }
        AstKind::Bin(BinOp::Sub, x, y) => {
            flatten_sum(x, sign, out);
            flatten_sum(y, -sign, out);
        }
        AstKind::Neg(x) => flatten_sum(x, -sign, out),
        _ => out.push((sign, a.clone())),
    }
}

/// Splits a product into factors; divisions keep their denominator as one factor `1/d`.
fn flatten_product(a: &Ast, out: &mut Vec<Ast>, sign: &mut f64) {
    match &a.kind {
        AstKind::Bin(BinOp::Mul, x, y) => {
            flatten_product(x, out, sign);
            flatten_product(y, out, sign);
        }
        AstKind::Neg(x) => {
            *sign = -*sign;
            flatten_product(x, out, sign);
        }
        AstKind::Bin(BinOp::Div, x, y) => {
            flatten_product(x, out, sign);
            out.push(Ast::new(
                AstKind::Bin(
                    BinOp::Div,
                    Box::new(Ast::new(AstKind::Num(1.0), y.span.clone())),
                    y.clone(),
                ),
                y.span.clone(),
            ));
        }
        _ => out.push(a.clone()),
    }
}

impl Build<'_> {
    fn is_column(&self, name: &str) -> bool {
        self.data.column_index(name).is_some()
    }

    fn kind(&mut self, col: usize) -> &Column {
        let as_factor = self
            .spec
            .factors
            .iter()
            .any(|f| f.v == self.data.header[col]);
        let data = self.data;
        self.kinds
            .entry(col)
            .or_insert_with(|| data.column(col, as_factor))
    }

    fn is_factor(&mut self, col: usize) -> bool {
        matches!(self.kind(col), Column::Factor { .. })
    }

    /// A column listed in `factors`, or one with strings in more than a tenth of its
    /// non-missing cells (fewer are taken for typos in a numeric column and reported).
    fn treat_as_factor(&mut self, col: usize) -> bool {
        if self
            .spec
            .factors
            .iter()
            .any(|f| f.v == self.data.header[col])
        {
            return true;
        }
        if !self.is_factor(col) {
            return false;
        }
        let bad = self.data.non_numeric_lines(col).len();
        let non_missing = (0..self.data.n_rows())
            .filter(|&r| !super::data::is_missing(self.data.cell(r, col)))
            .count();
        bad * 10 > non_missing
    }

    fn model_err(
        &mut self,
        f: &FitFormula,
        span: &std::ops::Range<usize>,
        msg: String,
        hint: Option<String>,
    ) {
        self.err.model.push(
            Diagnostic::error(f.src.file_span(span), msg)
                .with_label("here")
                .with_hint_opt(hint),
        );
    }

    /// Checks that a numeric column has no stray strings (a mostly numeric column with a few
    /// typos is an error, not a factor).
    fn numeric_column(
        &mut self,
        col: usize,
        f: &FitFormula,
        span: &std::ops::Range<usize>,
    ) -> bool {
        if self.is_factor(col) {
            let bad = self.data.non_numeric_lines(col);
            let non_missing = (0..self.data.n_rows())
                .filter(|&r| !super::data::is_missing(self.data.cell(r, col)))
                .count();
            let name = self.data.header[col].clone();
            if bad.len() * 10 <= non_missing {
                for (line, v) in bad {
                    self.err.data.push(DataProblem {
                        line: Some(line),
                        column: Some(name.clone()),
                        message: format!("`{v}` is not a number"),
                    });
                }
            } else {
                self.model_err(
                    f,
                    span,
                    format!("column `{name}` holds strings (a factor), so it cannot enter arithmetic"),
                    Some(format!("multiply it by a coefficient alone (`b*{name}`) to estimate one effect per level")),
                );
            }
            return false;
        }
        if !self.num_cols.contains(&col) {
            self.num_cols.push(col);
        }
        true
    }

    /// Resolves one formula into terms.
    fn terms(&mut self, f: &FitFormula) -> Vec<RawTerm> {
        let mut sum = Vec::new();
        flatten_sum(&f.ast, 1.0, &mut sum);
        let mut out = Vec::new();
        for (sign, term) in sum {
            let mut factors = Vec::new();
            let mut s = sign;
            flatten_product(&term, &mut factors, &mut s);
            let mut coef: Option<String> = None;
            let mut factor: Option<usize> = None;
            let mut rest: Vec<Ast> = Vec::new();
            let mut ok = true;
            for x in factors {
                if let AstKind::Param(name) = &x.kind {
                    if let Some(col) = self.data.column_index(name) {
                        if self.treat_as_factor(col) {
                            if factor.is_some() {
                                self.model_err(
                                    f,
                                    &x.span,
                                    "a term may hold only one factor column".into(),
                                    None,
                                );
                                ok = false;
                            }
                            factor = Some(col);
                            continue;
                        }
                        rest.push(x);
                        continue;
                    }
                    if coef.is_some() {
                        self.model_err(
                            f,
                            &x.span,
                            format!("the term multiplies two coefficients (`{}` and `{name}`), so the formula is not linear in its coefficients", coef.clone().unwrap_or_default()),
                            did_you_mean(name, self.data.header.iter().map(String::as_str))
                                .map(|h| format!("`{name}` is not a column of {}; {h}", self.data.name)),
                        );
                        ok = false;
                    }
                    coef = Some(name.clone());
                    continue;
                }
                // Any other factor must be an expression in numeric columns only.
                for n in x.params() {
                    if !self.is_column(n) {
                        self.model_err(
                            f,
                            &x.span,
                            format!("the coefficient `{n}` appears inside an expression; each term must be a coefficient times an expression in data columns"),
                            did_you_mean(n, self.data.header.iter().map(String::as_str))
                                .map(|h| format!("`{n}` is not a column of {}; {h}", self.data.name)),
                        );
                        ok = false;
                    }
                }
                rest.push(x);
            }
            if !ok {
                continue;
            }
            if factor.is_some() && coef.is_none() {
                let col = factor.unwrap_or(0);
                self.model_err(
                    f,
                    &term.span,
                    format!("the factor `{}` needs a coefficient", self.data.header[col]),
                    Some(format!(
                        "write `b_{0}*{0}` to estimate one effect per level",
                        self.data.header[col]
                    )),
                );
                continue;
            }
            // The numeric multiplier.
            let mut expr_ast: Option<Ast> = None;
            for x in rest {
                let span = x.span.clone();
                for n in x.params() {
                    if let Some(col) = self.data.column_index(n) {
                        let n_span = x.span.clone();
                        if !self.numeric_column(col, f, &n_span) {
                            ok = false;
                        }
                    }
                }
                expr_ast = Some(match expr_ast {
                    None => x,
                    Some(prev) => {
                        Ast::new(AstKind::Bin(BinOp::Mul, Box::new(prev), Box::new(x)), span)
                    }
                });
            }
            if !ok {
                continue;
            }
            let mut mult = s;
            let expr = match expr_ast.map(|a| a.simplify()) {
                None => None,
                Some(Ast {
                    kind: AstKind::Num(v),
                    ..
                }) => {
                    mult *= v;
                    None
                }
                Some(a) => {
                    let header = &self.data.header;
                    let num_cols = &self.num_cols;
                    let e = compile(&a, &mut |n: &str| {
                        let col = header.iter().position(|h| h == n)?;
                        num_cols
                            .iter()
                            .position(|&c| c == col)
                            .map(|i| ParamId(i as u32))
                    });
                    match e {
                        Ok(e) => Some(e),
                        Err(unknown) => {
                            for u in unknown {
                                self.model_err(
                                    f,
                                    &u.span,
                                    format!("`{}` is not a numeric column", u.name),
                                    None,
                                );
                            }
                            continue;
                        }
                    }
                }
            };
            out.push(RawTerm {
                coef,
                factor,
                expr,
                mult,
            });
        }
        out
    }
}

/// Builds the design. `theta` holds the model parameters' values for everything not estimated
/// (defaults, a scenario, `--set`).
pub fn build(
    t: &GameTemplate,
    spec: &FitSpec,
    data: &Data,
    theta: &[f64],
    opts: &Options,
) -> Result<Design, DesignError> {
    let np = t.tree.n_players();
    let n_params = t.params.len();
    let n_ext = n_params + np;
    let mut ext_names: Vec<String> = t.params.names.clone();
    ext_names.extend(t.tree.players.iter().map(|p| format!("log_scale[{p}]")));
    let mut b = Build {
        t,
        data,
        spec,
        err: DesignError::default(),
        num_cols: Vec::new(),
        factor_cols: Vec::new(),
        kinds: HashMap::new(),
    };
    // Formulas by extended parameter.
    let mut formulas: Vec<(usize, &FitFormula)> = Vec::new();
    for (name, f) in &spec.parameters {
        if let Some(p) = t.params.id(&name.v) {
            formulas.push((p, f));
        }
    }
    for (who, f) in &spec.log_scale {
        match who {
            None => {
                for i in 0..np {
                    if !spec
                        .log_scale
                        .iter()
                        .any(|(w, _)| w.as_ref().is_some_and(|w| w.v == t.tree.players[i]))
                    {
                        formulas.push((n_params + i, f));
                    }
                }
            }
            Some(w) => {
                if let Some(i) = t.tree.player_id(&w.v) {
                    formulas.push((n_params + i.ix(), f));
                }
            }
        }
    }
    let mut theta_base = theta.to_vec();
    theta_base.resize(n_ext, 0.0);
    let mut varying = vec![false; n_ext];
    let mut coefs: Vec<Coef> = Vec::new();
    // (ext param, coefficient index or None for offsets, factor level, expr, mult)
    struct Expanded {
        param: usize,
        coef: Option<usize>,
        factor: Option<(usize, u32)>,
        expr: Option<Expr>,
        mult: f64,
    }
    let mut expanded: Vec<Expanded> = Vec::new();
    let mut baselines: HashMap<usize, u32> = HashMap::new();
    for &(p, f) in &formulas {
        let raw = b.terms(f);
        let constant = raw.iter().all(|r| r.coef.is_none() && r.expr.is_none());
        if constant {
            theta_base[p] = raw.iter().map(|r| r.mult).sum();
            continue;
        }
        varying[p] = true;
        for r in raw {
            let mut add_coef = |name: String| -> usize {
                match coefs.iter().position(|c| c.name == name) {
                    Some(i) => {
                        if !coefs[i].enters.contains(&ext_names[p]) {
                            coefs[i].enters.push(ext_names[p].clone());
                        }
                        i
                    }
                    None => {
                        coefs.push(Coef {
                            name,
                            enters: vec![ext_names[p].clone()],
                        });
                        coefs.len() - 1
                    }
                }
            };
            match (r.coef, r.factor) {
                (Some(c), Some(col)) => {
                    let Column::Factor { levels, .. } = b.kind(col).clone() else {
                        continue;
                    };
                    if !b.factor_cols.contains(&col) {
                        b.factor_cols.push(col);
                    }
                    let base = match spec.baseline.iter().find(|(k, _)| k.v == data.header[col]) {
                        Some((_, lv)) => match levels.iter().position(|l| *l == lv.v) {
                            Some(i) => i as u32,
                            None => {
                                b.err.model.push(
                                    Diagnostic::error(
                                        lv.span.clone(),
                                        format!(
                                            "`{}` is not a level of `{}`",
                                            lv.v, data.header[col]
                                        ),
                                    )
                                    .with_hint(format!("its levels are {}", levels.join(", "))),
                                );
                                0
                            }
                        },
                        None => 0,
                    };
                    baselines.insert(col, base);
                    for (li, level) in levels.iter().enumerate() {
                        if li as u32 == base {
                            continue;
                        }
                        let ci = add_coef(format!("{c}[{level}]"));
                        expanded.push(Expanded {
                            param: p,
                            coef: Some(ci),
                            factor: Some((col, li as u32)),
                            expr: r.expr.clone(),
                            mult: r.mult,
                        });
                    }
                }
                (Some(c), None) => {
                    let ci = add_coef(c);
                    expanded.push(Expanded {
                        param: p,
                        coef: Some(ci),
                        factor: None,
                        expr: r.expr,
                        mult: r.mult,
                    });
                }
                (None, _) => expanded.push(Expanded {
                    param: p,
                    coef: None,
                    factor: None,
                    expr: r.expr,
                    mult: r.mult,
                }),
            }
        }
    }
    // The outcome and cluster columns.
    let outcome_col = if opts.no_outcome {
        None
    } else {
        spec.outcome
            .as_ref()
            .and_then(|o| match data.column_index(&o.v) {
                Some(c) => Some(c),
                None => {
                    b.err.model.push(
                        Diagnostic::error(
                            o.span.clone(),
                            format!("{} has no column `{}`", data.name, o.v),
                        )
                        .with_label("the outcome column")
                        .with_hint(
                            did_you_mean(&o.v, data.header.iter().map(String::as_str))
                                .unwrap_or_else(|| {
                                    format!("its columns are {}", data.header.join(", "))
                                }),
                        ),
                    );
                    None
                }
            })
    };
    let cluster_name = opts
        .cluster
        .clone()
        .or_else(|| spec.cluster.as_ref().map(|c| c.v.clone()));
    let cluster_col = match &cluster_name {
        Some(c) => match data.column_index(c) {
            Some(i) => Some(i),
            None => {
                let msg = format!("{} has no cluster column `{c}`", data.name);
                let hint = did_you_mean(c, data.header.iter().map(String::as_str));
                match (&opts.cluster, &spec.cluster) {
                    (None, Some(s)) => b
                        .err
                        .model
                        .push(Diagnostic::error(s.span.clone(), msg).with_hint_opt(hint)),
                    _ => b.err.data.push(DataProblem {
                        line: None,
                        column: None,
                        message: format!(
                            "{msg}{}",
                            hint.map(|h| format!("; {h}")).unwrap_or_default()
                        ),
                    }),
                }
                None
            }
        },
        None => None,
    };
    // Observation names → node sets.
    let tree = &t.tree;
    let mut obs: Vec<Vec<u32>> = Vec::new();
    let mut obs_names: Vec<String> = Vec::new();
    let mut obs_of: HashMap<String, Option<u32>> = HashMap::new();
    let mut unknown_obs: Vec<(u64, String)> = Vec::new();
    // Columns whose missing cells drop rows.
    let mut used_cols: Vec<usize> = b.num_cols.clone();
    used_cols.extend(b.factor_cols.iter().copied());
    used_cols.extend(outcome_col);
    used_cols.extend(cluster_col);
    used_cols.sort_unstable();
    used_cols.dedup();
    let mut missing_by_col: HashMap<usize, usize> = HashMap::new();
    let n_terms_total = expanded.iter().filter(|e| e.coef.is_some()).count();
    let varying_list: Vec<u32> = (0..n_ext)
        .filter(|&p| varying[p])
        .map(|p| p as u32)
        .collect();
    let width = n_terms_total + varying_list.len();
    let mut terms: Vec<Term> = Vec::new();
    for e in &expanded {
        if let Some(c) = e.coef {
            terms.push(Term {
                param: e.param as u32,
                coef: c as u32,
            });
        }
    }
    if terms.is_empty() && b.err.model.is_empty() {
        b.err.model.push(
            Diagnostic::error(spec.span.start..spec.span.start, "[fit] estimates no coefficient")
                .with_hint("write at least one parameter as a formula with a coefficient, e.g. `c_D = \"b0 + b1*trade\"`"),
        );
    }
    if opts.no_outcome {
        obs.push(Vec::new());
        obs_names.push(String::new());
    }
    // Fx hashing: the keys are short and not attacker-chosen, and SipHash showed in profiles.
    let mut pattern_of: rustc_hash::FxHashMap<Vec<u64>, u32> = Default::default();
    let mut patterns: Vec<f64> = Vec::new();
    let mut row_pattern: Vec<(u32, u32)> = Vec::new();
    let mut row_lines = Vec::new();
    let mut row_index = Vec::new();
    let mut cluster_ids: Vec<u32> = Vec::new();
    let mut cluster_of: HashMap<String, u32> = HashMap::new();
    let mut n_dropped = 0usize;
    let mut vals = vec![0.0; b.num_cols.len()];
    let mut stack = Vec::new();
    let mut row = vec![0.0; width];
    let numeric: Vec<Vec<f64>> = b
        .num_cols
        .clone()
        .into_iter()
        .map(|c| match b.kind(c) {
            Column::Numeric(v) => v.clone(),
            Column::Factor { .. } => vec![f64::NAN; data.n_rows()],
        })
        .collect();
    let factor_codes: HashMap<usize, Vec<Option<u32>>> = b
        .factor_cols
        .clone()
        .into_iter()
        .map(|c| {
            let codes = match b.kind(c) {
                Column::Factor { codes, .. } => codes.clone(),
                Column::Numeric(_) => vec![None; data.n_rows()],
            };
            (c, codes)
        })
        .collect();
    if b.err.model.is_empty() && b.err.data.is_empty() {
        'rows: for r in 0..data.n_rows() {
            // Missing values drop the row; each missing column is counted.
            let mut missing = false;
            for &c in &used_cols {
                let cell = data.cell(r, c);
                if super::data::is_missing(cell) {
                    *missing_by_col.entry(c).or_default() += 1;
                    missing = true;
                }
            }
            if missing {
                n_dropped += 1;
                continue;
            }
            for (k, col) in numeric.iter().enumerate() {
                vals[k] = col[r];
            }
            row.iter_mut().for_each(|x| *x = 0.0);
            let mut ti = 0;
            for e in &expanded {
                let z = match &e.expr {
                    None => 1.0,
                    Some(x) => match x.eval(&vals, &mut stack) {
                        Ok(v) => v,
                        Err(err) => {
                            b.err.data.push(DataProblem {
                                line: Some(data.lines[r]),
                                column: None,
                                message: format!("a covariate expression fails on this row: {err}"),
                            });
                            continue 'rows;
                        }
                    },
                };
                let ind = match e.factor {
                    Some((col, level)) => f64::from(u8::from(factor_codes[&col][r] == Some(level))),
                    None => 1.0,
                };
                let v = e.mult * z * ind;
                match e.coef {
                    Some(_) => {
                        row[ti] = v;
                        ti += 1;
                    }
                    None => {
                        let slot = varying_list
                            .iter()
                            .position(|&q| q as usize == e.param)
                            .unwrap_or(0);
                        row[n_terms_total + slot] += v;
                    }
                }
            }
            let o = match outcome_col {
                Some(c) => {
                    let value = data.cell(r, c).to_string();
                    let id = match obs_of.get(&value) {
                        Some(id) => *id,
                        None => {
                            let names: Vec<String> =
                                match spec.codes.iter().find(|(k, _)| k.v == value) {
                                    Some((_, ns)) => ns.iter().map(|n| n.v.clone()).collect(),
                                    None => vec![value.clone()],
                                };
                            let mut nodes = Vec::new();
                            let mut ok = true;
                            for n in &names {
                                match observed_nodes(tree, n) {
                                    Some(ns) => nodes.extend(ns),
                                    None => ok = false,
                                }
                            }
                            nodes.sort_unstable();
                            nodes.dedup();
                            let id = ok.then(|| {
                                obs.push(nodes);
                                obs_names.push(value.clone());
                                (obs.len() - 1) as u32
                            });
                            obs_of.insert(value.clone(), id);
                            id
                        }
                    };
                    match id {
                        Some(id) => id,
                        None => {
                            unknown_obs.push((data.lines[r], value));
                            continue;
                        }
                    }
                }
                None => 0,
            };
            let key: Vec<u64> = row.iter().map(|x| x.to_bits()).collect();
            let pi = *pattern_of.entry(key).or_insert_with(|| {
                patterns.extend_from_slice(&row);
                (patterns.len() / width - 1) as u32
            });
            row_pattern.push((pi, o));
            row_lines.push(data.lines[r]);
            row_index.push(r as u32);
            if let Some(c) = cluster_col {
                let v = data.cell(r, c).to_string();
                let n = cluster_of.len() as u32;
                cluster_ids.push(*cluster_of.entry(v).or_insert(n));
            }
        }
    }
    for (line, value) in &unknown_obs {
        let names = tree
            .node_names
            .iter()
            .chain(tree.events.iter().map(String::as_str))
            .filter(|s| !s.is_empty());
        b.err.data.push(DataProblem {
            line: Some(*line),
            column: outcome_col.map(|c| data.header[c].clone()),
            message: format!(
                "`{value}` is not an outcome, node or event of the model{}",
                did_you_mean(value, names)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_else(|| {
                        " (map data codes to names with `codes` in [fit])".into()
                    })
            ),
        });
    }
    if b.err.model.is_empty() && b.err.data.is_empty() && row_pattern.is_empty() && !opts.no_outcome
    {
        b.err.data.push(DataProblem {
            line: None,
            column: None,
            message: format!(
                "no rows left to fit: {} read, {} dropped for missing values",
                data.n_rows(),
                n_dropped
            ),
        });
    }
    if !b.err.model.is_empty() || !b.err.data.is_empty() {
        return Err(b.err);
    }
    let n_patterns = patterns.len() / width;
    // Cells.
    let mut cell_of: rustc_hash::FxHashMap<(u32, u32), u32> = Default::default();
    let mut cells: Vec<Cell> = Vec::new();
    let mut row_cell = Vec::with_capacity(row_pattern.len());
    for &(p, o) in &row_pattern {
        let id = *cell_of.entry((p, o)).or_insert_with(|| {
            cells.push(Cell {
                pattern: p,
                obs: o,
                count: 0.0,
            });
            (cells.len() - 1) as u32
        });
        cells[id as usize].count += 1.0;
        row_cell.push(id);
    }
    // Sort cells by pattern; remap row_cell.
    let mut order: Vec<u32> = (0..cells.len() as u32).collect();
    order.sort_by_key(|&i| (cells[i as usize].pattern, cells[i as usize].obs));
    let mut new_id = vec![0u32; cells.len()];
    for (new, &old) in order.iter().enumerate() {
        new_id[old as usize] = new as u32;
    }
    let cells: Vec<Cell> = order.iter().map(|&i| cells[i as usize]).collect();
    for c in row_cell.iter_mut() {
        *c = new_id[*c as usize];
    }
    let mut pattern_cells = vec![0u32; n_patterns + 1];
    for c in &cells {
        pattern_cells[c.pattern as usize + 1] += 1;
    }
    for i in 0..n_patterns {
        pattern_cells[i + 1] += pattern_cells[i];
    }
    let mut columns: Vec<ColumnInfo> = Vec::new();
    for &c in &used_cols {
        let factor = match (b.factor_cols.contains(&c), b.kind(c)) {
            (true, Column::Factor { levels, .. }) => {
                let base = baselines.get(&c).copied().unwrap_or(0) as usize;
                Some((
                    levels.clone(),
                    levels.get(base).cloned().unwrap_or_default(),
                ))
            }
            _ => None,
        };
        columns.push(ColumnInfo {
            name: data.header[c].clone(),
            factor,
            missing: missing_by_col.get(&c).copied().unwrap_or(0),
        });
    }
    let _ = b.t;
    Ok(Design {
        n_params,
        n_players: np,
        theta_base,
        varying,
        varying_list,
        ext_names,
        coefs,
        terms,
        width,
        patterns,
        obs,
        obs_names,
        cells,
        pattern_cells,
        row_cell,
        row_lines,
        row_index,
        clusters: cluster_name
            .filter(|_| cluster_col.is_some())
            .map(|n| (n, cluster_ids)),
        n_read: data.n_rows(),
        n_dropped,
        columns,
        outcome_column: outcome_col.map(|c| data.header[c].clone()),
    })
}

impl Design {
    /// Number of patterns.
    pub fn n_patterns(&self) -> usize {
        self.pattern_cells.len() - 1
    }

    /// Number of rows used.
    pub fn n_rows(&self) -> usize {
        self.row_cell.len()
    }

    /// The values of pattern `i`.
    #[inline]
    pub fn pattern(&self, i: usize) -> &[f64] {
        &self.patterns[i * self.width..(i + 1) * self.width]
    }

    /// Fills the extended parameter vector of pattern `i` at coefficients `beta`.
    #[inline]
    pub fn theta(&self, i: usize, beta: &[f64], theta: &mut [f64]) {
        let z = self.pattern(i);
        let nt = self.terms.len();
        for (k, &p) in self.varying_list.iter().enumerate() {
            theta[p as usize] = z[nt + k];
        }
        for (t, term) in self.terms.iter().enumerate() {
            theta[term.param as usize] += beta[term.coef as usize] * z[t];
        }
    }

    /// Adds `∂ℓ/∂β` to `grad` given `∂ℓ/∂θ` at pattern `i`.
    #[inline]
    pub fn backprop(&self, i: usize, theta_bar: &[f64], grad: &mut [f64]) {
        let z = self.pattern(i);
        for (t, term) in self.terms.iter().enumerate() {
            grad[term.coef as usize] += theta_bar[term.param as usize] * z[t];
        }
    }

    /// Each extended parameter averaged over the rows used, at coefficients `beta`.
    pub fn mean_theta(&self, beta: &[f64]) -> Vec<f64> {
        let mut acc = vec![0.0; self.theta_base.len()];
        let mut th = self.theta_base.clone();
        let mut n = 0.0;
        for i in 0..self.n_patterns() {
            th.copy_from_slice(&self.theta_base);
            if self.width > 0 {
                self.theta(i, beta, &mut th);
            }
            let w: f64 = self.cells
                [self.pattern_cells[i] as usize..self.pattern_cells[i + 1] as usize]
                .iter()
                .map(|c| c.count)
                .sum();
            for (a, t) in acc.iter_mut().zip(&th) {
                *a += w * t;
            }
            n += w;
        }
        // Parameters that do not vary keep their exact value (no rounding from averaging).
        acc.iter()
            .zip(&self.theta_base)
            .zip(&self.varying)
            .map(|((a, b), &v)| if v { a / n.max(1.0) } else { *b })
            .collect()
    }
}
