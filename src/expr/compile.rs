//! [`Ast`] to [`Expr`]: flat stack-machine bytecode with parameter names resolved to
//! [`ParamId`]s, constant subtrees folded, and the stack depth it needs recorded, so that
//! evaluating it is a tight loop over a `&[f64]` with no look-up and no allocation.
//!
//! Code is emitted in post-order (operands first). `if(c, a, b)` becomes
//! `c; JumpIfZero(else); a; Jump(end); else: b; end:`, so only the taken branch runs. A side
//! table gives each instruction the byte span of the sub-formula it computes, for errors.

use std::ops::Range;

use super::ast::{Ast, AstKind, BinOp, CmpOp, Func};
use super::eval::{apply_bin, apply_func};

/// A parameter, as an index into the `params` slice given to [`Expr::eval`]. The caller's
/// `resolve` function in [`compile`] decides the numbering (typically the parameter's position
/// in the model file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId(pub u32);

/// A name in a formula that the `resolve` function of [`compile`] did not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// The unknown name.
    pub name: String,
    /// Byte span of its first occurrence in the formula.
    pub span: Range<usize>,
}

/// One stack-machine instruction. Binary operations pop `b` then `a` and push `a op b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Const(f64),
    Param(u32),
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Neg,
    Cmp(CmpOp),
    /// Pops `n` values, pushes their minimum.
    Min(u32),
    /// Pops `n` values, pushes their maximum.
    Max(u32),
    Abs,
    Exp,
    Ln,
    Sqrt,
    /// Pops a value; jumps to the instruction index when it is 0.
    JumpIfZero(u32),
    /// Jumps to the instruction index.
    Jump(u32),
    // Fused forms of `leaf; op` where the leaf is the whole right operand: the top of the
    // stack becomes `top op leaf`. They halve the dispatches of typical payoff formulas.
    AddP(u32),
    SubP(u32),
    MulP(u32),
    DivP(u32),
    AddC(f64),
    SubC(f64),
    MulC(f64),
    DivC(f64),
    PowC(f64),
    CmpC(CmpOp, f64),
}

/// A compiled formula, ready for fast repeated evaluation with [`Expr::eval`].
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub(crate) ops: Vec<Op>,
    /// `spans[i]`: byte span of the sub-formula instruction `i` computes.
    pub(crate) spans: Vec<Range<usize>>,
    pub(crate) max_stack: usize,
    params: Vec<ParamId>,
    /// Span of the first read of each entry of `params`.
    param_spans: Vec<Range<usize>>,
    /// One more than the largest parameter id read (0 if none): `eval` checks the length of
    /// its `params` slice against this once, up front.
    pub(crate) n_params: usize,
    span: Range<usize>,
}

impl Expr {
    /// A formula that is the constant `value` (with an empty span).
    pub fn constant(value: f64) -> Expr {
        Expr {
            ops: vec![Op::Const(value)],
            spans: vec![Range::default()],
            max_stack: 1,
            params: Vec::new(),
            param_spans: Vec::new(),
            n_params: 0,
            span: 0..0,
        }
    }

    /// The value, if the formula (after constant folding) does not depend on any parameter.
    pub fn is_constant(&self) -> Option<f64> {
        match self.ops.as_slice() {
            [Op::Const(v)] => Some(*v),
            _ => None,
        }
    }

    /// The distinct parameters the compiled code reads, in order of first use. Parameters
    /// mentioned only in an `if` branch that constant folding removed are not listed.
    pub fn params(&self) -> &[ParamId] {
        &self.params
    }

    /// Span of the first place the compiled code reads parameter `p`, if it reads it.
    pub fn param_span(&self, p: ParamId) -> Option<Range<usize>> {
        let i = self.params.iter().position(|&q| q == p)?;
        self.param_spans.get(i).cloned()
    }

    /// Byte span of the whole formula.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Number of bytecode instructions (a measure of evaluation cost).
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there are no instructions (never true for a compiled formula).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The stack depth evaluation needs.
    pub fn max_stack(&self) -> usize {
        self.max_stack
    }
}

