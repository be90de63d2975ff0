//! The data: a CSV file of observed cases, one row each.
//!
//! Read with the `csv` crate. The first record is the header. Rows whose number of fields
//! differs from the header's are reported with their line numbers and never used. Cells are
//! classified only when a column is used: a column whose non-missing cells all read as numbers
//! is numeric; any other column is a factor (its distinct strings are its levels). Missing
//! cells are empty or `NA`, `NaN` or `.` (as R, pandas and Stata write them); a row with a
//! missing cell in a used column is dropped and counted (see [`crate::fit::design`]).

use std::fmt;
use std::path::Path;

/// A problem with one row or column of the data, located by line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataProblem {
    /// 1-based line in the file (the header is line 1), if the problem is on one line.
    pub line: Option<u64>,
    /// The column, if the problem is in one.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl DataProblem {
    /// Renders as `file:line: column `c`: message`.
    pub fn render(&self, file: &str) -> String {
        let mut s = file.to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        if let Some(c) = &self.column {
            s.push_str(&format!("column `{c}`: "));
        }
        s.push_str(&self.message);
        s
    }
}

/// Data that could not be used at all.
#[derive(Debug)]
pub struct DataError {
    /// The file's name, as given.
    pub file: String,
    /// Every problem found (rows and columns, by line).
    pub problems: Vec<DataProblem>,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 20;
        let n = self.problems.len();
        write!(
            f,
            "`{}` has {n} problem{}",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.problems.iter().take(SHOWN) {
            write!(f, "\n  {}", p.render(&self.file))?;
        }
        if n > SHOWN {
            write!(f, "\n  … and {} more", n - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for DataError {}

/// The rows of a CSV file.
#[derive(Clone, Debug)]
pub struct Data {
    /// The file's name, for messages.
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Well-formed rows (as many fields as the header).
    pub rows: Vec<csv::StringRecord>,
    /// The 1-based line of each row.
    pub lines: Vec<u64>,
    /// Rows that could not be read (wrong number of fields, invalid text).
    pub bad_rows: Vec<DataProblem>,
}

/// A used column's cells, classified.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Every non-missing cell is a number; missing cells are NaN.
    Numeric(Vec<f64>),
    /// Strings: levels in sorted order (numerically when all are numbers) and each row's level
    /// (`None` when missing).
    Factor {
        /// Distinct values.
        levels: Vec<String>,
        /// Each row's level index.
        codes: Vec<Option<u32>>,
    },
}

/// True for the spellings of a missing value.
pub fn is_missing(s: &str) -> bool {
    matches!(s, "" | "NA" | "NaN" | "nan" | "." | "N/A")
}

impl Data {
    /// Reads a CSV file.
    pub fn read_file(path: &Path) -> Result<Data, DataError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| DataError {
            file: name.clone(),
            problems: vec![DataProblem {
                line: None,
                column: None,
                message: format!("cannot read it: {e}"),
            }],
        })?;
        Data::read(name, &bytes)
    }

    /// Reads CSV text.
    pub fn read(name: impl Into<String>, bytes: &[u8]) -> Result<Data, DataError> {
        let name = name.into();
        let fail = |problems| DataError {
            file: name.clone(),
            problems,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .has_headers(false)
            .from_reader(bytes);
        let mut records = rdr.records();
        let header: Vec<String> = match records.next() {
            Some(Ok(h)) => h.iter().map(str::to_string).collect(),
            Some(Err(e)) => {
                return Err(fail(vec![DataProblem {
                    line: Some(1),
                    column: None,
                    message: format!("cannot read the header: {e}"),
                }]))
            }
            None => {
                return Err(fail(vec![DataProblem {
                    line: None,
                    column: None,
                    message: "the file is empty: it needs a header line of column names".into(),
                }]))
            }
        };
        let mut problems = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                problems.push(DataProblem {
                    line: Some(1),
                    column: None,
                    message: format!("column {} has no name", i + 1),
                });
            } else if header[..i].contains(h) {
                problems.push(DataProblem {
                    line: Some(1),
                    column: Some(h.clone()),
                    message: "the name is used by two columns".into(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        let mut rows = Vec::new();
        let mut lines = Vec::new();
        let mut bad_rows = Vec::new();
        // Lines are counted from each record's byte offset: the csv crate's own line count
        // skips blank lines, which would misnumber every row after one. The offset it gives is
        // where reading resumed, before any blank lines it then skipped; a record never starts
        // with a line break, so those are stepped over.
        let mut counted = (0usize, 1u64);
        let mut line_at = |pos: Option<&csv::Position>| {
            let mut byte = pos
                .map_or(counted.0, |p| p.byte() as usize)
                .min(bytes.len());
            while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
                byte += 1;
            }
            if byte >= counted.0 {
                let nl = bytes[counted.0..byte]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                counted = (byte, counted.1 + nl as u64);
            }
            counted.1
        };
        for rec in records {
            match rec {
                Ok(r) => {
                    let line = line_at(r.position());
                    if r.len() == 1 && r.get(0) == Some("") {
                        continue; // a blank line
                    }
                    if r.len() != header.len() {
                        bad_rows.push(DataProblem {
                            line: Some(line),
                            column: None,
                            message: format!(
                                "{} field{}, but the header has {}",
                                r.len(),
                                if r.len() == 1 { "" } else { "s" },
                                header.len()
                            ),
                        });
                        continue;
                    }
                    rows.push(r);
                    lines.push(line);
                }
                Err(e) => {
                    let line = e.position().map(|p| line_at(Some(p)));
                    bad_rows.push(DataProblem {
                        line,
                        column: None,
                        message: format!("cannot read the row: {e}"),
                    });
                }
            }
        }
        Ok(Data {
            name,
            header,
            rows,
            lines,
            bad_rows,
        })
    }

    /// Number of well-formed rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The index of a column.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The cell of a row and column.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).unwrap_or("")
    }

    /// Classifies a column: numeric unless some non-missing cell is not a number, or
    /// `as_factor` is set.
    pub fn column(&self, col: usize, as_factor: bool) -> Column {
        if !as_factor {
            let mut v = Vec::with_capacity(self.rows.len());
            let mut numeric = true;
            for r in 0..self.rows.len() {
                let s = self.cell(r, col);
                if is_missing(s) {
                    v.push(f64::NAN);
                } else {
                    match s.parse::<f64>() {
                        Ok(x) if x.is_finite() => v.push(x),
                        _ => {
                            numeric = false;
                            break;
                        }
                    }
                }
            }
            if numeric {
                return Column::Numeric(v);
            }
        }
        let mut levels: Vec<String> = Vec::new();
        for r in 0..self.rows.len() {
            let s = self.cell(r, col);
            if !is_missing(s) && !levels.iter().any(|l| l == s) {
                levels.push(s.to_string());
            }
        }
        let all_numbers: Option<Vec<f64>> = levels.iter().map(|l| l.parse::<f64>().ok()).collect();
        match all_numbers {
            Some(_) => levels.sort_by(|a, b| {
                let (x, y) = (
                    a.parse::<f64>().unwrap_or(0.0),
                    b.parse::<f64>().unwrap_or(0.0),
                );
                x.total_cmp(&y)
            }),
            None => levels.sort(),
        }
        let codes = (0..self.rows.len())
            .map(|r| {
                let s = self.cell(r, col);
                if is_missing(s) {
                    None
                } else {
                    levels.iter().position(|l| l == s).map(|i| i as u32)
                }
            })
            .collect();
        Column::Factor { levels, codes }
    }

    /// The lines of a column's non-missing cells that are not numbers (for a column that is
    /// mostly numeric but has a few stray strings).
    pub fn non_numeric_lines(&self, col: usize) -> Vec<(u64, String)> {
        (0..self.rows.len())
            .filter_map(|r| {
                let s = self.cell(r, col);
                let bad = !is_missing(s) && !s.parse::<f64>().is_ok_and(f64::is_finite);
                bad.then(|| (self.lines[r], s.to_string()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_bad_ones_by_line() {
        let text = "a,b,c\n1,2,x\n3,4\n\n5,NA,y\n";
        let d = Data::read("t.csv", text.as_bytes()).unwrap();
        assert_eq!(d.n_rows(), 2);
        assert_eq!(d.lines, vec![2, 5]);
        assert_eq!(d.bad_rows.len(), 1);
        assert_eq!(d.bad_rows[0].line, Some(3));
        assert_eq!(
            d.bad_rows[0].render("t.csv"),
            "t.csv:3: 2 fields, but the header has 3"
        );
        match d.column(1, false) {
            Column::Numeric(v) => {
                assert_eq!(v[0], 2.0);
                assert!(v[1].is_nan());
            }
            c => panic!("{c:?}"),
        }
        match d.column(2, false) {
            Column::Factor { levels, codes } => {
                assert_eq!(levels, vec!["x", "y"]);
                assert_eq!(codes, vec![Some(0), Some(1)]);
            }
            c => panic!("{c:?}"),
        }
    }

    #[test]
    fn header_problems() {
        let e = Data::read("t.csv", b"a,a,\n1,2,3\n").unwrap_err();
        assert_eq!(e.problems.len(), 2);
        assert!(e
            .to_string()
            .contains("t.csv:1: column `a`: the name is used by two columns"));
        assert!(Data::read("t.csv", b"").is_err());
    }

    #[test]
    fn numeric_factor_levels_sort_numerically() {
        let d = Data::read("t.csv", b"y\n10\n9\n10\n").unwrap();
        match d.column(0, true) {
            Column::Factor { levels, .. } => assert_eq!(levels, vec!["9", "10"]),
            c => panic!("{c:?}"),
        }
    }
}
