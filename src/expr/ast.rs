//! The parsed form of a formula: a small tree with byte spans, kept for diagnostics, reports
//! and symbolic questions (which parameters a formula reads, whether it is affine in one).
//!
//! Evaluation never walks this tree; [`super::compile()`] turns it into flat bytecode. The tree
//! walks here are recursive: [`super::parse()`] refuses formulas nested deeper than
//! [`super::MAX_DEPTH`], so every tree it returns is shallow. A tree built by hand should stay
//! within the same bound.

use std::fmt;
use std::ops::Range;

/// A formula node with the byte span of its text in the formula string.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// What the node is.
    pub kind: AstKind,
    /// Byte range of the node's text, relative to the start of the formula string.
    pub span: Range<usize>,
}

/// The kinds of formula node.
#[derive(Clone, Debug, PartialEq)]
pub enum AstKind {
    /// A numeric literal.
    Num(f64),
    /// A parameter, by name.
    Param(String),
    /// Unary minus.
    Neg(Box<Ast>),
    /// A binary arithmetic operation.
    Bin(BinOp, Box<Ast>, Box<Ast>),
    /// A comparison, 1.0 when true and 0.0 when false.
    Cmp(CmpOp, Box<Ast>, Box<Ast>),
    /// A call of a built-in function other than `if`.
    Call(Func, Vec<Ast>),
    /// `if(cond, then, else)`: `then` when `cond` is non-zero, otherwise `else`; only the
    /// taken branch is evaluated.
    If(Box<Ast>, Box<Ast>, Box<Ast>),
}

/// Binary arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (right-associative)
    Pow,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// Built-in functions (besides `if`, which is [`AstKind::If`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `min(a, b, ...)`, two or more arguments.
    Min,
    /// `max(a, b, ...)`, two or more arguments.
    Max,
    /// `abs(x)`
    Abs,
    /// `exp(x)`
    Exp,
    /// `ln(x)`, natural logarithm; an error for `x <= 0`.
    Ln,
    /// `sqrt(x)`; an error for `x < 0`.
    Sqrt,
}

impl BinOp {
    /// The operator as written in formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }

    fn prec(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => PREC_ADD,
            BinOp::Mul | BinOp::Div => PREC_MUL,
            BinOp::Pow => PREC_POW,
        }
    }
}

impl CmpOp {
    /// The operator as written in formulas.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    /// Applies the comparison: 1.0 when it holds, 0.0 otherwise (so any NaN operand gives 0.0,
    /// except for `!=`, which gives 1.0).
    pub fn apply(self, a: f64, b: f64) -> f64 {
        let holds = match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
        };
        if holds {
            1.0
        } else {
            0.0
        }
    }
}

impl Func {
    /// Every function, with the name used in formulas (`if` is listed separately by the parser).
    pub const ALL: [(Func, &'static str); 6] = [
        (Func::Min, "min"),
        (Func::Max, "max"),
        (Func::Abs, "abs"),
        (Func::Exp, "exp"),
        (Func::Ln, "ln"),
        (Func::Sqrt, "sqrt"),
    ];

    /// The function's name in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
        }
    }
}

const PREC_CMP: u8 = 1;
const PREC_ADD: u8 = 2;
const PREC_MUL: u8 = 3;
const PREC_NEG: u8 = 4;
const PREC_POW: u8 = 5;
const PREC_ATOM: u8 = 6;

/// How a subtree depends on one parameter, for [`Ast::is_affine_in`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dep {
    Free,
    Affine,
    Other,
}

impl Ast {
    /// A node of the given kind and span.
    pub fn new(kind: AstKind, span: Range<usize>) -> Ast {
        Ast { kind, span }
    }

    fn prec(&self) -> u8 {
        match &self.kind {
            AstKind::Num(v) if v.is_sign_negative() => PREC_NEG,
            AstKind::Num(_) | AstKind::Param(_) | AstKind::Call(..) | AstKind::If(..) => PREC_ATOM,
            AstKind::Neg(_) => PREC_NEG,
            AstKind::Bin(op, ..) => op.prec(),
            AstKind::Cmp(..) => PREC_CMP,
        }
    }