/// Compiles a parsed formula. `resolve` maps each parameter name to its id (it is called once
/// per distinct name); every name it does not know is reported, once each at its first
/// occurrence, in order of first use.
pub fn compile(
    ast: &Ast,
    resolve: &mut dyn FnMut(&str) -> Option<ParamId>,
) -> Result<Expr, Vec<UnknownName>> {
    if let AstKind::Num(v) = ast.kind {
        // A lone number (most payoffs of a big model): the code the compiler would emit,
        // without its bookkeeping.
        return Ok(Expr {
            ops: vec![Op::Const(v)],
            spans: vec![ast.span.clone()],
            max_stack: 1,
            params: Vec::new(),
            param_spans: Vec::new(),
            n_params: 0,
            span: ast.span.clone(),
        });
    }
    let names = ast.params();
    let mut ids = Vec::with_capacity(names.len());
    let mut unknown = Vec::new();
    for name in names {
        match resolve(name) {
            Some(id) => ids.push((name, id)),
            None => unknown.push(UnknownName {
                name: name.to_string(),
                span: first_use(ast, name),
            }),
        }
    }
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let mut c = Compiler {
        ids,
        ops: Vec::new(),
        spans: Vec::new(),
        used: Vec::new(),
    };
    let (_, max_stack) = c.node(ast);
    let n_params = c
        .used
        .iter()
        .map(|(p, _)| p.0 as usize + 1)
        .max()
        .unwrap_or(0);
    let (params, param_spans) = c.used.into_iter().unzip();
    Ok(Expr {
        ops: c.ops,
        spans: c.spans,
        max_stack,
        params,
        param_spans,
        n_params,
        span: ast.span.clone(),
    })
}

/// Span of the first occurrence of parameter `name` (pre-order is source order).
fn first_use(ast: &Ast, name: &str) -> Range<usize> {
    if let AstKind::Param(n) = &ast.kind {
        if n == name {
            return ast.span.clone();
        }
    }
    ast.children()
        .into_iter()
        .find(|c| c.mentions(name))
        .map_or(ast.span.clone(), |c| first_use(c, name))
}

struct Compiler<'a> {
    ids: Vec<(&'a str, ParamId)>,
    ops: Vec<Op>,
    spans: Vec<Range<usize>>,
    /// Parameters read, with the span of their first read. Code reading a parameter is never
    /// folded away, so this matches the final code.
    used: Vec<(ParamId, Range<usize>)>,
}

