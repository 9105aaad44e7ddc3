//! `pith fetch` against a real HTTP server on 127.0.0.1, started inside each
//! test (a plain Tokio listener; no other network). The server serves pages
//! and faults; every fault must end in the right manifest record, and nothing
//! may be lost, including across `kill -9`. See issue #5.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_pith");

/// Options that keep every test fast: short backoff and timeouts (each test
/// sets its own `--delay`).
const FAST: [&str; 8] = [
    "--retry-base",
    "10ms",
    "--first-byte-timeout",
    "400ms",
    "--timeout",
    "3s",
    "--connect-timeout",
    "1s",
];

// ---------------------------------------------------------------- the server

#[derive(Default)]
struct State {
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    agents: Mutex<Vec<String>>,
    inflight: AtomicUsize,
    max_inflight: AtomicUsize,
    /// Milliseconds every /page/ response waits before its headers.
    page_latency_ms: AtomicUsize,
}

struct Server {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Server {
    fn start() -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let st = state.clone();
        let bomb = Arc::new(gzip(&vec![b'a'; 20 * 1024 * 1024]));
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((sock, _)) = listener.accept().await else {
                        continue;
                    };
                    let st = st.clone();
                    let bomb = bomb.clone();
                    tokio::spawn(async move {
                        let _ = handle(sock, st, bomb).await;
                    });
                }
            });
        });
        Server { addr, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self, path: &str) -> usize {
        self.state
            .hits
            .lock()
            .unwrap()
            .get(path)
            .map_or(0, |v| v.len())
    }

    fn hit_times(&self, path: &str) -> Vec<Instant> {
        self.state
            .hits
            .lock()
            .unwrap()
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    fn hits_under(&self, prefix: &str) -> usize {
        self.state
            .hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v.len())
            .sum()
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The article served at /page/N.
fn page_html(n: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {n}</title></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>Report {n}</h1>\
         <p>Report number {n} says the river rose by a metre before dusk and the town council opened two shelters.</p>\
         <p>Farmers near the valley told reporters that the water would help the late crops after a dry summer.</p>\
         <p>The weather service expects the rain to ease by Thursday, when the bridge should open again.</p>\
         </article><footer>Copyright</footer></body></html>"
    )
}

/// The first line of /page/N's text.
fn page_text(n: &str) -> String {
    format!("Report number {n} says the river rose by a metre before dusk and the town council opened two shelters.")
}

const RUSSIAN: &str = "Дождь шёл весь день, и река в долине поднялась на метр ещё до сумерек.";

fn koi8_page() -> Vec<u8> {
    let html = format!(
        "<html lang=\"ru\"><head><title>Погода</title></head><body><article>\
         <p>{RUSSIAN}</p>\
         <p>Фермеры говорят, что вода поможет поздним посевам после сухого лета, а совет открыл два приюта.</p>\
         <p>Синоптики ожидают, что к четвергу дождь ослабнет и мост снова откроют для пешеходов и машин.</p>\
         <p>Жители соседних сёл привезли в приюты одеяла, хлеб и горячий чай для тех, кто остался без крова.</p>\
         </article></body></html>"
    );
    encoding_rs::KOI8_R.encode(&html).0.into_owned()
}

async fn handle(mut sock: TcpStream, st: Arc<State>, bomb: Arc<Vec<u8>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut chunk).await?;
        if n == 0 || buf.len() > 64 * 1024 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split('?').next().unwrap_or("/").to_owned();
    if let Some(ua) = head.lines().find_map(|l| {
        l.strip_prefix("user-agent: ")
            .or(l.strip_prefix("User-Agent: "))
    }) {
        st.agents.lock().unwrap().push(ua.to_owned());
    }
    let hit = {
        let mut hits = st.hits.lock().unwrap();
        let v = hits.entry(path.clone()).or_default();
        v.push(Instant::now());
        v.len()
    };
    let counted = path.starts_with("/page/");
    if counted {
        let now = st.inflight.fetch_add(1, Ordering::SeqCst) + 1;
        st.max_inflight.fetch_max(now, Ordering::SeqCst);
        let ms = st.page_latency_ms.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(ms as u64)).await;
    }
    let res = respond(&mut sock, &path, hit, &bomb).await;
    if counted {
        st.inflight.fetch_sub(1, Ordering::SeqCst);
    }
    res
}

async fn send(
    sock: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    sock.write_all(out.as_bytes()).await?;
    sock.write_all(body).await?;
    sock.shutdown().await
}

