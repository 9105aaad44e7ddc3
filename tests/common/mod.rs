//! Helpers shared by the integration tests.

/// Deterministic pseudo-random bytes (xorshift64), for junk inputs.
#[allow(dead_code)]
pub fn xorshift_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The built `pith` binary, with `CI` unset (so golden checks may write
/// `.new` files) and standard input closed.
#[allow(dead_code)]
pub fn pith() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pith"));
    c.env_remove("CI");
    c.stdin(Stdio::null());
    c
}

/// Runs `cmd` with `input` on its standard input.
#[allow(dead_code)]
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// A run's exit code, stdout and stderr, for assertion messages.
#[allow(dead_code)]
pub fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