impl Compiler<'_> {
    fn emit(&mut self, op: Op, span: &Range<usize>) {
        self.ops.push(op);
        self.spans.push(span.clone());
    }

    /// Emits binary `op` whose right operand's code starts at `b_start`, fused with that
    /// operand when it is a single parameter or constant.
    fn emit_bin(&mut self, op: BinOp, b_start: usize, span: &Range<usize>) {
        let leaf = match self.ops.get(b_start..) {
            Some([leaf]) => Some(*leaf),
            _ => None,
        };
        let fused = match (op, leaf) {
            (BinOp::Add, Some(Op::Param(i))) => Op::AddP(i),
            (BinOp::Sub, Some(Op::Param(i))) => Op::SubP(i),
            (BinOp::Mul, Some(Op::Param(i))) => Op::MulP(i),
            (BinOp::Div, Some(Op::Param(i))) => Op::DivP(i),
            (BinOp::Add, Some(Op::Const(c))) => Op::AddC(c),
            (BinOp::Sub, Some(Op::Const(c))) => Op::SubC(c),
            (BinOp::Mul, Some(Op::Const(c))) => Op::MulC(c),
            (BinOp::Div, Some(Op::Const(c))) => Op::DivC(c),
            (BinOp::Pow, Some(Op::Const(c))) => Op::PowC(c),
            _ => return self.emit(bin_op(op), span),
        };
        self.ops.truncate(b_start);
        self.spans.truncate(b_start);
        self.emit(fused, span);
    }

    /// Replaces the code emitted since `start` by the constant `v`.
    fn fold(&mut self, start: usize, v: f64, span: &Range<usize>) {
        self.ops.truncate(start);
        self.spans.truncate(start);
        self.emit(Op::Const(v), span);
    }

    /// Emits code for `ast`; returns its value when it is a (folded) constant and the stack
    /// depth its code needs.
    fn node(&mut self, ast: &Ast) -> (Option<f64>, usize) {
        let start = self.ops.len();
        let span = &ast.span;
        match &ast.kind {
            AstKind::Num(v) => {
                self.emit(Op::Const(*v), span);
                (Some(*v), 1)
            }
            AstKind::Param(name) => {
                // Every name was resolved before code generation; a miss cannot happen, and
                // would read parameter u32::MAX, which evaluation reports as out of range.
                let id = self
                    .ids
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(u32::MAX, |(_, id)| id.0);
                if !self.used.iter().any(|(p, _)| p.0 == id) {
                    self.used.push((ParamId(id), span.clone()));
                }
                self.emit(Op::Param(id), span);
                (None, 1)
            }
            AstKind::Neg(x) => {
                let (cx, d) = self.node(x);
                self.emit(Op::Neg, span);
                self.folded(start, cx.map(Ok::<f64, ()>).map(|v| v.map(|x| -x)), span, d)
            }
            AstKind::Bin(op, a, b) => {
                let (ca, da) = self.node(a);
                let b_start = self.ops.len();
                let (cb, db) = self.node(b);
                self.emit_bin(*op, b_start, span);
                let value = ca.zip(cb).map(|(x, y)| apply_bin(*op, x, y));
                self.folded(start, value, span, da.max(1 + db))
            }
            AstKind::Cmp(op, a, b) => {
                let (ca, da) = self.node(a);
                let b_start = self.ops.len();
                let (cb, db) = self.node(b);
                if let Some(&[Op::Const(c)]) = self.ops.get(b_start..) {
                    self.ops.truncate(b_start);
                    self.spans.truncate(b_start);
                    self.emit(Op::CmpC(*op, c), span);
                } else {
                    self.emit(Op::Cmp(*op), span);
                }
                let value = ca.zip(cb).map(|(x, y)| Ok::<f64, ()>(op.apply(x, y)));
                self.folded(start, value, span, da.max(1 + db))
            }
            AstKind::Call(f, args) => self.call(*f, args, span),
            AstKind::If(c, a, b) => self.if_else(c, a, b, span),
        }
    }

    /// Folds the code since `start` into a constant when `value` is a finite success; an
    /// error (or a non-finite value) is left in the code, to be reported, with its span, by
    /// evaluation.
    fn folded<E>(
        &mut self,
        start: usize,
        value: Option<Result<f64, E>>,
        span: &Range<usize>,
        depth: usize,
    ) -> (Option<f64>, usize) {
        match value {
            Some(Ok(v)) if v.is_finite() => {
                self.fold(start, v, span);
                (Some(v), 1)
            }
            _ => (None, depth),
        }
    }

    fn call(&mut self, f: Func, args: &[Ast], span: &Range<usize>) -> (Option<f64>, usize) {
        let start = self.ops.len();
        let mut consts = Vec::new();
        let mut all_const = true;
        let mut depth = 0;
        for (i, arg) in args.iter().enumerate() {
            let (c, d) = self.node(arg);
            depth = depth.max(i + d);
            match c {
                Some(v) => consts.push(v),
                None => all_const = false,
            }
        }
        let n = u32::try_from(args.len()).unwrap_or(u32::MAX);
        let op = match f {
            Func::Min => Op::Min(n),
            Func::Max => Op::Max(n),
            Func::Abs => Op::Abs,
            Func::Exp => Op::Exp,
            Func::Ln => Op::Ln,
            Func::Sqrt => Op::Sqrt,
        };
        self.emit(op, span);
        let value = all_const.then(|| apply_func(f, &consts));
        self.folded(start, value, span, depth)
    }

    fn if_else(&mut self, c: &Ast, a: &Ast, b: &Ast, span: &Range<usize>) -> (Option<f64>, usize) {
        let start = self.ops.len();
        let (cc, dc) = self.node(c);
        if let Some(cv) = cc {
            // Constant condition: only the taken branch is kept.
            self.ops.truncate(start);
            self.spans.truncate(start);
            return self.node(if cv != 0.0 { a } else { b });
        }
        let jz = self.ops.len();
        self.emit(Op::JumpIfZero(0), span);
        let (_, da) = self.node(a);
        let jmp = self.ops.len();
        self.emit(Op::Jump(0), span);
        let else_at = self.ops.len();
        let (_, db) = self.node(b);
        let end = self.ops.len();
        // Instruction counts fit in u32: formulas are bounded in size by their source text.
        self.ops[jz] = Op::JumpIfZero(u32::try_from(else_at).unwrap_or(u32::MAX));
        self.ops[jmp] = Op::Jump(u32::try_from(end).unwrap_or(u32::MAX));
        (None, dc.max(da).max(db))
    }
}

