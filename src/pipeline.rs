//! [`Pipeline`]: the compiled, immutable engine. `process` runs one page through
//! decode → extract → strip → repair; `run` drives a stream of pages through
//! `process` on a bounded pool of blocking workers and into a [`Sink`].

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, StreamExt};

use crate::budget::Budget;
use crate::config::{config_error, Limits, PipelineFile};
use crate::error::Error;
use crate::page::{Article, Encoding, Failure, Format, Origin, Page, Stage, Tally};
use crate::repair::Vocabulary;
use crate::sink::Sink;
use crate::{decode, extract, repair, strip};

/// A compiled pipeline: every regex, selector and dictionary built once.
///
/// `Pipeline` is `Send + Sync` and cheap to clone (the compiled rules sit
/// behind an `Arc`), so one instance can serve every worker of a crawler.
#[derive(Clone, Debug)]
pub struct Pipeline {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    decode: decode::Options,
    extract: extract::Compiled,
    strip: strip::Compiled,
    repair: repair::Repairer,
    min_chars: usize,
    limits: Limits,
}

/// What a [`Pipeline::run`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Pages processed successfully.
    pub ok: usize,
    /// Pages that failed (each was passed to the sink as a [`Failure`]).
    pub failed: usize,
    /// Pages deliberately left out ([`Error::Skipped`]: robots.txt, not
    /// HTML); passed to the sink as a [`Failure`] but not counted in `failed`.
    pub skipped: usize,
    /// Bytes of input read.
    pub bytes: u64,
}

impl Pipeline {
    /// Compiles a parsed pipeline file. `origin` names it in error messages.
    pub fn compile(file: &PipelineFile, origin: &str) -> Result<Self, Error> {
        let err = |message: String| config_error(origin, message);
        // A bad fallback label would otherwise fail every page at decode.
        if let Err(e @ decode::DecodeError::UnknownFallback(_)) =
            decode::to_utf8(b"x", None, &file.decode)
        {
            return Err(err(format!("key decode.fallback: {e}")));
        }
        Ok(Pipeline {
            inner: Arc::new(Inner {
                decode: file.decode.clone(),
                extract: extract::Compiled::new(&file.extract).map_err(err)?,
                strip: strip::Compiled::new(&file.strip).map_err(|e| err(e.to_string()))?,
                repair: repair::Repairer::new(&file.repair),
                min_chars: file.extract.min_chars,
                limits: file.limits.clone(),
            }),
        })
    }

