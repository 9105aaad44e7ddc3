//! What `--pipeline NAME|PATH` (and a golden case's `pipeline` key) names:
//! one rule for the binary and the golden cases.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The text of the pipeline `spec` names and its name for messages: an
/// existing file, else `ROOT/pipelines/NAME.toml` (`NAME` may end in
/// `.toml`), else, for `default`, the built-in pipeline (empty text: every
/// key at its default).
pub fn pipeline(spec: &str, root: &Path) -> Result<(String, String), Error> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        return Ok((text, spec.to_owned()));
    }
    let stem = spec.strip_suffix(".toml").unwrap_or(spec);
    let named: PathBuf = root.join("pipelines").join(format!("{stem}.toml"));
    if named.is_file() {
        let text = std::fs::read_to_string(&named).map_err(|e| Error::io(&named, e))?;
        return Ok((text, named.display().to_string()));
    }
    if spec == "default" {
        return Ok((String::new(), "<default>".to_owned()));
    }
    Err(Error::Config {
        origin: format!("{spec:?}"),
        message: format!("not a file, and no {} here", named.display()),
    })
}