    /// The direct children, in source order.
    pub fn children(&self) -> Vec<&Ast> {
        match &self.kind {
            AstKind::Num(_) | AstKind::Param(_) => Vec::new(),
            AstKind::Neg(x) => vec![x],
            AstKind::Bin(_, a, b) | AstKind::Cmp(_, a, b) => vec![a, b],
            AstKind::Call(_, args) => args.iter().collect(),
            AstKind::If(c, a, b) => vec![c, a, b],
        }
    }

    /// The distinct parameter names the formula mentions, in order of first use.
    pub fn params(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_params(&mut out);
        out
    }

    fn collect_params<'a>(&'a self, out: &mut Vec<&'a str>) {
        if let AstKind::Param(name) = &self.kind {
            if !out.contains(&name.as_str()) {
                out.push(name);
            }
        }
        for child in self.children() {
            child.collect_params(out);
        }
    }

    /// Whether the formula mentions parameter `name`.
    pub fn mentions(&self, name: &str) -> bool {
        match &self.kind {
            AstKind::Param(n) => n == name,
            _ => self.children().iter().any(|c| c.mentions(name)),
        }
    }

    /// Whether the formula is affine in parameter `name` (`α + β·name` with α and β free of
    /// `name`), judged from its structure: `name` may appear in sums and differences, in
    /// products with factors that do not mention it, divided by expressions that do not
    /// mention it, and in either branch of an `if` whose condition does not mention it. Inside
    /// `^`, functions, comparisons or an `if` condition it makes the formula non-affine. A
    /// formula not mentioning `name` is affine (constant in it).
    pub fn is_affine_in(&self, name: &str) -> bool {
        self.dep(name) != Dep::Other
    }

    fn dep(&self, name: &str) -> Dep {
        let join = |a: Dep, b: Dep| match (a, b) {
            (Dep::Other, _) | (_, Dep::Other) => Dep::Other,
            (Dep::Affine, _) | (_, Dep::Affine) => Dep::Affine,
            _ => Dep::Free,
        };
        match &self.kind {
            AstKind::Num(_) => Dep::Free,
            AstKind::Param(n) if n == name => Dep::Affine,
            AstKind::Param(_) => Dep::Free,
            AstKind::Neg(x) => x.dep(name),
            AstKind::Bin(BinOp::Add | BinOp::Sub, a, b) => join(a.dep(name), b.dep(name)),
            AstKind::Bin(BinOp::Mul, a, b) => match (a.dep(name), b.dep(name)) {
                (Dep::Free, d) | (d, Dep::Free) => d,
                _ => Dep::Other,
            },
            AstKind::Bin(BinOp::Div, a, b) => match b.dep(name) {
                Dep::Free => a.dep(name),
                _ => Dep::Other,
            },
            AstKind::If(c, a, b) => match c.dep(name) {
                Dep::Free => join(a.dep(name), b.dep(name)),
                _ => Dep::Other,
            },
            AstKind::Bin(BinOp::Pow, ..) | AstKind::Cmp(..) | AstKind::Call(..) => {
                if self.mentions(name) {
                    Dep::Other
                } else {
                    Dep::Free
                }
            }
        }
    }

    /// A simplified copy for reports: constant subtrees are folded (when they evaluate to a
    /// finite number), and `x + 0`, `0 + x`, `x - 0`, `0 - x`, `x * 1`, `1 * x`, `x / 1`,
    /// `x ^ 1` and `--x` are reduced. `x * 0` is kept, since `x` might be infinite or fail.
    /// The value at any parameter point is unchanged.
    pub fn simplify(&self) -> Ast {
        let span = self.span.clone();
        let num = |v: f64| Ast::new(AstKind::Num(v), span.clone());
        match &self.kind {
            AstKind::Num(_) | AstKind::Param(_) => self.clone(),
            AstKind::Neg(x) => match x.simplify() {
                Ast {
                    kind: AstKind::Num(v),
                    ..
                } => num(-v),
                Ast {
                    kind: AstKind::Neg(inner),
                    ..
                } => *inner,
                x => Ast::new(AstKind::Neg(Box::new(x)), span),
            },
            AstKind::Bin(op, a, b) => simplify_bin(*op, a.simplify(), b.simplify(), span),
            AstKind::Cmp(op, a, b) => {
                let (a, b) = (a.simplify(), b.simplify());
                match (&a.kind, &b.kind) {
                    (AstKind::Num(x), AstKind::Num(y)) => num(op.apply(*x, *y)),
                    _ => Ast::new(AstKind::Cmp(*op, Box::new(a), Box::new(b)), span),
                }
            }
            AstKind::Call(f, args) => {
                let args: Vec<Ast> = args.iter().map(Ast::simplify).collect();
                let consts: Option<Vec<f64>> = args.iter().map(Ast::as_num).collect();
                match consts.and_then(|c| super::eval::apply_func(*f, &c).ok()) {
                    Some(v) if v.is_finite() => num(v),
                    _ => Ast::new(AstKind::Call(*f, args), span),
                }
            }
            AstKind::If(c, a, b) => {
                let c = c.simplify();
                match c.as_num() {
                    Some(v) if v != 0.0 => a.simplify(),
                    Some(_) => b.simplify(),
                    None => Ast::new(
                        AstKind::If(Box::new(c), Box::new(a.simplify()), Box::new(b.simplify())),
                        span,
                    ),
                }
            }
        }
    }

    fn as_num(&self) -> Option<f64> {
        match self.kind {
            AstKind::Num(v) => Some(v),
            _ => None,
        }
    }
}