fn bin_op(op: BinOp) -> Op {
    match op {
        BinOp::Add => Op::Add,
        BinOp::Sub => Op::Sub,
        BinOp::Mul => Op::Mul,
        BinOp::Div => Op::Div,
        BinOp::Pow => Op::Pow,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    /// Resolves single-letter names `a`..`z` to ids 0..25.
    fn letters(name: &str) -> Option<ParamId> {
        match name.as_bytes() {
            [c @ b'a'..=b'z'] => Some(ParamId(u32::from(c - b'a'))),
            _ => None,
        }
    }

    fn build(src: &str) -> Expr {
        compile(&parse(src).unwrap(), &mut letters).unwrap()
    }

    #[test]
    fn unknown_names_are_all_collected_once_each() {
        let src = "alpha + b*beta - alpha + gamma";
        let err = compile(&parse(src).unwrap(), &mut letters).unwrap_err();
        let got: Vec<(&str, Range<usize>)> = err
            .iter()
            .map(|u| (u.name.as_str(), u.span.clone()))
            .collect();
        assert_eq!(
            got,
            vec![("alpha", 0..5), ("beta", 10..14), ("gamma", 25..30)]
        );
    }

    #[test]
    fn resolve_is_called_once_per_distinct_name() {
        let mut calls = Vec::new();
        let mut resolve = |n: &str| {
            calls.push(n.to_string());
            letters(n)
        };
        let e = compile(&parse("b + a*b - a").unwrap(), &mut resolve).unwrap();
        assert_eq!(calls, vec!["b", "a"]);
        assert_eq!(e.params(), &[ParamId(1), ParamId(0)]);
    }

    #[test]
    fn constant_subtrees_fold() {
        assert_eq!(build("2*3 + 1").is_constant(), Some(7.0));
        assert_eq!(build("max(1, 2, sqrt(9))").is_constant(), Some(3.0));
        assert_eq!(build("if(1 > 2, a, 5)").is_constant(), Some(5.0));
        assert_eq!(build("a").is_constant(), None);
        // `(2*3)*a`: Const(6), MulP(a).
        assert_eq!(build("2*3*a").len(), 2);
        // Errors are not folded away: they surface at evaluation with their span.
        assert_eq!(build("1/0").is_constant(), None);
        assert_eq!(build("ln(0)").is_constant(), None);
    }

    #[test]
    fn leaf_right_operands_are_fused() {
        assert_eq!(build("a - b").ops, vec![Op::Param(0), Op::SubP(1)]);
        assert_eq!(build("a^2").ops, vec![Op::Param(0), Op::PowC(2.0)]);
        // The right operand here is an `if`, not its last leaf: no fusion.
        let e = build("a + if(b, c, d)");
        assert_eq!(e.ops.last(), Some(&Op::Add));
    }

    #[test]
    fn param_spans_point_at_first_reads() {
        let e = build("b*2 + a - b");
        assert_eq!(e.params(), &[ParamId(1), ParamId(0)]);
        assert_eq!(e.param_span(ParamId(1)), Some(0..1));
        assert_eq!(e.param_span(ParamId(0)), Some(6..7));
        assert_eq!(e.param_span(ParamId(2)), None);
    }

    #[test]
    fn dead_branch_parameters_are_not_read() {
        let e = build("if(0, a, b)");
        assert_eq!(e.params(), &[ParamId(1)]);
    }

    #[test]
    fn stack_depth_is_recorded() {
        // `a + b` needs 2 slots; `a + (b + (c + d))` needs 4; `max(a, b, c)` needs 3.
        assert_eq!(build("a + b").max_stack(), 2);
        assert_eq!(build("a + (b + (c + d))").max_stack(), 4);
        assert_eq!(build("((a + b) + c) + d").max_stack(), 2);
        assert_eq!(build("max(a, b, c)").max_stack(), 3);
        assert_eq!(build("if(a, b + c, d)").max_stack(), 2);
        assert_eq!(Expr::constant(1.5).max_stack(), 1);
    }
}
