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
        let (score, pages) = pith::eval::run_set(&pipeline, dir, &scorer).unwrap();
        println!(
            "{name}: {} pages, precision {:.3} recall {:.3} F1 {:.3}",
            pages.len(),
            score.precision,
            score.recall,
            score.f1
        );
        below.extend(floors.below(name, &score));
    }
    assert!(below.is_empty(), "{}", below.join("\n"));
}
