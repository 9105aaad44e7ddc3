//! Pipeline files: strict TOML data, compiled once into a [`Pipeline`](crate::Pipeline).
//!
//! `pipelines/default.toml` is embedded in the crate and is the single source
//! of every default. A user's pipeline file is laid *over* it: tables merge key
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
}

impl PipelineFile {
    /// Parses a pipeline file's text, laid over the built-in defaults.
    /// `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let err = |message: String| Error::Config {
            origin: origin.to_owned(),
            message,
        };
        let mut base: toml::Table = BUILTIN
            .parse()
            .map_err(|e: toml::de::Error| err(format!("built-in defaults: {e}")))?;
        let user: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| err(e.to_string()))?;
        merge(&mut base, user);
        toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| err(e.message().to_owned()))
    }

    /// The built-in default pipeline file.
    pub fn builtin() -> Result<Self, Error> {
        Self::parse("", "<default>")
    }
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
    fn code_defaults_equal_the_builtin_file() {
        let d = PipelineFile::builtin().unwrap();
        assert_eq!(d.decode, decode::Options::default());
        assert_eq!(d.strip, strip::Rules::default());
        assert_eq!(d.repair, repair::Options::default());
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
