//! Golden cases: one named test per folder in `golden/`.
//!
//! `cargo test --test golden -- <case>` runs one case. A mismatch prints a
//! unified diff and, unless `CI` is set, writes `expected.txt.new` beside the
//! case for review. `PITH_BLESS=1 cargo test --test golden [-- <case>]`
//! accepts the current output (refusing outputs that contain a `without` string)
//! as `expected.txt` and its Markdown as `expected.md`, which is checked too.

use std::path::Path;
use std::sync::Mutex;

use libtest_mimic::{Arguments, Failed, Trial};
use pith::golden::{self, Outcome, Pipelines};

fn main() {
    let args = Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let cases = match golden::load_all(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("golden: {e}");
            std::process::exit(101);
        }
    };
    let bless = std::env::var_os("PITH_BLESS").is_some_and(|v| v == "1");
    let in_ci = std::env::var_os("CI").is_some();
    let pipelines = std::sync::Arc::new(Mutex::new(Pipelines::default()));
    let trials = cases
        .into_iter()
        .map(|case| {
            let pipelines = pipelines.clone();
            Trial::test(case.name.clone(), move || {
                let pipeline = pipelines
                    .lock()
                    .map_err(|e| Failed::from(e.to_string()))?
                    .get(&case)
                    .map_err(|e| Failed::from(e.to_string()))?;
                let page = case.page().map_err(|e| Failed::from(e.to_string()))?;
                let out = golden::Output::of(&pipeline, &page);
                if bless {
                    return golden::bless_output(&case, &out)
                        .map_err(|e| Failed::from(e.to_string()));
                }
                let (actual, markdown) = (out.text, out.markdown);
                match golden::check(&case, &actual).map_err(|e| Failed::from(e.to_string()))? {
                    Outcome::Pass => match golden::check_markdown(&case, &markdown)
                        .map_err(|e| Failed::from(e.to_string()))?
                    {
                        Outcome::Mismatch { diff } => Err(format!(
                            "{}: Markdown differs from expected.md\nwhy: {}\n{diff}",
                            case.name, case.why
                        )
                        .into()),
                        _ => Ok(()),
                    },
                    Outcome::Missing => {
                        if !in_ci {
                            let _ = golden::write_new(&case, &actual);
                        }
                        Err(format!(
                            "{}: no expected.txt (bless it with PITH_BLESS=1)",
                            case.name
                        )
                        .into())
                    }
                    Outcome::Forbidden { strings } => Err(format!(
                        "{}: output contains forbidden {strings:?}\nwhy: {}",
                        case.name, case.why
                    )
                    .into()),
                    Outcome::Mismatch { diff } => {
                        let mut msg = format!(
                            "{}: output differs from expected.txt\nwhy: {}\n{diff}",
                            case.name, case.why
                        );
                        if !in_ci {
                            if let Ok(p) = golden::write_new(&case, &actual) {
                                msg.push_str(&format!("\nwrote {}", p.display()));
                            }
                        }
                        Err(msg.into())
                    }
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