    /// Parses and compiles a pipeline from TOML text laid over the defaults.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, Error> {
        Self::compile(&PipelineFile::parse(text, origin)?, origin)
    }

    /// Reads, parses and compiles a pipeline file.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The built-in pipeline (`pipelines/default.toml`).
    pub fn builtin() -> Result<Self, Error> {
        Self::from_toml("", "<default>")
    }

    /// Runs one page through decode → extract → strip → repair.
    pub fn process(&self, page: &Page) -> Result<Article, Failure> {
        self.run_one(page, false, false).map(|(a, _)| a)
    }

    /// Like [`process`](Self::process), for one page of a batch: the typo
    /// repair also weighs the words of the batch's earlier pages (a spelling
    /// other pages use is deliberate, a rare word they use is a likelier
    /// correction), then the page's words join `batch`. Call it on the
    /// pages in order, with one [`Vocabulary`] per batch; the result then
    /// depends only on the pages before it. [`run`](Self::run) does this
    /// when `repair.batch_vocabulary` is on.
    pub fn process_in_batch(
        &self,
        page: &Page,
        batch: &mut Vocabulary,
    ) -> Result<Article, Failure> {
        let (mut article, lang) = self.run_one(page, false, true)?;
        self.batch_typos(&mut article, lang.as_deref(), batch);
        Ok(article)
    }

    /// The deferred typo repair of a page processed with `defer_typos`,
    /// with the batch's evidence; then the page's words join the batch.
    fn batch_typos(&self, article: &mut Article, lang: Option<&str>, batch: &mut Vocabulary) {
        let r = &self.inner.repair;
        let mut log = Vec::new();
        if let Some(t) = &mut article.title {
            repair::typo_line(t, r, lang, Some(batch), &mut log);
        }
        repair::typos(&mut article.blocks, r, lang, Some(batch), &mut log);
        article.repairs.append(&mut log);
        batch.add_page(article.blocks.iter().map(|b| b.text.as_str()));
    }

    /// Like [`process`](Self::process), and also records every removal with
    /// its stage and reason in [`Article::decisions`] (slower: for one page).
    pub fn explain(&self, page: &Page) -> Result<Article, Failure> {
        self.run_one(page, true, false).map(|(a, _)| a)
    }

    /// One page through the stages; with `defer_typos`, every repair but the
    /// typo repair, which the caller runs later with the language returned.
    fn run_one(
        &self,
        page: &Page,
        explain: bool,
        defer_typos: bool,
    ) -> Result<(Article, Option<String>), Failure> {
        let fail = |stage: Stage, error: Error| Failure {
            id: page.id.clone(),
            origin: page.origin.clone(),
            url: page.url.clone(),
            stage,
            error: Box::new(error),
        };
        let p = &self.inner;
        let limit_ms = p.limits.page_time_ms;
        let budget = Budget::new((limit_ms > 0).then(|| Duration::from_millis(limit_ms)));
        let over = |stage: Stage| fail(stage, Error::TimeBudget { limit_ms });
        let max = p.limits.max_page_bytes;
        if max > 0 && page.body.len() as u64 > max {
            return Err(fail(
                Stage::Decode,
                Error::TooLarge {
                    bytes: page.body.len() as u64,
                    limit: max,
                },
            ));
        }
        let decoded = decode::to_utf8(&page.body, page.content_type.as_deref(), &p.decode)
            .map_err(|e| fail(Stage::Decode, e.into()))?;
        if budget.check() {
            return Err(over(Stage::Decode));
        }
        let mut article = Article {
            url: page.url.clone(),
            encoding: Some(Encoding {
                name: decoded.encoding.name().to_owned(),
                rule: decoded.rule.as_str().to_owned(),
                malformed: decoded.malformed,
            }),
            ..Article::default()
        };
        let mut removed = if explain {
            Tally::tracing()
        } else {
            Tally::default()
        };
        let mut blocks = match page.format {
            Format::Html => {
                let x = extract::main_content(
                    &decoded.text,
                    page.url.as_deref(),
                    &p.extract,
                    explain,
                    &budget,
                );
                if budget.check() {
                    return Err(over(Stage::Extract));
                }
                removed = x.removed;
                let m = x.meta;
                article.title = m.title;
                article.author = m.author;
                article.published = m.published;
                article.site = m.site;
                article.lang = m.lang;
                if article.url.is_none() {
                    article.url = m.canonical.clone();
                }
                article.canonical = m.canonical;
                article.description = m.description;
                x.blocks
            }
            Format::Text => strip::blocks_from_text(&decoded.text),
        };
        drop(decoded);
        // Typo repair needs to know the text is English: a page that declares
        // no language is judged by its words.
        let lang = article.lang.clone().or_else(|| {
            let english = repair::reads_as_english(blocks.iter().map(|b| b.text.as_str()));
            Some(if english { "en" } else { "und" }.to_owned())
        });
        let mut repairs = Vec::new();
        if let Some(t) = &article.title {
            article.title = Some(if defer_typos {
                repair::basic_line(t, &p.repair, &mut repairs)
            } else {
                repair::line(t, &p.repair, lang.as_deref(), &mut repairs)
            });
        }
        let ctx = strip::Context {
            title: article.title.as_deref(),
            plain_text: page.format == Format::Text,
        };
        if budget.check() {
            return Err(over(Stage::Extract));
        }
        strip::boilerplate(&mut blocks, &p.strip, &ctx, &mut removed);
        if budget.check() {
            return Err(over(Stage::Extract));
        }
        if defer_typos {
            repair::basic_text(&mut blocks, &p.repair, &mut repairs);
        } else {
            repair::text(&mut blocks, &p.repair, lang.as_deref(), &mut repairs);
        }
        if budget.check() {
            return Err(over(Stage::Extract));
        }
        blocks.retain(|b| !b.text.trim().is_empty());
        let chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
        if let Some(title) = article
            .title
            .as_deref()
            .filter(|t| p.extract.is_error_page(t, chars))
        {
            return Err(fail(
                Stage::Extract,
                Error::Extract(format!(
                    "error page: the title says {title:?} ({chars} characters of text)"
                )),
            ));
        }
        if chars < p.min_chars.max(1) {
            return Err(fail(
                Stage::Extract,
                Error::Extract(format!(
                    "no article text found ({chars} characters, minimum {})",
                    p.min_chars.max(1)
                )),
            ));
        }
        article.blocks = blocks;
        article.repairs = repairs;
        article.removed = removed.counts;
        article.decisions = removed.trace.unwrap_or_default();
        Ok((article, lang))
    }

    /// Drives `pages` through [`process`](Self::process) on up to `jobs` blocking
    /// workers at once and hands every result, in input order, to `sink`.
    /// Pages that could not even be read arrive as `Err` and go straight to the
    /// sink. `on_result` is called after each page is written (for progress bars).
    ///
    /// With `repair.batch_vocabulary` on (the default), the typo repair runs
    /// as [`process_in_batch`](Self::process_in_batch) would, in input order
    /// with one [`Vocabulary`] for the run, on a thread beside the workers.
    ///
    /// Failed pages are passed to the sink and counted; only a sink error stops the run.
    pub async fn run<S>(
        &self,
        pages: S,
        sink: &mut dyn Sink,
        jobs: usize,
        on_result: impl FnMut(&Page, &Result<Article, Failure>),
    ) -> Result<Report, Error>
    where
        S: Stream<Item = Result<Page, Failure>>,
    {
        self.run_in_batch(pages, sink, jobs, Vocabulary::new(), on_result)
            .await
    }

    /// Like [`run`](Self::run), with the typo repair's batch vocabulary
    /// starting from `batch`: the words of the pages an earlier run of the
    /// same batch already did (a resumed run), so that the pages still to do
    /// come out as they would have in one uninterrupted run.
    pub async fn run_in_batch<S>(
        &self,
        pages: S,
        sink: &mut dyn Sink,
        jobs: usize,
        mut batch: Vocabulary,
        mut on_result: impl FnMut(&Page, &Result<Article, Failure>),
    ) -> Result<Report, Error>
    where
        S: Stream<Item = Result<Page, Failure>>,
    {
        let mut report = Report::default();
        let deferred = self.inner.repair.batch_vocabulary();
        let results = pages
            .map(|item| {
                let me = self.clone();
                async move {
                    match item {
                        Ok(page) => {
                            let id = page.id.clone();
                            let origin = page.origin.clone();
                            let url = page.url.clone();
                            tokio::task::spawn_blocking(move || {
                                let started = std::time::Instant::now();
                                let mut r = me.run_one(&page, false, deferred);
                                if let Ok((a, _)) = &mut r {
                                    a.process_time = Some(started.elapsed());
                                }
                                (page, r)
                            })
                            .await
                            .unwrap_or_else(|e| {
                                // A worker panicked: a bug, recorded as this page's failure.
                                failed(panicked(id, origin, url, &e))
                            })
                        }
                        Err(f) => failed(f),
                    }
                }
            })
            .buffered(jobs.max(1));
        // The typo repair of a batch runs in input order, one page after the
        // other, so that each page sees the vocabulary of the pages before it
        // whatever the number of workers. It runs on a thread of its own
        // while this task keeps the workers fed: the producer below drives
        // them into a channel, the consumer repairs and writes.
        let (tx, mut rx) = tokio::sync::mpsc::channel(jobs.max(1));
        let producer = async move {
            let mut results = std::pin::pin!(results);
            while let Some(item) = results.next().await {
                if tx.send(item).await.is_err() {
                    break; // the consumer stopped (a sink error)
                }
            }
        };
        let consumer = async {
            while let Some((page, result)) = rx.recv().await {
                let result = match result {
                    Ok((mut article, lang)) if deferred => {
                        let me = self.clone();
                        let mut vocabulary = std::mem::take(&mut batch);
                        let repaired = tokio::task::spawn_blocking(move || {
                            let started = std::time::Instant::now();
                            me.batch_typos(&mut article, lang.as_deref(), &mut vocabulary);
                            article.process_time =
                                article.process_time.map(|t| t + started.elapsed());
                            (article, vocabulary)
                        })
                        .await;
                        match repaired {
                            Ok((article, vocabulary)) => {
                                batch = vocabulary;
                                Ok(article)
                            }
                            // A panic: a bug, recorded as this page's failure
                            // (the vocabulary starts again).
                            Err(e) => Err(panicked(
                                page.id.clone(),
                                page.origin.clone(),
                                page.url.clone(),
                                &e,
                            )),
                        }
                    }
                    other => other.map(|(article, _)| article),
                };
                report.bytes += page.body.len() as u64;
                match &result {
                    Ok(_) => report.ok += 1,
                    Err(f) if matches!(*f.error, Error::Skipped { .. }) => report.skipped += 1,
                    Err(_) => report.failed += 1,
                }
                sink.write(&page, &result)?;
                on_result(&page, &result);
            }
            Ok::<(), Error>(())
        };
        let ((), written) = futures::join!(producer, consumer);
        written?;
        sink.finish()?;
        Ok(report)
    }
}

