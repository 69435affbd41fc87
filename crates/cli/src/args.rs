//! A small, strict command-line parser: `--name value` and `--flag`, every unknown or malformed
//! argument a clear error (exit status 2).

use std::collections::BTreeMap;

/// Parsed options of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
    /// Positional arguments.
    pub positional: Vec<String>,
}

/// Parses `argv` given which options take a value and which are bare flags.
pub fn parse(argv: &[String], valued: &[&str], flags: &[&str]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let Some(name) = arg.strip_prefix("--") else {
            a.positional.push(arg.clone());
            continue;
        };
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (name, None),
        };
        if flags.contains(&name) && inline.is_none() {
            a.flags.push(name.to_string());
        } else if valued.contains(&name) {
            let value = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("--{name} needs a value"))?,
            };
            a.values.entry(name.to_string()).or_default().push(value);
        } else {
            return Err(format!("unknown option --{name}"));
        }
    }
    Ok(a)
}

impl Args {
    /// The last value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value given for `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// Was the bare flag given?
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// A number option with a default.
    pub fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name} must be a non-negative integer, not {v:?}")),
        }
    }

    /// A required option.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.get(name)
            .ok_or_else(|| format!("--{name} is required"))
    }
}

/// Parses a seed range `A..B` (inclusive of A, exclusive of B) or `A..=B`.
pub fn seed_range(s: &str) -> Result<std::ops::Range<u64>, String> {
    range("seeds", s)
}

/// Parses `--name A..B` (inclusive of A, exclusive of B) or `A..=B`.
pub fn range(name: &str, s: &str) -> Result<std::ops::Range<u64>, String> {
    let bad = || format!("--{name} must look like A..B (e.g. 1..300), not {s:?}");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let (b, inclusive) = match b.strip_prefix('=') {
        Some(b) => (b, true),
        None => (b, false),
    };
    let a: u64 = a.parse().map_err(|_| bad())?;
    let b: u64 = b.parse().map_err(|_| bad())?;
    let end = if inclusive {
        b.checked_add(1)
            .ok_or_else(|| format!("--{name} {s:?}: the end is too large"))?
    } else {
        b
    };
    if end <= a {
        return Err(format!("--{name} {s:?} is empty"));
    }
    Ok(a..end)
}

/// Parses a number `N`, a list `N,M,...` or a range `A..B` / `A..=B` of `--name` into its values.
pub fn choices(name: &str, s: &str) -> Result<Vec<u32>, String> {
    let number = |v: &str| {
        v.parse::<u32>().map_err(|_| {
            format!("--{name} must be a number, a list N,M,... or a range A..B, not {s:?}")
        })
    };
    if s.contains("..") {
        let r = range(name, s)?;
        if r.end - r.start > 64 {
            return Err(format!("--{name} {s:?}: at most 64 values"));
        }
        return r.map(|v| number(&v.to_string())).collect();
    }
    s.split(',').map(number).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn values_flags_and_errors() {
        let a = parse(
            &v(&["--nodes", "5", "--json", "--bug=x", "--bug", "y", "file"]),
            &["nodes", "bug"],
            &["json"],
        )
        .unwrap();
        assert_eq!(a.get("nodes"), Some("5"));
        assert!(a.flag("json"));
        assert_eq!(a.all("bug"), vec!["x", "y"]);
        assert_eq!(a.positional, vec!["file"]);
        assert!(parse(&v(&["--what"]), &[], &[])
            .unwrap_err()
            .contains("unknown option"));
        assert!(parse(&v(&["--nodes"]), &["nodes"], &[])
            .unwrap_err()
            .contains("needs a value"));
        assert!(a.num::<u32>("nodes", 3).is_ok());
        let b = parse(&v(&["--nodes", "five"]), &["nodes"], &[]).unwrap();
        assert!(b.num::<u32>("nodes", 3).is_err());
    }

    #[test]
    fn seed_ranges() {
        assert_eq!(seed_range("1..300"), Ok(1..300));
        assert_eq!(seed_range("1..=3"), Ok(1..4));
        assert!(seed_range("5..5").is_err());
        assert!(seed_range("x").is_err());
        let overflow = seed_range("1..=18446744073709551615").unwrap_err();
        assert!(overflow.contains("too large"), "{overflow}");
    }

    #[test]
    fn choices_are_a_number_a_list_or_a_range() {
        assert_eq!(choices("nodes", "5"), Ok(vec![5]));
        assert_eq!(choices("clients", "3,10"), Ok(vec![3, 10]));
        assert_eq!(choices("nodes", "2..=4"), Ok(vec![2, 3, 4]));
        assert!(choices("nodes", "2..1000").is_err());
        assert!(choices("nodes", "3,x").is_err());
    }
}
