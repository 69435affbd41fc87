//! A small JSON value for the JavaScript API, converted to and from JavaScript directly.
//!
//! The API only moves plain data (numbers, strings, arrays, objects) across the boundary. A full
//! serialization framework would cost more download than the whole API, so this module keeps the
//! handful of operations the API needs, mirroring the names of `serde_json::Value`.

use wasm_bindgen::{JsCast, JsValue};

/// A JSON number: an exact unsigned integer, or any other number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An unsigned integer.
    U(u64),
    /// Any other number (negative, fractional).
    F(f64),
}

impl Number {
    /// The number as an unsigned integer, if it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::U(u) => Some(u),
            Number::F(f) if f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_991.0 => {
                Some(f as u64)
            }
            Number::F(_) => None,
        }
    }

    /// The number as a float.
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::U(u) => u as f64,
            Number::F(f) => f,
        }
    }
}

/// An object's members, in insertion order (equality ignores the order, as in JSON).
#[derive(Clone, Debug, Default)]
pub struct Map(pub Vec<(String, Value)>);

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Map {
    /// The member called `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The member names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (and `undefined`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

impl Value {
    /// An object from `(name, value)` pairs.
    pub fn object(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(Map(pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()))
    }

    /// A member of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The unsigned integer, if this is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Compact JSON text (for error messages; floats shown as integers when whole).
    pub fn render(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(Number::U(u)) => u.to_string(),
            Value::Number(Number::F(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
                (*f as i64).to_string()
            }
            Value::Number(Number::F(_)) => "a fractional number".into(),
            Value::String(s) => format!("\"{s}\""),
            Value::Array(a) => format!(
                "[{}]",
                a.iter().map(Value::render).collect::<Vec<_>>().join(",")
            ),
            Value::Object(m) => {
                let members: Vec<String> =
                    m.0.iter()
                        .map(|(k, v)| format!("\"{k}\":{}", v.render()))
                        .collect();
                format!("{{{}}}", members.join(","))
            }
        }
    }

    /// Converts to a JavaScript value (objects become plain objects).
    pub fn to_js(&self) -> JsValue {
        match self {
            Value::Null => JsValue::NULL,
            Value::Bool(b) => JsValue::from_bool(*b),
            Value::Number(n) => JsValue::from_f64(n.as_f64()),
            Value::String(s) => JsValue::from_str(s),
            Value::Array(a) => a.iter().map(Value::to_js).collect::<js_sys::Array>().into(),
            Value::Object(m) => {
                let o = js_sys::Object::new();
                for (k, v) in &m.0 {
                    let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v.to_js());
                }
                o.into()
            }
        }
    }

    /// Converts a JavaScript value (plain data only: functions and symbols are refused).
    pub fn from_js(v: &JsValue) -> Result<Value, String> {
        if v.is_null() || v.is_undefined() {
            return Ok(Value::Null);
        }
        if let Some(b) = v.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(f) = v.as_f64() {
            return Ok(Value::Number(Number::F(f)));
        }
        if let Some(s) = v.as_string() {
            return Ok(Value::String(s));
        }
        if js_sys::Array::is_array(v) {
            let a: &js_sys::Array = v.unchecked_ref();
            return a
                .iter()
                .map(|x| Value::from_js(&x))
                .collect::<Result<_, _>>()
                .map(Value::Array);
        }
        if v.is_object() && !v.is_function() {
            let object: &js_sys::Object = v.unchecked_ref();
            let keys = js_sys::Object::keys(object);
            let mut members = Vec::new();
            for k in keys.iter() {
                let name = k.as_string().unwrap_or_default();
                let value = js_sys::Reflect::get(v, &k)
                    .map_err(|_| "an argument is not plain data".to_string())?;
                members.push((name, Value::from_js(&value)?));
            }
            return Ok(Value::Object(Map(members)));
        }
        Err("an argument is not plain data (numbers, strings, arrays and objects only)".into())
    }
}

impl From<u64> for Value {
    fn from(u: u64) -> Self {
        Value::Number(Number::U(u))
    }
}

impl From<u32> for Value {
    fn from(u: u32) -> Self {
        Value::Number(Number::U(u64::from(u)))
    }
}

impl From<usize> for Value {
    fn from(u: usize) -> Self {
        Value::Number(Number::U(u as u64))
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Number(Number::F(f))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_strings_and_objects_read_back() {
        let v = Value::object(vec![
            ("a", 3u64.into()),
            ("b", "x".into()),
            ("c", vec![1u64, 2].into()),
        ]);
        assert_eq!(v.get("a").and_then(Value::as_u64), Some(3));
        assert_eq!(v.get("b").and_then(Value::as_str), Some("x"));
        assert_eq!(v.render(), r#"{"a":3,"b":"x","c":[1,2]}"#);
        assert_eq!(Value::from(2.5).as_u64(), None);
        assert_eq!(Value::from(4.0).as_u64(), Some(4));
        assert_eq!(Value::from(-1.0).as_u64(), None);
        assert_eq!(Value::from(None::<u64>), Value::Null);
    }
}
