//! The `pith` Python module: pith's pipeline over one page at a time.
//!
//! Every call returns the dict of one line of `pith extract --jsonl`: the
//! line is built by [`pith::record::Line::of`] and written by
//! [`pith::record::to_line`], as the binary writes it, then read with
//! Python's `json.loads`, so the module and the command cannot drift apart.
//! The work runs with the GIL released.

use std::path::Path;
use std::sync::OnceLock;

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};

/// A page's bytes from `bytes`, `bytearray` or `str`, and whether it was
/// text (`str`, then encoded as UTF-8).
fn body_of(html: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, bool)> {
    if let Ok(b) = html.cast::<PyBytes>() {
        return Ok((b.as_bytes().to_vec(), false));
    }
    if let Ok(b) = html.cast::<PyByteArray>() {
        return Ok((b.to_vec(), false));
    }
    if let Ok(s) = html.cast::<PyString>() {
        return Ok((s.to_cow()?.as_bytes().to_vec(), true));
    }
    let ty = html.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "html must be bytes, bytearray or str, not {ty}"
    )))
}

/// A pith error as the Python exception it is: a file that cannot be read
/// is an `OSError`, a bad pipeline a `ValueError`.
fn to_py(e: pith::Error) -> PyErr {
    match e {
        pith::Error::Io { .. } => PyOSError::new_err(e.to_string()),
        pith::Error::Config { .. } => PyValueError::new_err(e.to_string()),
        other => PyRuntimeError::new_err(other.to_string()),
    }
}

/// The arguments of one `extract` call.
struct Call {
    page: pith::Page,
}

impl Call {
    fn new(
        html: &Bound<'_, PyAny>,
        url: Option<String>,
        content_type: Option<String>,
        id: Option<String>,
        content_language: Option<String>,
    ) -> PyResult<Self> {
        let (body, text) = body_of(html)?;
        let mut page = pith::Page::html(id.unwrap_or_else(|| "page".to_owned()), body);
        page.url = url;
        // A `str` is decoded already: its bytes are UTF-8, whatever its
        // <meta charset> says, unless the caller names a Content-Type.
        page.content_type = match (content_type, text) {
            (Some(ct), _) => Some(ct),
            (None, true) => Some("text/html; charset=utf-8".to_owned()),
            (None, false) => None,
        };
        page.content_language = content_language;
        Ok(Call { page })
    }

    /// Runs the page through `pipeline` without the GIL and returns its
    /// JSONL line as a dict.
    fn run<'py>(self, py: Python<'py>, pipeline: &pith::Pipeline) -> PyResult<Bound<'py, PyDict>> {
        let page = self.page;
        let line = py.detach(|| {
            let result = pipeline.process(&page);
            pith::record::to_line(&pith::record::Line::of(&page, &result))
        });
        let line = line.map_err(to_py)?;
        let text = std::str::from_utf8(&line).map_err(|e| {
            PyRuntimeError::new_err(format!("pith wrote a line that is not UTF-8: {e}"))
        })?;
        let value = py.import("json")?.getattr("loads")?.call1((text,))?;
        Ok(value.cast_into::<PyDict>()?)
    }
}

/// The built-in pipeline, compiled on first use.
fn builtin(py: Python<'_>) -> PyResult<&'static pith::Pipeline> {
    static BUILTIN: OnceLock<pith::Pipeline> = OnceLock::new();
    if let Some(p) = BUILTIN.get() {
        return Ok(p);
    }
    let p = py.detach(pith::Pipeline::builtin).map_err(to_py)?;
    Ok(BUILTIN.get_or_init(|| p))
}

/// Cleans one page with the built-in pipeline and returns what
/// `pith extract --jsonl` writes for it, as a dict: the same keys and values
/// (`text`, `title`, `author`, `published`, `lang`, `encoding`, `repairs`,
/// `removed`, ...). A page that fails gives the dict of a failed line, with
/// `stage` and `error`, rather than an exception.
///
/// `html` is `bytes` (raw, any charset: decoded as pith decodes files) or
/// `str` (taken as UTF-8). `url` is the page's address (dates, site names,
/// links), `content_type` its HTTP Content-Type header (a charset hint),
/// `content_language` its Content-Language header, `id` the dict's `id`
/// (default `"page"`).
///
/// Each call is one page on its own: the typo repair does not weigh the
/// words of earlier pages (pith extract's batch vocabulary), as
/// `pith extract --independent` (`repair.batch_vocabulary = false`) runs.
/// The GIL is released while the page is processed. For a pipeline file,
/// use `Pipeline`.
#[pyfunction]
#[pyo3(signature = (html, url=None, content_type=None, *, id=None, content_language=None))]
fn extract<'py>(
    py: Python<'py>,
    html: &Bound<'py, PyAny>,
    url: Option<String>,
    content_type: Option<String>,
    id: Option<String>,
    content_language: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let call = Call::new(html, url, content_type, id, content_language)?;
    call.run(py, builtin(py)?)
}

/// A compiled pith pipeline, reusable and safe to share between threads.
///
/// `path_or_toml` is `None` (the built-in pipeline), the path of a pipeline
/// file, or the TOML text of one (laid over the defaults, as a file is).
/// A string ending in `.toml` with no newline in it is a path (an `OSError`
/// if it cannot be read); anything else is TOML text. A bad pipeline
/// raises `ValueError` with pith's message.
///
/// `Pipeline.extract` releases the GIL while it works, so threads run pages
/// in parallel on one `Pipeline`.
#[pyclass(frozen, module = "pith")]
struct Pipeline {
    inner: pith::Pipeline,
    /// Where it came from, for `repr`.
    origin: String,
}

#[pymethods]
impl Pipeline {
    #[new]
    #[pyo3(signature = (path_or_toml=None))]
    fn new(py: Python<'_>, path_or_toml: Option<String>) -> PyResult<Self> {
        let Some(spec) = path_or_toml else {
            return Ok(Pipeline {
                inner: builtin(py)?.clone(),
                origin: "<default>".to_owned(),
            });
        };
        let is_path = spec.ends_with(".toml") && !spec.contains('\n');
        let inner = py
            .detach(|| {
                if is_path {
                    pith::Pipeline::from_file(Path::new(&spec))
                } else {
                    pith::Pipeline::from_toml(&spec, "<toml text>")
                }
            })
            .map_err(to_py)?;
        let origin = if is_path {
            spec
        } else {
            "<toml text>".to_owned()
        };
        Ok(Pipeline { inner, origin })
    }

    /// Cleans one page with this pipeline and returns its `pith extract
    /// --jsonl` line as a dict; see `pith.extract` for the arguments and
    /// the dict. Each page is processed on its own (no batch vocabulary),
    /// with the GIL released.
    #[pyo3(signature = (html, url=None, content_type=None, *, id=None, content_language=None))]
    fn extract<'py>(
        &self,
        py: Python<'py>,
        html: &Bound<'py, PyAny>,
        url: Option<String>,
        content_type: Option<String>,
        id: Option<String>,
        content_language: Option<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let call = Call::new(html, url, content_type, id, content_language)?;
        call.run(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("pith.Pipeline({:?})", self.origin)
    }
}

/// pith: clean article text from scraped web pages.
///
/// `pith.extract(html, url=None)` cleans one page with the built-in
/// pipeline; `pith.Pipeline(path_or_toml)` compiles a pipeline file once
/// for many pages. Both return the dict of a `pith extract --jsonl` line.
#[pymodule(name = "pith")]
fn pith_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_class::<Pipeline>()?;
    Ok(())
}
