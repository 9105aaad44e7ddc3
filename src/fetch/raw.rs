//! `--raw DIR`: the fetched responses, kept for re-extraction.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::page::{Article, Failure, Origin, Page};
use crate::sink::{write_atomic, Sink};

/// A [`Sink`] that keeps each fetched page's body as `DIR/<id>.html` and its
/// response record as `DIR/<id>.http.json` (`url`, `final_url`, `status`,
/// `content_type`), both written then renamed, before passing the page on.
/// `pith extract DIR` reads them back with their URL and charset.
#[derive(Debug)]
pub struct RawDir<S> {
    dir: PathBuf,
    inner: S,
}

impl<S: Sink> RawDir<S> {
    /// Keeps raw responses in `dir` (created) and passes every page on to `inner`.
    pub fn new(dir: &Path, inner: S) -> Result<Self, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        Ok(RawDir {
            dir: dir.to_owned(),
            inner,
        })
    }
}

impl<S: Sink> Sink for RawDir<S> {
    fn write(&mut self, page: &Page, result: &Result<Article, Failure>) -> Result<(), Error> {
        if let Origin::Fetched(info) = &page.origin {
            if !page.body.is_empty() {
                write_atomic(&self.dir.join(format!("{}.html", page.id)), &page.body)?;
                let bytes = crate::record::to_line(&crate::record::Response::of(info))?;
                write_atomic(&self.dir.join(format!("{}.http.json", page.id)), &bytes)?;
            }
        }
        self.inner.write(page, result)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.inner.finish()
    }
}
