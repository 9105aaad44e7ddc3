//! One run per output: a second run on a folder or a file that another run
//! is writing refuses at once (exit 2, naming the holder) and writes
//! nothing; a run killed with SIGKILL leaves a lock that blocks nothing and
//! a manifest that `--resume` makes whole. Tested with the real binary; the
//! first run holds its output on a `--input jsonl -` whose input stays open,
//! so nothing depends on timing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
use common::{pith, show};

fn page(topic: &str) -> String {
    format!(
        "<html lang=en><head><title>{topic}</title></head><body><article><h1>{topic}</h1>\
         <p>The council met on Monday to talk about the {topic}, and most of the people \
         who came said they wanted it settled before the winter.</p><p>A decision on the \
         {topic} is expected next month, after a second meeting.</p></article></body></html>"
    )
}

fn request(id: &str) -> String {
    format!("{}\n", json!({"id": id, "html": page(id)}))
}

/// Waits until `cond` holds: for a state another process reaches by itself
/// (no fixed sleep; the deadline only turns a hang into a failure).
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A `pith extract --input jsonl -` run writing `args`' output, holding it
/// while its standard input stays open; returned once it holds `lock`.
fn holder(args: &[&str], output: &Path, lock: &Path) -> (Child, ChildStdin) {
    let mut child = pith()
        .args(["extract", "--input", "jsonl", "-q"])
        .args(args)
        .arg(output)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let pid = format!("pid {},", child.id());
    wait_until("the first run's lock", || {
        fs::read_to_string(lock).is_ok_and(|s| s.starts_with(&pid))
    });
    (child, stdin)
}

/// Every file in `dir` and its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

fn manifest_lines(dir: &Path) -> Vec<Value> {
    let text = fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    assert!(text.is_empty() || text.ends_with('\n'), "{text:?}");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect()
}

fn ids(rows: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = rows
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_second_run_on_a_folder_being_written_refuses_and_a_killed_one_blocks_nothing() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let lock = out.join(".pith.lock");
    let (mut first, mut stdin) = holder(&["--out"], &out, &lock);
    stdin.write_all(request("a").as_bytes()).unwrap();
    stdin.flush().unwrap();
    wait_until("the first page", || {
        fs::read_to_string(out.join("manifest.jsonl")).is_ok_and(|m| m.ends_with('\n'))
    });
    let before = snapshot(&out);

    // (a) A second run on the same folder: refused at once, the holder named.
    let pages = t.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    for id in ["a", "b", "c"] {
        fs::write(pages.join(format!("{id}.html")), page(id)).unwrap();
    }
    for resume in [false, true] {
        let mut c = pith();
        c.arg("extract").arg("--out").arg(&out).arg(&pages);
        if resume {
            c.arg("--resume");
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("pid {}", first.id())), "{err}");
        assert!(err.contains("another pith run is writing it"), "{err}");
        assert!(
            err.contains("extract --input jsonl"),
            "the holder's command: {err}"
        );
        assert_eq!(snapshot(&out), before, "the refused run wrote something");
    }

    // (b) Killed (SIGKILL): its lock file stays, and blocks nothing. Say the
    // kill also tore the manifest's last line.
    first.kill().unwrap();
    first.wait().unwrap();
    drop(stdin);
    assert!(lock.exists());
    let mut m = fs::OpenOptions::new()
        .append(true)
        .open(out.join("manifest.jsonl"))
        .unwrap();
    m.write_all(b"{\"id\":\"b\",\"sou").unwrap();
    drop(m);
    let o = pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let rows = manifest_lines(&out);
    assert_eq!(ids(&rows), ["a", "b", "c"], "one line per page");
    assert!(!lock.exists(), "a run that ends removes its lock file");
    for id in ["a", "b", "c"] {
        assert!(fs::read_to_string(out.join(format!("{id}.txt")))
            .unwrap()
            .contains(&format!("about the {id}")));
    }
}

#[test]
fn a_second_run_on_a_jsonl_file_being_written_refuses() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("out.jsonl");
    let lock = t.path().join("out.jsonl.lock");
    fs::write(&file, "earlier\n").unwrap();
    let (mut first, stdin) = holder(&["--jsonl"], &file, &lock);
    let o = pith()
        .args(["extract", "--input", "jsonl", "--jsonl"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("pid {}", first.id())), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "earlier\n");
    // Standard output takes no lock: two runs may share it.
    let o = pith()
        .args(["extract", "--input", "jsonl", "--jsonl", "-", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // The first run, left to end, writes its file and removes its lock.
    drop(stdin);
    assert!(first.wait().unwrap().success());
    assert_eq!(fs::read_to_string(&file).unwrap(), "");
    assert!(!lock.exists());
    let names: Vec<String> = fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out.jsonl"]);
}

#[test]
fn resume_mends_a_last_manifest_line_without_its_line_break() {
    let t = tempfile::tempdir().unwrap();
    let pages = t.path().join("pages");
    fs::create_dir_all(&pages).unwrap();
    fs::write(pages.join("a.html"), page("a")).unwrap();
    let out = t.path().join("out");
    let o = pith()
        .args(["extract", "--out"])
        .arg(&out)
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // The record is whole but its `\n` never made it to the disk.
    let path = out.join("manifest.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.trim_end_matches('\n')).unwrap();
    fs::write(pages.join("b.html"), page("b")).unwrap();
    let o = pith()
        .args(["extract", "--resume", "--out"])
        .arg(&out)
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(ids(&manifest_lines(&out)), ["a", "b"]);
}
