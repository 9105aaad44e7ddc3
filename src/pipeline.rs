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
use crate::page::{Article, Encoding, Failure, Format, Page, Stage, Tally};
use crate::repair::{Pass, Vocabulary};
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
        self.cascade(page, Mode::Process).map(|done| done.article)
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
        let mut done = self.cascade(page, Mode::Batch)?;
        self.batch_typos(&mut done, batch)
            .map_err(|e| Failure::of(page, Stage::Repair, e))?;
        Ok(done.article)
    }

    /// Like [`process`](Self::process), and also records every removal with
    /// its stage and reason in [`Article::decisions`] (slower: for one page).
    pub fn explain(&self, page: &Page) -> Result<Article, Failure> {
        self.cascade(page, Mode::Explain).map(|done| done.article)
    }

    /// One page through the stages. Each stage checks its own budget, and a
    /// panic inside one (a bug) is that stage's failure, not the batch's end.
    fn cascade(&self, page: &Page, mode: Mode) -> Result<Done, Failure> {
        let limit_ms = self.inner.limits.page_time_ms;
        let budget = Budget::new((limit_ms > 0).then(|| Duration::from_millis(limit_ms)));
        let at = |stage: Stage| move |error: Error| Failure::of(page, stage, error);
        let text = guarded(|| self.decode(page, &budget)).map_err(at(Stage::Decode))?;
        let mut work =
            guarded(|| self.extract(page, text, mode, &budget)).map_err(at(Stage::Extract))?;
        guarded(|| self.strip(&mut work, page.format, &budget)).map_err(at(Stage::Strip))?;
        guarded(|| self.repair(&mut work, mode, &budget)).map_err(at(Stage::Repair))?;
        self.inner
            .extract
            .judge(work.article.meta.title.as_deref(), &work.article.blocks)
            .map_err(|e| at(Stage::Extract)(Error::Extract(e)))?;
        let langs = &self.inner.limits.langs;
        if !langs.is_empty() {
            let lang = work.article.meta.lang.as_deref();
            if !lang.is_some_and(|l| langs.iter().any(|k| k.eq_ignore_ascii_case(l))) {
                let reason = format!(
                    "language {} is not one of --lang {}",
                    lang.unwrap_or("unknown"),
                    langs.join(",")
                );
                let url = page.url.clone().unwrap_or_else(|| page.id.clone());
                return Err(at(Stage::Extract)(Error::Skipped { url, reason }));
            }
        }
        let Work {
            mut article,
            removed,
            lang,
            ..
        } = work;
        article.removed = removed.counts;
        article.decisions = removed.trace.unwrap_or_default();
        Ok(Done { article, lang })
    }

    /// Decode: the page's bytes as UTF-8, with the encoding and the rule
    /// that chose it.
    fn decode(&self, page: &Page, budget: &Budget) -> Result<decode::Decoded, Error> {
        let limits = &self.inner.limits;
        let max = limits.max_page_bytes;
        if max > 0 && page.body.len() as u64 > max {
            return Err(Error::TooLarge {
                bytes: page.body.len() as u64,
                limit: max,
            });
        }
        let decoded =
            decode::to_utf8(&page.body, page.content_type.as_deref(), &self.inner.decode)?;
        self.within(budget)?;
        Ok(decoded)
    }

    /// Extract: the main content as blocks and the page's metadata (an HTML
    /// page), or the lines of a text page as blocks.
    fn extract(
        &self,
        page: &Page,
        decoded: decode::Decoded,
        mode: Mode,
        budget: &Budget,
    ) -> Result<Work, Error> {
        let mut article = Article {
            url: page.url.clone(),
            encoding: Some(Encoding {
                name: decoded.encoding.name().to_owned(),
                rule: decoded.rule.as_str().to_owned(),
                malformed: decoded.malformed,
            }),
            ..Article::default()
        };
        let mut removed = match mode {
            Mode::Explain => Tally::tracing(),
            Mode::Process | Mode::Batch => Tally::default(),
        };
        let mut items = false;
        article.blocks = match page.format {
            Format::Html => {
                let x = extract::main_content(
                    &decoded.text,
                    page.url.as_deref(),
                    &self.inner.extract,
                    mode == Mode::Explain,
                    budget,
                );
                self.within(budget)?;
                removed = x.removed;
                items = x.items;
                article.meta = x.meta.page;
                if article.url.is_none() {
                    article.url.clone_from(&article.meta.canonical);
                }
                x.blocks
            }
            Format::Text => crate::text::blocks_from_text(&decoded.text),
        };
        Ok(Work {
            article,
            removed,
            items,
            lang: None,
            header_lang: page.content_language.clone(),
        })
    }

    /// Strip: the leftover boilerplate blocks go, counted by reason.
    fn strip(&self, work: &mut Work, format: Format, budget: &Budget) -> Result<(), Error> {
        let ctx = strip::Context {
            title: work.article.meta.title.as_deref(),
            plain_text: format == Format::Text,
            items: work.items,
        };
        strip::boilerplate(
            &mut work.article.blocks,
            &self.inner.strip,
            &ctx,
            &mut work.removed,
        );
        self.within(budget)
    }

    /// Repair: the title and the blocks; in a batch, all but the typo repair,
    /// which [`batch_typos`](Self::batch_typos) makes later in page order.
    /// Then the blocks that repair emptied go.
    fn repair(&self, work: &mut Work, mode: Mode, budget: &Budget) -> Result<(), Error> {
        let a = &mut work.article;
        // A page that declares no language gets the one its text reads as;
        // typo repair uses the answer to know the text is English, and, when
        // there is none, judges by its words.
        let blocks = &a.blocks;
        let text_lang = || crate::lang::of_text(blocks.iter().map(|b| b.text.as_str()));
        let header = work.header_lang.as_deref();
        match crate::lang::decide(a.meta.lang.as_deref(), header, text_lang) {
            Some((l, source)) => {
                a.meta.lang = Some(l);
                a.meta.lang_source = Some(source.to_owned());
            }
            None => a.meta.lang_source = None,
        }
        let lang = a.meta.lang.clone().unwrap_or_else(|| {
            let english = repair::reads_as_english(a.blocks.iter().map(|b| b.text.as_str()));
            if english { "en" } else { "und" }.to_owned()
        });
        let pass = match mode {
            Mode::Batch => Pass::AllButTypos,
            Mode::Process | Mode::Explain => Pass::All(None),
        };
        a.repairs =
            self.inner
                .repair
                .repair(a.meta.title.as_mut(), &mut a.blocks, Some(&lang), pass);
        a.blocks.retain(|b| !b.text.trim().is_empty());
        work.lang = Some(lang);
        self.within(budget)
    }

    /// The typo repair of a page processed in [`Mode::Batch`], with the
    /// batch's evidence; then the page's words join the batch.
    fn batch_typos(&self, done: &mut Done, batch: &mut Vocabulary) -> Result<(), Error> {
        let a = &mut done.article;
        guarded(|| {
            let mut log = self.inner.repair.repair(
                a.meta.title.as_mut(),
                &mut a.blocks,
                done.lang.as_deref(),
                Pass::Typos(&*batch),
            );
            a.repairs.append(&mut log);
            Ok(())
        })?;
        batch.add_page(a.blocks.iter().map(|b| b.text.as_str()));
        Ok(())
    }

    /// `Err` once the page's time budget has run out.
    fn within(&self, budget: &Budget) -> Result<(), Error> {
        if budget.check() {
            Err(Error::TimeBudget {
                limit_ms: self.inner.limits.page_time_ms,
            })
        } else {
            Ok(())
        }
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
        let mode = if self.inner.repair.batch_vocabulary() {
            Mode::Batch
        } else {
            Mode::Process
        };
        let results = pages
            .map(|item| {
                let me = self.clone();
                async move {
                    let page = match item {
                        Ok(page) => page,
                        Err(f) => return failed(f),
                    };
                    let (id, origin, url) =
                        (page.id.clone(), page.origin.clone(), page.url.clone());
                    tokio::task::spawn_blocking(move || {
                        let started = std::time::Instant::now();
                        let mut r = me.cascade(&page, mode);
                        if let Ok(done) = &mut r {
                            done.article.process_time = Some(started.elapsed());
                        }
                        (page, r)
                    })
                    .await
                    .unwrap_or_else(|e| {
                        // The stages catch their own panics: this is a worker
                        // that could not run at all, recorded as the page's failure.
                        failed(Failure {
                            id,
                            origin,
                            url,
                            stage: Stage::Extract,
                            error: Box::new(Error::Internal(e.to_string())),
                        })
                    })
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
                    Ok(mut done) if mode == Mode::Batch => {
                        let me = self.clone();
                        let mut vocabulary = std::mem::take(&mut batch);
                        let (done, vocabulary, typos) = tokio::task::spawn_blocking(move || {
                            let started = std::time::Instant::now();
                            let typos = me.batch_typos(&mut done, &mut vocabulary);
                            let a = &mut done.article;
                            a.process_time = a.process_time.map(|t| t + started.elapsed());
                            (done, vocabulary, typos)
                        })
                        .await
                        .map_err(|e| Error::Internal(e.to_string()))?;
                        batch = vocabulary;
                        typos
                            .map(|()| done.article)
                            .map_err(|e| Failure::of(&page, Stage::Repair, e))
                    }
                    other => other.map(|done| done.article),
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

/// How one page goes through the cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The stages, counting removals by reason.
    Process,
    /// The stages, also recording every removal ([`Pipeline::explain`]).
    Explain,
    /// The stages with the typo repair left out, for the batch's ordered
    /// pass ([`Pipeline::batch_typos`]).
    Batch,
}

/// A page between extract and the end of repair: the article being built
/// and what was removed so far.
struct Work {
    article: Article,
    removed: Tally,
    /// Extract took the page as a listing (see `strip::Context::items`).
    items: bool,
    /// The language typo repair judged the text by (declared or guessed).
    lang: Option<String>,
    /// The page's `Content-Language` header.
    header_lang: Option<String>,
}

/// A page through the cascade: its article, and the language its typo repair
/// judged it by (needed by the batch's later typo pass).
struct Done {
    article: Article,
    lang: Option<String>,
}

/// Runs one stage, turning a panic inside it (a bug) into an error of the
/// page, so that one bad page never ends a batch or a caller's thread. The
/// stage's partial work is dropped with the page.
fn guarded<T>(stage: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(stage)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        Err(Error::Internal(message))
    })
}

/// A page that never got as far as processing, as the sink receives it: an
/// empty page carrying the failure's id, origin and URL.
fn failed(f: Failure) -> (Page, Result<Done, Failure>) {
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