async fn respond(sock: &mut TcpStream, path: &str, hit: usize, bomb: &[u8]) -> std::io::Result<()> {
    const HTML: (&str, &str) = ("Content-Type", "text/html; charset=utf-8");
    let page = |n: &str| page_html(n).into_bytes();
    match path {
        "/robots.txt" => {
            let body = b"User-agent: *\nDisallow: /private/\n";
            send(sock, "200 OK", &[("Content-Type", "text/plain")], body).await
        }
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            send(sock, "200 OK", &[HTML], &page("slow")).await
        }
        "/flaky" if hit == 1 => send(sock, "500 Internal Server Error", &[], b"oops").await,
        "/flaky" => send(sock, "200 OK", &[HTML], &page("flaky")).await,
        "/busy" if hit == 1 => {
            send(sock, "429 Too Many Requests", &[("Retry-After", "1")], b"").await
        }
        "/busy" => send(sock, "200 OK", &[HTML], &page("busy")).await,
        "/r/3" => send(sock, "302 Found", &[("Location", "/r/2")], b"").await,
        "/r/2" => {
            let to = "../r/1";
            send(sock, "301 Moved Permanently", &[("Location", to)], b"").await
        }
        "/r/1" => {
            send(
                sock,
                "307 Temporary Redirect",
                &[("Location", "/page/7")],
                b"",
            )
            .await
        }
        "/loop/a" => send(sock, "302 Found", &[("Location", "/loop/b")], b"").await,
        "/loop/b" => send(sock, "302 Found", &[("Location", "/loop/a")], b"").await,
        "/reset" if hit == 1 => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20000\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(&page("reset")[..200]).await?;
            sock.flush().await?;
            // Close with a reset (RST), mid-body.
            #[allow(deprecated)]
            sock.set_linger(Some(Duration::ZERO))?;
            Ok(())
        }
        "/reset" => send(sock, "200 OK", &[HTML], &page("reset")).await,
        "/bomb" => {
            let headers = [HTML, ("Content-Encoding", "gzip")];
            send(sock, "200 OK", &headers, bomb).await
        }
        "/big" => {
            // No Content-Length: the cap must hold while streaming.
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            let filler = vec![b'x'; 64 * 1024];
            for _ in 0..40 {
                if sock.write_all(&filler).await.is_err() {
                    break;
                }
            }
            Ok(())
        }
        "/big-declared" => send(sock, "200 OK", &[HTML], &vec![b'y'; 2 * 1024 * 1024]).await,
        "/doc.pdf" => {
            send(
                sock,
                "200 OK",
                &[("Content-Type", "application/pdf")],
                b"%PDF-1.4\n",
            )
            .await
        }
        "/koi8" => {
            let ct = ("Content-Type", "text/html; charset=koi8-r");
            send(sock, "200 OK", &[ct], &koi8_page()).await
        }
        "/no-lang" => {
            // English words, no lang in the markup, German by its header.
            let body = page_html("7").replace(" lang=\"en\"", "");
            send(
                sock,
                "200 OK",
                &[HTML, ("Content-Language", "de-DE")],
                body.as_bytes(),
            )
            .await
        }
        "/missing" => send(sock, "404 Not Found", &[HTML], b"<p>no</p>").await,
        p if p.starts_with("/page/") || p.starts_with("/private/") => {
            let n = p.rsplit('/').next().unwrap_or("0");
            send(sock, "200 OK", &[HTML], &page(n)).await
        }
        _ => send(sock, "404 Not Found", &[], b"").await,
    }
}

// ---------------------------------------------------------------- helpers

fn pith() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("CI").stdin(Stdio::null());
    c
}

fn run(cmd: &mut Command) -> Output {
    let o = cmd.output().expect("run pith");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "pith panicked:\n{err}");
    o
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write_list(dir: &Path, urls: &[String]) -> PathBuf {
    let p = dir.join("urls.txt");
    let mut text = String::from("# test list\n\n");
    for u in urls {
        text.push_str(u);
        text.push('\n');
    }
    fs::write(&p, text).unwrap();
    p
}

