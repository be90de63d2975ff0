//! Indented JSON as `serde_json::to_writer_pretty` writes it (two spaces a level), with each
//! line break and its indentation written in one piece.
//!
//! A solution of a big tree is millions of short lines; the stock formatter writes a line's
//! indentation two bytes at a time, so small writes into the buffer were the largest cost of
//! writing it. The bytes are the same (tested against `serde_json`).

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// `,` then a line break then the deepest indentation written in one piece.
const BREAK: &[u8] = {
    const N: usize = 2 + 2 * 64;
    const B: [u8; N] = {
        let mut b = [b' '; N];
        b[0] = b',';
        b[1] = b'\n';
        b
    };
    &B
};

/// The formatter: serde_json's pretty layout with an indent of two spaces.
#[derive(Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma unless `first`) and the current indentation.
    fn newline<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        let start = usize::from(!comma);
        let width = 2 * self.depth;
        if 2 + width <= BREAK.len() {
            return w.write_all(&BREAK[start..2 + width]);
        }
        w.write_all(&BREAK[start..2])?;
        let mut left = width;
        while left > 0 {
            let k = left.min(BREAK.len() - 2);
            w.write_all(&BREAK[2..2 + k])?;
            left -= k;
        }
        Ok(())
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as `serde_json::to_writer_pretty` would.
pub fn to_writer<W: Write, T: ?Sized + Serialize>(w: W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Pretty::default());
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn nested(depth: usize, x: &mut u64) -> Value {
        *x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (*x >> 60) as usize;
        if depth == 0 {
            return match k % 5 {
                0 => json!(null),
                1 => json!(k as f64 / 3.0),
                2 => json!("a\"b\\\n"),
                3 => json!([]),
                _ => json!({}),
            };
        }
        if k.is_multiple_of(2) {
            Value::Array((0..k % 4).map(|_| nested(depth - 1, x)).collect())
        } else {
            let mut m = serde_json::Map::new();
            for i in 0..k % 4 {
                m.insert(format!("k{i}"), nested(depth - 1, x));
            }
            Value::Object(m)
        }
    }

    #[test]
    fn writes_the_bytes_of_serde_jsons_pretty_printer() {
        let mut x = 7;
        for depth in [0, 1, 3, 6] {
            for _ in 0..40 {
                let v = nested(depth, &mut x);
                let mut got = Vec::new();
                to_writer(&mut got, &v).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    serde_json::to_string_pretty(&v).unwrap()
                );
            }
        }
        // A chain deeper than the one-piece indentation.
        let mut v = json!(1);
        for _ in 0..90 {
            v = json!([v, {"a": [1, 2]}]);
        }
        let mut got = Vec::new();
        to_writer(&mut got, &v).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }
}