fn simplify_bin(op: BinOp, a: Ast, b: Ast, span: Range<usize>) -> Ast {
    if let (Some(x), Some(y)) = (a.as_num(), b.as_num()) {
        if let Ok(v) = super::eval::apply_bin(op, x, y) {
            if v.is_finite() {
                return Ast::new(AstKind::Num(v), span);
            }
        }
    }
    let is = |n: &Ast, v: f64| n.as_num() == Some(v);
    match op {
        BinOp::Add if is(&b, 0.0) => a,
        BinOp::Add if is(&a, 0.0) => b,
        BinOp::Sub if is(&b, 0.0) => a,
        BinOp::Sub if is(&a, 0.0) => Ast::new(AstKind::Neg(Box::new(b)), span),
        BinOp::Mul if is(&b, 1.0) => a,
        BinOp::Mul if is(&a, 1.0) => b,
        BinOp::Div | BinOp::Pow if is(&b, 1.0) => a,
        _ => Ast::new(AstKind::Bin(op, Box::new(a), Box::new(b)), span),
    }
}

/// Writes `node`, in parentheses when its precedence is below `min_prec`.
fn write_operand(f: &mut fmt::Formatter<'_>, node: &Ast, min_prec: u8) -> fmt::Result {
    if node.prec() < min_prec {
        write!(f, "({node})")
    } else {
        write!(f, "{node}")
    }
}