fn manifest(out: &Path) -> Vec<Value> {
    fs::read_to_string(out.join("manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// The manifest record of the URL at `index`, which must be the only one.
fn record(rows: &[Value], index: usize) -> &Value {
    let prefix = format!("{index:03}_");
    let found: Vec<&Value> = rows
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with(&prefix))
        .collect();
    assert_eq!(found.len(), 1, "records for URL {index}: {found:?}");
    found[0]
}

fn no_temp_files(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
    }
}

// ---------------------------------------------------------------- tests

#[test]
fn issue_5_every_fault_ends_in_the_right_record() {
    let s = Server::start();
    let t = tempfile::tempdir().unwrap();
    let cred = format!("http://reader:hunter2@{}/page/cred", s.addr);
    let urls: Vec<String> = vec![
        s.url("/page/1"),                    // 0
        s.url("/slow"),                      // 1
        s.url("/flaky"),                     // 2
        s.url("/busy"),                      // 3
        s.url("/r/3"),                       // 4
        s.url("/loop/a"),                    // 5
        s.url("/missing"),                   // 6
        s.url("/reset"),                     // 7
        s.url("/bomb"),                      // 8
        s.url("/big"),                       // 9
        s.url("/big-declared"),              // 10
        s.url("/doc.pdf"),                   // 11
        s.url("/koi8"),                      // 12
        s.url("/private/x"),                 // 13
        "not a url".to_owned(),              // 14
        "ftp://example.com/file".to_owned(), // 15
        cred,                                // 16
        s.url("/page/2"),                    // 17
    ];
    let list = write_list(t.path(), &urls);
    let out = t.path().join("out");
    let started = Instant::now();
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .arg("--out")
        .arg(&out)
        .args(FAST)
        .args([
            "--delay",
            "0",
            "--max-bytes",
            "1000000",
            "--concurrency",
            "8",
        ]));
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );

    let rows = manifest(&out);
    assert_eq!(rows.len(), urls.len(), "one record per URL: {rows:#?}");
    let status = |i: usize| record(&rows, i)["status"].as_str().unwrap().to_owned();
    let error = |i: usize| record(&rows, i)["error"].as_str().unwrap_or("").to_owned();
    let attempts = |i: usize| record(&rows, i)["attempts"].as_u64().unwrap();
    let text = |i: usize| {
        let id = record(&rows, i)["id"].as_str().unwrap().to_owned();
        fs::read_to_string(out.join(format!("{id}.txt"))).unwrap()
    };

    // Plain pages, and the manifest fields.
    for (i, n) in [(0, "1"), (17, "2")] {
        let r = record(&rows, i);
        assert_eq!(r["status"], "ok", "{r}");
        assert_eq!(r["url"], urls[i]);
        assert_eq!(r["final_url"], urls[i]);
        assert_eq!(r["http_status"], 200);
        assert_eq!(r["content_type"], "text/html; charset=utf-8");
        assert_eq!(r["attempts"], 1);
        assert_eq!(r["title"], format!("Report {n}"));
        assert!(r["bytes"].as_u64().unwrap() > 500);
        assert!(r["fetch_ms"].is_u64() && r["process_ms"].is_number(), "{r}");
        assert_eq!(r["encoding"], "UTF-8");
        assert!(text(i).starts_with(&page_text(n)), "{}", text(i));
    }
    assert!(record(&rows, 0)["id"].as_str().unwrap().starts_with("000_"));

    // Slow: no response within the first-byte timeout; not retried.
    assert_eq!(status(1), "failed");
    assert!(error(1).contains("no response within"), "{}", error(1));
    assert_eq!(attempts(1), 1);
    // 500 then 200: retried.
    assert_eq!(status(2), "ok");
    assert_eq!(attempts(2), 2);
    assert_eq!(s.hits("/flaky"), 2);
    // 429 with Retry-After: 1 s honoured.
    assert_eq!(status(3), "ok");
    assert_eq!(attempts(3), 2);
    let busy = s.hit_times("/busy");
    assert!(busy[1] - busy[0] >= Duration::from_millis(950), "{busy:?}");
    // A redirect chain, relative Locations included.
    assert_eq!(status(4), "ok");
    assert_eq!(attempts(4), 1, "redirects are not attempts");
    assert_eq!(record(&rows, 4)["final_url"], s.url("/page/7"));
    assert!(text(4).starts_with(&page_text("7")));
    // A redirect loop.
    assert_eq!(status(5), "failed");
    assert!(error(5).contains("redirect loop"), "{}", error(5));
    // 404: failed at once.
    assert_eq!(status(6), "failed");
    assert_eq!(record(&rows, 6)["http_status"], 404);
    assert_eq!(attempts(6), 1);
    assert_eq!(s.hits("/missing"), 1);
    // A reset mid-body: retried.
    assert_eq!(status(7), "ok");
    assert_eq!(attempts(7), 2);
    assert!(text(7).starts_with(&page_text("reset")));
    // A gzip bomb and two bodies over the cap.
    for i in [8, 9, 10] {
        assert_eq!(status(i), "failed", "{}", urls[i]);
        assert!(error(i).contains("over the limit"), "{}", error(i));
        assert!(record(&rows, i)["bytes"].as_u64().unwrap() <= 1_000_000);
        assert_eq!(attempts(i), 1);
    }
    // Not HTML: skipped, with the reason.
    assert_eq!(status(11), "skipped");
    assert!(
        error(11).contains("not HTML: application/pdf"),
        "{}",
        error(11)
    );
    // Charset only in the HTTP header.
    assert_eq!(status(12), "ok");
    assert_eq!(record(&rows, 12)["encoding"], "KOI8-R");
    assert!(text(12).starts_with(RUSSIAN), "{}", text(12));
    // robots.txt disallows /private/: skipped, never requested.
    assert_eq!(status(13), "skipped");
    assert!(error(13).contains("robots.txt"), "{}", error(13));
    assert_eq!(s.hits_under("/private/"), 0);
    assert_eq!(s.hits("/robots.txt"), 1, "robots.txt is cached per host");
    // Invalid URLs are recorded, not fatal.
    assert_eq!(status(14), "failed");
    assert!(error(14).contains("invalid URL"), "{}", error(14));
    assert_eq!(status(15), "failed");
    assert!(error(15).contains("only http and https"), "{}", error(15));
    // Credentials are used but never shown.
    assert_eq!(status(16), "ok");
    assert_eq!(record(&rows, 16)["url"], s.url("/page/cred"));
    let manifest_text = fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    assert!(!manifest_text.contains("hunter2"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("hunter2"));

    // The User-Agent names pith and its version.
    let agents = s.state.agents.lock().unwrap().clone();
    assert!(!agents.is_empty());
    for a in &agents {
        assert!(
            a.starts_with(&format!("pith/{} (+", env!("CARGO_PKG_VERSION"))),
            "{a}"
        );
    }
    let err = String::from_utf8_lossy(&o.stderr);
    let summary = err.lines().last().unwrap();
    assert!(
        summary.contains("18 URLs: 8 ok, 8 failed, 2 skipped") && summary.contains("manifest"),
        "{err}"
    );
    no_temp_files(&out);

    // The same command again: ok pages are not fetched again, the rest are,
    // and every URL still has exactly one record.
    let before = s.hits("/page/1");
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .arg("--out")
        .arg(&out)
        .args(FAST)
        .args([
            "--delay",
            "0",
            "--max-bytes",
            "1000000",
            "--concurrency",
            "8",
        ]));
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(s.hits("/page/1"), before);
    assert_eq!(s.hits("/missing"), 2);
    let rows = manifest(&out);
    assert_eq!(rows.len(), urls.len());
    for i in 0..urls.len() {
        record(&rows, i);
    }
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("(8 ok from an earlier run)"), "{err}");
}

