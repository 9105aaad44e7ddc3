//! Pipeline files: strict TOML data, compiled once into a [`Pipeline`](crate::Pipeline).
//!
//! `pipelines/default.toml` is embedded in the crate and is the single source
//! of every default: each stage's options take their `Default` from it. A user's pipeline file is laid *over* it: tables merge key
//! by key, any other value (including arrays) replaces the default. The merged
//! document is then deserialized strictly, so an unknown or misspelt key is an
//! error that names the file and the key.

use serde::Deserialize;

use crate::error::Error;
use crate::{decode, extract, repair, strip};

/// The text of `pipelines/default.toml`, embedded at build time.
pub const BUILTIN: &str = include_str!("../pipelines/default.toml");

/// A pipeline file, one table per stage.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineFile {
    /// `[decode]`: how bytes become text.
    pub decode: decode::Options,
    /// `[extract]`: how the main content is found.
    pub extract: extract::Options,
    /// `[strip]`: which leftover blocks are dropped.
    pub strip: strip::Rules,
    /// `[repair]`: which text repairs run.
    pub repair: repair::Options,
    /// `[limits]`: how big and how slow a page may be.
    pub limits: Limits,
}

/// The `[limits]` table: what one page may cost. A page over a limit fails on
/// its own, with a message naming the limit; the batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Wall-clock time one page may take through decode, extract, strip and
    /// repair, in milliseconds; `0` means no limit. A page over it fails with
    /// "time budget exceeded". Checked at coarse points (see `src/budget.rs`),
    /// so a page may overrun it by one checkpoint interval.
    pub page_time_ms: u64,
    /// Largest page, in bytes, that is processed; a bigger one fails at
    /// decode without being looked at. `0` means no limit (inputs read from
    /// files are capped at 256 MiB regardless).
    pub max_page_bytes: u64,
    /// Languages to keep, as two-letter codes (`--lang en,de`); a page in
    /// another language (or of none pith can tell) is `skipped` with the
    /// reason. Empty: every page is kept.
    #[serde(default)]
    pub langs: Vec<String>,
}

impl Default for Limits {
    /// The `[limits]` table of `pipelines/default.toml`.
    fn default() -> Self {
        defaults().limits.clone()
    }
}

/// `pipelines/default.toml`, parsed once: the `Default` of every stage's
/// options. (Their fields have no defaults of their own, so this parse reads
/// each value from the file and never from a `Default`.)
pub(crate) fn defaults() -> &'static PipelineFile {
    static FILE: std::sync::OnceLock<PipelineFile> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        #[allow(clippy::expect_used)]
        PipelineFile::parse("", "<default>")
            .expect("pipelines/default.toml is valid (every test parses it)")
    })
}

impl PipelineFile {
    /// Parses a pipeline file's text, laid over the built-in defaults.
    /// `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let err = |message: String| config_error(origin, message);
        let base: toml::Table = BUILTIN
            .parse()
            .map_err(|e: toml::de::Error| err(format!("built-in defaults: {e}")))?;
        let user: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let at = e.span().map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {column}: ")
            });
            err(format!("{}{}", at.unwrap_or_default(), e.message()))
        })?;
        let whole = |user: toml::Table| {
            let mut merged = base.clone();
            merge(&mut merged, user);
            toml::Value::Table(merged).try_into::<PipelineFile>()
        };
        whole(user.clone()).map_err(|e| {
            // Deserializing the merged tree loses where a value came from, so
            // find the user's key that fails on its own, to name it.
            let key = leaf_keys(&user, "")
                .into_iter()
                .find(|(_, alone)| whole(alone.clone()).is_err())
                .map(|(k, _)| format!("key {k}: "));
            err(format!("{}{}", key.unwrap_or_default(), e.message()))
        })
    }

    /// The built-in default pipeline file.
    pub fn builtin() -> Result<Self, Error> {
        Ok(defaults().clone())
    }
}

/// An [`Error::Config`] whose message is one line (TOML and regex errors
/// come with multi-line diagrams; a log line or terminal wants one).
pub(crate) fn config_error(origin: &str, message: impl AsRef<str>) -> Error {
    let message = message
        .as_ref()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Error::Config {
        origin: origin.to_owned(),
        message,
    }
}

/// Every leaf value of a user's pipeline file as `(dotted.key, a table
/// holding only it)`, in file order.
fn leaf_keys(t: &toml::Table, prefix: &str) -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let wrap = |inner: (String, toml::Table)| {
            let mut one = toml::Table::new();
            one.insert(k.clone(), toml::Value::Table(inner.1));
            (inner.0, one)
        };
        match v {
            toml::Value::Table(sub) if !sub.is_empty() => {
                out.extend(leaf_keys(sub, &path).into_iter().map(wrap));
            }
            _ => {
                let mut one = toml::Table::new();
                one.insert(k.clone(), v.clone());
                out.push((path, one));
            }
        }
    }
    out
}

/// Lays `over` onto `base`: tables merge recursively, other values replace.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_key() {
        let e = PipelineFile::parse("[extract]\nmin_charz = 3\n", "news.toml").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("news.toml"), "{msg}");
        assert!(msg.contains("min_charz"), "{msg}");
    }

    #[test]
    fn errors_are_one_line_naming_line_or_key() {
        let msg = PipelineFile::parse("[extract\nmin_chars = 3\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("pipeline p.toml: line 1, column 9: "),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "{msg}");
        let msg = PipelineFile::parse(
            "[repair]\nnfc = true\n[extract]\nmin_chars = \"x\"\n",
            "p.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(msg.contains("key extract.min_chars: "), "{msg}");
    }

    #[test]
    fn code_defaults_equal_the_builtin_file() {
        let d = PipelineFile::builtin().unwrap();
        assert_eq!(d.decode, decode::Options::default());
        assert_eq!(d.strip, strip::Rules::default());
        assert_eq!(d.repair, repair::Options::default());
        assert_eq!(d.limits, Limits::default());
    }

    #[test]
    fn every_shipped_pipeline_compiles() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                crate::Pipeline::from_file(&path).unwrap();
                n += 1;
            }
        }
        assert!(n >= 1, "no pipelines in {}", dir.display());
    }

    #[test]
    fn unknown_table_is_an_error() {
        assert!(PipelineFile::parse("[extrakt]\nx = 1\n", "p.toml").is_err());
    }

    #[test]
    fn user_values_override_defaults() {
        let d = PipelineFile::builtin().unwrap();
        let p = PipelineFile::parse("[extract]\nmin_chars = 7\n", "p.toml").unwrap();
        assert_eq!(p.extract.min_chars, 7);
        assert_eq!(p.extract.remove, d.extract.remove);
        assert_eq!(p.repair, d.repair);
    }
}
