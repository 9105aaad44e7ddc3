fn main() {
    let p = std::env::args().nth(1).unwrap();
    let s = std::fs::read_to_string(p).unwrap();
    let t = std::time::Instant::now();
    let d = scraper::Html::parse_document(&s);
    println!("parse {:?} nodes {}", t.elapsed(), d.tree.nodes().count());
}
