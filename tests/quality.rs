//! The quality ratchet: extraction on every evaluation set in `../shared/bench`
//! must stay at or above the floors pinned in `quality.toml` (scored as
//! `../shared/bench/score.py` scores). Raise the floors with `pith eval
//! --raise` after an improvement; lowering one needs `--allow-regression`.

use std::path::Path;

#[test]
fn every_set_stays_above_its_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench");
    assert!(
        bench.is_dir(),
        "{} is missing: the evaluation sets live beside the repository",
        bench.display()
    );
    let floors = pith::eval::Floors::load(&root.join("quality.toml")).unwrap();
    let sets = pith::eval::sets(&bench).unwrap();
    assert!(
        !sets.is_empty(),
        "no evaluation sets in {}",
        bench.display()
    );
    let pipeline = pith::Pipeline::default();
    let scorer = pith::eval::Scorer::new().unwrap();
    let mut below = Vec::new();
    for (name, dir) in &sets {
        assert!(
            floors.0.contains_key(name),
            "set {name} has no floor in quality.toml"
        );
        let result = pith::eval::run_set(&pipeline, dir, &scorer).unwrap();
        let score = &result.score;
        println!(
            "{name}: {} pages ({}), precision {:.3} recall {:.3} F1 {:.3}",
            result.pages.len(),
            result.metric.name(),
            score.precision,
            score.recall,
            score.f1
        );
        below.extend(floors.below(name, score));
    }
    assert!(below.is_empty(), "{}", below.join("\n"));
}

/// `pith eval`'s word-bag metric gives the figures of WCXB's own scorer
/// (`../shared/bench/score_wcxb.py`), overall and per type, on predictions
/// made from the wcxb truth texts by cutting, repeating and re-casing them.
#[test]
fn word_bag_metric_matches_score_wcxb_py() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench");
    let truth_path = bench.join("wcxb/truth.jsonl");
    let raw = std::fs::read_to_string(&truth_path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut truth_out = String::new();
    let mut pred_out = String::new();
    let mut pages = Vec::new();
    for (i, line) in raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .step_by(7)
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap_or("").to_owned();
        let chars: Vec<char> = text.chars().collect();
        let pred: String = match i % 4 {
            0 => chars[..chars.len() / 2].iter().collect(),
            1 => format!("{text} Menu Home Contact {}", text.to_uppercase()),
            2 => String::new(),
            _ => chars[chars.len() / 3..].iter().collect(),
        };
        let id = v["id"].as_str().unwrap().to_owned();
        truth_out.push_str(line);
        truth_out.push('\n');
        pred_out.push_str(&serde_json::json!({"id": id, "text": pred}).to_string());
        pred_out.push('\n');
        pages.push((v, pred));
    }
    std::fs::write(dir.path().join("truth.jsonl"), &truth_out).unwrap();
    std::fs::write(dir.path().join("pred.jsonl"), &pred_out).unwrap();
    let out = std::process::Command::new("python3")
        .arg(bench.join("score_wcxb.py"))
        .arg("--truth")
        .arg(dir.path().join("truth.jsonl"))
        .arg("--pred")
        .arg(dir.path().join("pred.jsonl"))
        .args(["--json", "--per-type"])
        .output()
        .expect("python3 runs score_wcxb.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scorer = pith::eval::Scorer::new().unwrap();
    let mut by_type: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut all = Vec::new();
    for (v, pred) in &pages {
        let (_, _, f1) = scorer.word_bag(v["text"].as_str().unwrap_or(""), pred);
        all.push(f1);
        let ty = v["page_type"].as_str().unwrap_or("article").to_owned();
        by_type.entry(ty).or_default().push(f1);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(pages.len() > 200, "{}", pages.len());
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let got = mean(&all);
    assert!(close(got, want["f1"].as_f64().unwrap()), "{got} vs {want}");
    for (ty, f1s) in &by_type {
        let w = want["per_type"][ty]["f1"].as_f64().unwrap();
        assert!(close(mean(f1s), w), "{ty}: {} vs {w}", mean(f1s));
    }
}
