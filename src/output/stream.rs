//! JSON documents whose big arrays are produced element by element as they are written.
//!
//! A solution of a tree with 10^6 nodes has arrays of 10^5–10^6 entries (`strategies`,
//! `profile`, `strategies_exact`). Building them as a `serde_json::Value` tree first took
//! several times the memory of the game itself. A [`Field`] is either a small ready value, an
//! object of fields, or a sequence computed on demand: serializing it writes each element and
//! drops it before making the next, so the writer's buffer is all the document that is ever
//! held. The bytes are those of the equivalent `Value` (objects keep their fields' order).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The elements of a [`Field::Seq`], made afresh each time the field is serialized.
pub type Elements<'a> = Box<dyn Fn() -> Box<dyn Iterator<Item = Field<'a>> + 'a> + 'a>;

/// A JSON value that may be produced lazily.
pub enum Field<'a> {
    /// A value already built (small).
    Value(Value),
    /// An object: keys and fields in order.
    Map(Vec<(String, Field<'a>)>),
    /// An array whose elements are computed while it is written.
    Seq(Elements<'a>),
    /// A big per-node array written from the game and the profile without a [`Value`] per
    /// element.
    Nodes(super::json_nodes::NodeArray<'a>),
}

impl<'a> Field<'a> {
    /// An array of the elements `make` yields (called once per serialization).
    pub fn seq<I, F>(make: F) -> Field<'a>
    where
        F: Fn() -> I + 'a,
        I: Iterator<Item = Field<'a>> + 'a,
    {
        Field::Seq(Box::new(move || Box::new(make())))
    }

    /// An object of these fields.
    pub fn map(fields: Vec<(String, Field<'a>)>) -> Field<'a> {
        Field::Map(fields)
    }

    /// The whole document as a [`Value`] (for callers that edit it; memory as before).
    pub fn to_value(&self) -> Value {
        // Serializing into a `Value` fails only for map keys that are not strings; ours are.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl From<Value> for Field<'_> {
    fn from(v: Value) -> Self {
        Field::Value(v)
    }
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(v) => v.serialize(s),
            Field::Map(fields) => {
                let mut m = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Field::Nodes(x) => x.serialize(s),
            Field::Seq(make) => {
                let mut q = s.serialize_seq(None)?;
                for x in make() {
                    q.serialize_element(&x)?;
                }
                q.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_the_bytes_of_the_equivalent_value() {
        let n = 3;
        let doc = Field::map(vec![
            ("a".into(), json!(1).into()),
            (
                "big".into(),
                Field::seq(move || (0..n).map(|i| Field::from(json!({"i": i, "x": 0.5})))),
            ),
            ("empty".into(), Field::seq(std::iter::empty)),
            (
                "nested".into(),
                Field::map(vec![("z".into(), json!(null).into())]),
            ),
            ("b".into(), json!([]).into()),
        ]);
        let want = json!({
            "a": 1,
            "big": [{"i": 0, "x": 0.5}, {"i": 1, "x": 0.5}, {"i": 2, "x": 0.5}],
            "empty": [],
            "nested": {"z": null},
            "b": [],
        });
        assert_eq!(
            serde_json::to_string_pretty(&doc).unwrap(),
            serde_json::to_string_pretty(&want).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            serde_json::to_string(&want).unwrap()
        );
        assert_eq!(doc.to_value(), want);
    }
}