/// Prints the formula with the fewest parentheses that parse back to the same tree: spaces
/// around `+`, `-` and comparisons, none around `*`, `/` and `^`; numbers in Rust's shortest
/// round-trip form (`1`, `0.5`).
impl fmt::Display for Ast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            AstKind::Num(v) => write!(f, "{v}"),
            AstKind::Param(name) => f.write_str(name),
            AstKind::Neg(x) => {
                f.write_str("-")?;
                write_operand(f, x, PREC_NEG)
            }
            AstKind::Bin(op, a, b) => {
                let p = op.prec();
                // Left-associative operators keep a right operand of equal precedence in
                // parentheses (`a - (b - c)`); `^` is right-associative and its right operand
                // may be a unary minus (`2^-1`).
                let (left_min, right_min) = match op {
                    BinOp::Pow => (p + 1, PREC_NEG),
                    _ => (p, p + 1),
                };
                write_operand(f, a, left_min)?;
                match op {
                    BinOp::Add | BinOp::Sub => write!(f, " {} ", op.symbol())?,
                    _ => f.write_str(op.symbol())?,
                }
                write_operand(f, b, right_min)
            }
            AstKind::Cmp(op, a, b) => {
                write_operand(f, a, PREC_CMP + 1)?;
                write!(f, " {} ", op.symbol())?;
                write_operand(f, b, PREC_CMP + 1)
            }
            AstKind::Call(func, args) => {
                write!(f, "{}(", func.name())?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            AstKind::If(c, a, b) => write!(f, "if({c}, {a}, {b})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn show(src: &str) -> String {
        parse(src).expect("test formulas parse").to_string()
    }

    #[test]
    fn display_uses_minimal_parentheses() {
        // Each pair: input, expected printing (parentheses kept only where the tree needs them).
        let cases = [
            ("a - lambda*T + L", "a - lambda*T + L"),
            ("((a)) + (b*c)", "a + b*c"),
            ("a - (b - c)", "a - (b - c)"),
            ("a - (b + c)", "a - (b + c)"),
            ("(a - b) - c", "a - b - c"),
            ("(a + b)*c", "(a + b)*c"),
            ("a/(b*c)", "a/(b*c)"),
            ("(2^3)^2", "(2^3)^2"),
            ("2^(3^2)", "2^3^2"),
            ("(-2)^2", "(-2)^2"),
            ("-(2^2)", "-2^2"),
            ("2^(-1)", "2^-1"),
            ("-(a + b)", "-(a + b)"),
            ("(a < b) == (c >= 1)", "(a < b) == (c >= 1)"),
            (
                "if(T>0.2,a-lambda*T+L,a)",
                "if(T > 0.2, a - lambda*T + L, a)",
            ),
            ("max( 0 ,psi0+beta*T )", "max(0, psi0 + beta*T)"),
            ("1.0 + 0.50 + 1e-3 + .5", "1 + 0.5 + 0.001 + 0.5"),
        ];
        for (src, want) in cases {
            assert_eq!(show(src), want, "display of {src:?}");
        }
    }

    #[test]
    fn negative_literal_prints_as_unary_minus() {
        // A folded negative constant has unary-minus precedence: `(-2)^2`, not `-2^2`.
        let two = Ast::new(AstKind::Num(2.0), 0..0);
        let m2 = Ast::new(AstKind::Num(-2.0), 0..0);
        let pow = Ast::new(AstKind::Bin(BinOp::Pow, Box::new(m2), Box::new(two)), 0..0);
        assert_eq!(pow.to_string(), "(-2)^2");
    }

    #[test]
    fn params_are_distinct_in_first_use_order() {
        let ast = parse("if(T > 0.2, a - lambda*T + L, a)").unwrap();
        assert_eq!(ast.params(), vec!["T", "a", "lambda", "L"]);
    }

    #[test]
    fn affinity_follows_the_structure() {
        let cases = [
            ("a - lambda*T + L", "T", true),
            ("a - lambda*T + L", "lambda", true),
            ("(a + T)/(2*b)", "T", true),
            ("3*(T - 1)*b", "T", true),
            ("a/T", "T", false),
            ("T*T", "T", false),
            ("T^2", "T", false),
            ("max(0, T)", "T", false),
            ("if(T > 0.2, a, b)", "T", false),
            ("if(a > 0.2, T, 2*T + 1)", "T", true),
            ("T > 1", "T", false),
            ("exp(a)", "T", true),
            ("-T", "T", true),
        ];
        for (src, name, want) in cases {
            let ast = parse(src).unwrap();
            assert_eq!(ast.is_affine_in(name), want, "{src} affine in {name}");
        }
    }

    #[test]
    fn simplify_folds_constants_and_identities() {
        let cases = [
            ("2*3 + a", "6 + a"),
            ("a*1 + 0", "a"),
            ("0 - a", "-a"),
            ("--a", "a"),
            ("-(2)", "-2"),
            ("a*0", "a*0"),
            ("if(1 > 2, a, b/1)", "b"),
            ("max(1, 2) + sqrt(4)*x", "2 + 2*x"),
            ("1/0 + a", "1/0 + a"),
            ("ln(0)", "ln(0)"),
        ];
        for (src, want) in cases {
            assert_eq!(
                parse(src).unwrap().simplify().to_string(),
                want,
                "simplify {src}"
            );
        }
    }
}