/// The failure of a page whose processing panicked (a bug): an internal
/// error at the extract stage, so the batch goes on.
fn panicked(
    id: String,
    origin: Origin,
    url: Option<String>,
    e: &tokio::task::JoinError,
) -> Failure {
    Failure {
        id,
        origin,
        url,
        stage: Stage::Extract,
        error: Box::new(Error::Extract(format!("internal error: {e}"))),
    }
}

/// A page that never got as far as processing, as the sink receives it: an
/// empty page carrying the failure's id, origin and URL.
fn failed(f: Failure) -> (Page, Result<(Article, Option<String>), Failure>) {
    let mut page = Page::html(f.id.clone(), Vec::new()).with_origin(f.origin.clone());
    page.url = f.url.clone();
    (page, Err(f))
}

impl Default for Pipeline {
    /// The built-in pipeline. `pipelines/default.toml` is compiled into the crate
    /// and checked by the test suite, so this cannot fail on a released build.
    fn default() -> Self {
        #[allow(clippy::expect_used)]
        Self::builtin().expect("the built-in pipeline compiles (checked by tests)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn pipeline_is_send_sync() {
        assert_send_sync::<Pipeline>();
    }

    /// Pages whose typo repair depends on the batch: the first uses `varint`
    /// twice (a deliberate spelling, kept), so it vouches for the word on
    /// the second, where it stands once.
    fn batch_pages() -> Vec<Page> {
        let body = |p: &str| {
            format!(
                "<html lang=en><body><article><p>{p}</p><p>The rest of this article is \
                 plain English prose about networks, written for people who build them, \
                 with nothing unusual in it at all.</p></article></body></html>"
            )
            .into_bytes()
        };
        vec![
            Page::html(
                "a",
                body("Every field starts with a varint tag, and each varint is short."),
            ),
            Page::html(
                "b",
                body(
                    "Now that the length is a varint capable of storing larger integers, \
                      frames can carry far more data.",
                ),
            ),
        ]
    }

    fn run_batch(p: &Pipeline, pages: Vec<Page>, jobs: usize) -> String {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let mut out = Vec::new();
        {
            let mut sink = crate::sink::Text::new(&mut out);
            let stream = futures::stream::iter(pages.into_iter().map(Ok));
            rt.block_on(p.run(stream, &mut sink, jobs, |_, _| {}))
                .unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn batch_typo_repair_weighs_earlier_pages_whatever_the_workers() {
        let p = Pipeline::default();
        let pages = batch_pages();
        // Alone, the second page's `varint` reads as a typo of `variant`.
        let alone = p.process(&pages[1]).unwrap().text();
        assert!(alone.contains("a variant capable"), "{alone}");
        // In a batch, the first page vouches for it.
        let mut batch = Vocabulary::new();
        let first = p.process_in_batch(&pages[0], &mut batch).unwrap().text();
        let second = p.process_in_batch(&pages[1], &mut batch).unwrap().text();
        assert!(second.contains("a varint capable"), "{second}");
        // `run` gives the same, with one worker or several.
        let one = run_batch(&p, batch_pages(), 1);
        assert!(one.contains(&first) && one.contains(&second), "{one}");
        assert_eq!(run_batch(&p, batch_pages(), 4), one);
        // Switched off, `run` repairs each page alone.
        let off = Pipeline::from_toml("[repair]\nbatch_vocabulary = false\n", "test").unwrap();
        let got = run_batch(&off, batch_pages(), 2);
        assert!(got.contains("a variant capable"), "{got}");
    }

    #[test]
    fn empty_and_binary_pages_fail_cleanly() {
        let p = Pipeline::default();
        let e = p.process(&Page::html("e", Vec::new())).unwrap_err();
        assert_eq!(e.stage, Stage::Decode);
        let e = p.process(&Page::html(
            "s",
            b"<html><body><p>  </p></body></html>".to_vec(),
        ));
        assert_eq!(e.unwrap_err().stage, Stage::Extract);
    }
}
