//! Quality floors: the lowest accepted scores per set (`quality.toml`),
//! checked and raised.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Score;
use crate::error::Error;

/// Pinned lowest scores, per set (`quality.toml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Floors(pub BTreeMap<String, Score>);

impl Floors {
    /// Reads a floors file; a missing file is no floors.
    pub fn load(path: &Path) -> Result<Self, Error> {
        match std::fs::read_to_string(path) {
            Ok(t) => toml::from_str(&t).map_err(|e| Error::Config {
                origin: path.display().to_string(),
                message: e.message().to_owned(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Floors::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Which of `score`'s figures fall below the floor for `set` (by more
    /// than rounding), or above it for the ceilings (`without` and the
    /// `false_values`); page types' floors are checked as `set/type`.
    pub fn below(&self, set: &str, score: &Score) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(f) = self.0.get(set) {
            below_floor(set, f, score, &mut out);
        }
        out
    }

    /// Raises the floors of `set` to `score` (rounded to three decimals, down
    /// for floors and up for the ceilings). Lowering one needs
    /// `allow_lower`.
    pub fn raise(&mut self, set: &str, score: &Score, allow_lower: bool) {
        let old = self.0.get(set).filter(|_| !allow_lower);
        let new = raised(old, score);
        self.0.insert(set.to_owned(), new);
    }

    /// Writes the floors file.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let body = toml::to_string(self).map_err(|e| Error::Config {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        let text = format!(
            "# Quality floors: the lowest accepted scores per evaluation set, as\n# `pith eval` (and ../shared/bench/score.py, or score_wcxb.py for word-bag\n# sets) computes them; `without` and `false_values` are ceilings. Floors\n# only go up: `pith eval --raise` lifts them; lowering one needs\n# --allow-regression.\n\n{body}"
        );
        crate::sink::write_atomic(path, text.as_bytes())
    }
}

/// Pushes onto `out` each figure of `got` under its floor in `floor`.
fn below_floor(label: &str, floor: &Score, got: &Score, out: &mut Vec<String>) {
    /// Scores are pinned to three decimals; this much below still passes.
    const TOLERANCE: f64 = 0.0005;
    let optional = |name: &str, f: Option<f64>, g: Option<f64>| {
        f.map(|f| (name.to_owned(), g.unwrap_or(0.0), f))
    };
    let mut floors: Vec<(String, f64, f64)> = vec![
        ("precision".to_owned(), got.precision, floor.precision),
        ("recall".to_owned(), got.recall, floor.recall),
        ("f1".to_owned(), got.f1, floor.f1),
    ];
    for (name, f) in floor.metadata() {
        let g = got
            .metadata()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v);
        floors.extend(optional(name, Some(f), g));
    }
    floors.extend(optional("with", floor.with, got.with));
    for (name, got, floor) in floors {
        if got + TOLERANCE < floor {
            out.push(format!(
                "{label} {name} {got:.3} is below its floor {floor:.3}"
            ));
        }
    }
    let mut ceilings: Vec<(String, f64, f64)> = Vec::new();
    if let (Some(ceiling), Some(g)) = (floor.without, got.without) {
        ceilings.push(("without".to_owned(), g, ceiling));
    }
    for (field, &ceiling) in &floor.false_values {
        let g = got.false_values.get(field).copied().unwrap_or(0.0);
        ceilings.push((format!("false {field}"), g, ceiling));
    }
    for (name, got, ceiling) in ceilings {
        if got > ceiling + TOLERANCE {
            out.push(format!(
                "{label} {name} {got:.3} is above its ceiling {ceiling:.3}"
            ));
        }
    }
    for (ty, f) in &floor.types {
        let g = got.types.get(ty).cloned().unwrap_or_default();
        below_floor(&format!("{label}/{ty}"), f, &g, out);
    }
}

/// `new` rounded to three decimals, never below `old`'s floors (or above
/// its `without` ceiling) when there is an `old`.
fn raised(old: Option<&Score>, new: &Score) -> Score {
    let down = |x: f64| (x * 1000.0).floor() / 1000.0;
    let up = |x: f64| (x * 1000.0).ceil() / 1000.0;
    let higher = |o: Option<f64>, n: Option<f64>| match (o, n) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let mut out = Score {
        precision: down(new.precision),
        recall: down(new.recall),
        f1: down(new.f1),
        title: new.title.map(down),
        author: new.author.map(down),
        lang: new.lang.map(down),
        published: new.published.map(down),
        site: new.site.map(down),
        with: new.with.map(down),
        without: new.without.map(up),
        false_values: new
            .false_values
            .iter()
            .map(|(k, &v)| (k.clone(), up(v)))
            .collect(),
        types: BTreeMap::new(),
    };
    for (ty, s) in &new.types {
        let o = old.and_then(|o| o.types.get(ty));
        out.types.insert(ty.clone(), raised(o, s));
    }
    let Some(old) = old else {
        return out;
    };
    out.precision = out.precision.max(old.precision);
    out.recall = out.recall.max(old.recall);
    out.f1 = out.f1.max(old.f1);
    let mut old_meta = old.clone();
    for ((_, o), (_, n)) in old_meta.metadata_mut().into_iter().zip(out.metadata_mut()) {
        *n = higher(*o, *n);
    }
    out.with = higher(old.with, out.with);
    let lower = |o: Option<f64>, n: Option<f64>| match (o, n) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    out.without = lower(old.without, out.without);
    for (field, &o) in &old.false_values {
        let n = lower(Some(o), out.false_values.get(field).copied());
        out.false_values.extend(n.map(|n| (field.clone(), n)));
    }
    for (ty, s) in &old.types {
        out.types.entry(ty.clone()).or_insert_with(|| s.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_only_go_up_unless_allowed() {
        let mut f = Floors::default();
        let hi = Score {
            precision: 0.9,
            recall: 0.9,
            f1: 0.9,
            title: Some(0.9),
            ..Score::default()
        };
        let lo = Score {
            precision: 0.8,
            recall: 0.8,
            f1: 0.8,
            title: Some(0.8),
            ..Score::default()
        };
        f.raise("s", &hi, false);
        f.raise("s", &lo, false);
        assert_eq!(f.0["s"].f1, 0.9);
        assert_eq!(f.0["s"].title, Some(0.9));
        assert_eq!(f.below("s", &lo).len(), 4);
        f.raise("s", &lo, true);
        assert_eq!(f.0["s"].f1, 0.8);
    }

    #[test]
    fn false_value_ceilings_round_up_and_only_go_down() {
        let with = |share: f64| Score {
            author: Some(0.6),
            false_values: [("author".to_owned(), share)].into(),
            ..Score::default()
        };
        let mut f = Floors::default();
        f.raise("w", &with(0.1641), false);
        assert_eq!(f.0["w"].false_values["author"], 0.165);
        assert!(f.below("w", &with(0.165)).is_empty());
        assert_eq!(
            f.below("w", &with(0.2)),
            ["w false author 0.200 is above its ceiling 0.165"]
        );
        f.raise("w", &with(0.3), false);
        assert_eq!(f.0["w"].false_values["author"], 0.165);
        f.raise("w", &with(0.1), false);
        assert_eq!(f.0["w"].false_values["author"], 0.1);
        f.raise("w", &with(0.3), true);
        assert_eq!(f.0["w"].false_values["author"], 0.3);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quality.toml");
        f.save(&path).unwrap();
        assert_eq!(Floors::load(&path).unwrap(), f);
    }

    #[test]
    fn page_type_floors_and_the_without_ceiling() {
        let typed = |f1: f64, without: f64| {
            let one = Score {
                f1,
                with: Some(0.5),
                without: Some(without),
                ..Score::default()
            };
            Score {
                types: [("forum".to_owned(), one.clone())].into(),
                ..one
            }
        };
        let mut f = Floors::default();
        f.raise("w", &typed(0.7004, 0.0301), false);
        // Floors round down, the ceiling rounds up.
        assert_eq!(f.0["w"].types["forum"].f1, 0.7);
        assert_eq!(f.0["w"].without, Some(0.031));
        assert!(f.below("w", &typed(0.7, 0.031)).is_empty());
        let worse = f.below("w", &typed(0.6, 0.05));
        assert_eq!(
            worse,
            [
                "w f1 0.600 is below its floor 0.700",
                "w without 0.050 is above its ceiling 0.031",
                "w/forum f1 0.600 is below its floor 0.700",
                "w/forum without 0.050 is above its ceiling 0.031",
            ]
        );
        // Raising keeps the better of old and new, the ceiling too.
        f.raise("w", &typed(0.6, 0.01), false);
        assert_eq!(f.0["w"].types["forum"].f1, 0.7);
        assert_eq!(f.0["w"].without, Some(0.01));
        // The floors file keeps its page types.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.toml");
        f.save(&path).unwrap();
        assert_eq!(Floors::load(&path).unwrap(), f);
    }
}