#[test]
fn issue_5_per_host_limit_and_delay_are_honoured() {
    let s = Server::start();
    s.state.page_latency_ms.store(120, Ordering::SeqCst);
    let t = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..6).map(|i| s.url(&format!("/page/{i}"))).collect();
    let list = write_list(t.path(), &urls);
    let out = t.path().join("out");
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .arg("--out")
        .arg(&out)
        .args(FAST)
        .args(["--per-host", "2", "--concurrency", "16", "--delay", "100ms"]));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(s.state.max_inflight.load(Ordering::SeqCst), 2);
    let mut starts: Vec<Instant> = (0..6)
        .flat_map(|i| s.hit_times(&format!("/page/{i}")))
        .collect();
    starts.sort();
    for w in starts.windows(2) {
        assert!(
            // 100 ms apart when sent; some slack for a loaded machine.
            w[1] - w[0] >= Duration::from_millis(60),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn issue_5_deny_private_refuses_loopback_names_and_addresses() {
    let s = Server::start();
    let t = tempfile::tempdir().unwrap();
    let port = s.addr.port();
    let urls = vec![
        s.url("/page/1"),
        format!("http://localhost:{port}/page/2"),
        format!("http://[::1]:{port}/page/3"),
        format!("http://[::ffff:127.0.0.1]:{port}/page/4"),
    ];
    let list = write_list(t.path(), &urls);
    let out = t.path().join("out");
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .arg("--out")
        .arg(&out)
        .arg("--deny-private")
        .args(FAST)
        .args(["--delay", "0"]));
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let rows = manifest(&out);
    for i in 0..urls.len() {
        let r = record(&rows, i);
        assert_eq!(r["status"], "failed", "{r}");
        assert!(r["error"].as_str().unwrap().contains("refused"), "{r}");
    }
    assert_eq!(s.hits_under("/"), 0, "nothing may reach the server");
}

#[test]
fn issue_5_kill_9_at_any_moment_then_rerun_gives_each_url_one_outcome() {
    let s = Server::start();
    s.state.page_latency_ms.store(15, Ordering::SeqCst);
    let t = tempfile::tempdir().unwrap();
    let n = 150;
    let urls: Vec<String> = (0..n).map(|i| s.url(&format!("/page/{i}"))).collect();
    let list = write_list(t.path(), &urls);
    let out = t.path().join("out");
    let cmd = || {
        let mut c = pith();
        c.arg("fetch")
            .arg(&list)
            .arg("--out")
            .arg(&out)
            .args(FAST)
            .args([
                "--delay",
                "0",
                "--per-host",
                "4",
                "--concurrency",
                "4",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    let records = || {
        fs::read_to_string(out.join("manifest.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter(|l| serde_json::from_str::<Value>(l).is_ok())
            .count()
    };
    // Kill while starting up (reading and compacting the manifest), and three
    // times mid-run, each once the manifest has grown past a different mark.
    for (i, mark) in [None, Some(10), Some(60), Some(110)]
        .into_iter()
        .enumerate()
    {
        let mut child = cmd().spawn().unwrap();
        let begun = Instant::now();
        match mark {
            None => std::thread::sleep(Duration::from_millis(40)),
            Some(m) => {
                while records() < m && begun.elapsed() < Duration::from_secs(20) {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let whole = records();
        assert!(whole <= n, "kill {i}: {whole} records");
        if let Some(m) = mark {
            assert!(
                (m..n).contains(&whole),
                "kill {i} was not mid-run: {whole} records"
            );
        }
    }
    let o = run(cmd().stderr(Stdio::piped()));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let rows = manifest(&out);
    assert_eq!(rows.len(), n, "exactly one record per URL");
    for (i, u) in urls.iter().enumerate() {
        let r = record(&rows, i);
        assert_eq!(r["status"], "ok", "{r}");
        assert_eq!(r["url"], *u);
        let id = r["id"].as_str().unwrap();
        let text = fs::read_to_string(out.join(format!("{id}.txt"))).unwrap();
        assert!(text.starts_with(&page_text(&i.to_string())), "{id}: {text}");
    }
    let txt = fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "txt")
        })
        .count();
    assert_eq!(txt, n);
    no_temp_files(&out);
}

#[test]
fn issue_5_raw_responses_extract_again_to_the_same_text() {
    let s = Server::start();
    let t = tempfile::tempdir().unwrap();
    let urls = vec![
        s.url("/page/1"),
        s.url("/koi8"),
        s.url("/r/3"),
        s.url("/doc.pdf"),
    ];
    let list = write_list(t.path(), &urls);
    let out = t.path().join("out");
    let raw = t.path().join("raw");
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .arg("--out")
        .arg(&out)
        .arg("--raw")
        .arg(&raw)
        .args(FAST)
        .args(["--delay", "0"]));
    assert_eq!(
        o.status.code(),
        Some(0),
        "skipped is not a failure: {}",
        show(&o)
    );
    let again = t.path().join("again");
    let o = run(pith().arg("extract").arg(&raw).arg("--out").arg(&again));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let rows = manifest(&out);
    let redone = manifest(&again);
    assert_eq!(redone.len(), 3, "the PDF was not kept");
    for r in rows.iter().filter(|r| r["status"] == "ok") {
        let id = r["id"].as_str().unwrap();
        let a = fs::read_to_string(out.join(format!("{id}.txt"))).unwrap();
        let b = fs::read_to_string(again.join(format!("{id}.txt"))).unwrap();
        assert_eq!(a, b, "{id}");
        let r2 = redone.iter().find(|x| x["id"] == id).unwrap();
        assert_eq!(r2["url"], r["final_url"]);
        assert_eq!(r2["encoding"], r["encoding"]);
    }

    // --jsonl works as for extract, with the fetch fields.
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .args(["--jsonl", "-", "-q", "--delay", "0"])
        .args(FAST));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    let pdf = lines.iter().find(|l| l["url"] == urls[3]).unwrap();
    assert_eq!(pdf["status"], "skipped");
    let koi8 = lines.iter().find(|l| l["url"] == urls[1]).unwrap();
    assert!(koi8["text"].as_str().unwrap().starts_with(RUSSIAN));
}

#[test]
fn content_language_names_the_language_the_markup_does_not() {
    let s = Server::start();
    let t = tempfile::tempdir().unwrap();
    let list = write_list(t.path(), &[s.url("/no-lang")]);
    let raw = t.path().join("raw");
    let o = run(pith()
        .arg("fetch")
        .arg(&list)
        .args(["--jsonl", "-", "-q", "--delay", "0", "--raw"])
        .arg(&raw)
        .args(FAST));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let line = |out: &[u8]| -> Value {
        serde_json::from_str(String::from_utf8_lossy(out).lines().next().unwrap()).unwrap()
    };
    let fetched = line(&o.stdout);
    assert_eq!(
        (&fetched["lang"], &fetched["lang_source"]),
        (&Value::from("de"), &Value::from("header")),
        "{fetched}"
    );
    // The kept response record carries the header to a later extract.
    let o = run(pith().arg("extract").arg(&raw).args(["--jsonl", "-", "-q"]));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let again = line(&o.stdout);
    assert_eq!(again["lang_source"], "header", "{again}");
    // Without the record, the text's language.
    let page = fs::read_dir(&raw)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "html"))
        .unwrap();
    let alone = t.path().join("alone.html");
    fs::copy(&page, &alone).unwrap();
    let o = run(pith()
        .arg("extract")
        .arg(&alone)
        .args(["--jsonl", "-", "-q"]));
    let text = line(&o.stdout);
    assert_eq!(
        (&text["lang"], &text["lang_source"]),
        (&Value::from("en"), &Value::from("text")),
        "{text}"
    );
    // Or the run's --content-language.
    let o = run(pith().arg("extract").arg(&alone).args([
        "--jsonl",
        "-",
        "-q",
        "--content-language",
        "fr",
    ]));
    let given = line(&o.stdout);
    assert_eq!(
        (&given["lang"], &given["lang_source"]),
        (&Value::from("fr"), &Value::from("header")),
        "{given}"
    );
}

#[test]
fn issue_5_library_fetcher_feeds_pipeline_run() {
    use pith::fetch::{Fetcher, Options, Target};
    let s = Server::start();
    let mut opts = Options::default();
    opts.host_delay = Duration::ZERO;
    opts.retry_base = Duration::from_millis(10);
    let fetcher = Fetcher::new(opts).unwrap();
    let list = format!("{}\n# a comment\n{}\n", s.url("/page/5"), s.url("/missing"));
    let targets = Target::list(&list);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut out = Collect(Vec::new());
    let report = rt
        .block_on(pith::Pipeline::default().run(fetcher.stream(targets), &mut out, 2, |_, _| {}))
        .unwrap();
    assert_eq!((report.ok, report.failed), (1, 1));
    out.0.sort();
    let [(first, ok), (second, missing)] = out.0.as_slice() else {
        panic!("{:?}", out.0)
    };
    assert!(first.starts_with("000_") && second.starts_with("001_"));
    assert!(ok.as_ref().unwrap().starts_with(&page_text("5")), "{ok:?}");
    assert!(
        missing.as_ref().unwrap_err().contains("HTTP 404"),
        "{missing:?}"
    );
}

/// A sink of one's own, as a crawler embedding pith would write.
struct Collect(Vec<(String, Result<String, String>)>);

impl pith::Sink for Collect {
    fn write(
        &mut self,
        page: &pith::Page,
        result: &Result<pith::Article, pith::Failure>,
    ) -> Result<(), pith::Error> {
        let r = match result {
            Ok(a) => Ok(a.text()),
            Err(f) => Err(f.error.to_string()),
        };
        self.0.push((page.id.clone(), r));
        Ok(())
    }
}

#[test]
fn issue_5_usage_and_configuration_errors_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let list = write_list(t.path(), &["http://127.0.0.1:9/x".to_owned()]);
    let out = t.path().join("out");
    for args in [
        vec!["fetch".into(), list.display().to_string()], // no --out or --jsonl
        vec![
            "fetch".into(),
            "no-such-list.txt".into(),
            "--out".into(),
            out.display().to_string(),
        ],
        vec![
            "fetch".into(),
            list.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--per-host".into(),
            "0".into(),
        ],
        vec![
            "fetch".into(),
            list.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--delay".into(),
            "soon".into(),
        ],
    ] {
        let o = run(pith().args(&args));
        assert_eq!(o.status.code(), Some(2), "{args:?}\n{}", show(&o));
    }
}
