//! Usage: fst-builder WORDS.tsv OUT.fst
//! Reads `word<TAB>value` lines sorted by word (byte order) and writes an fst::Map.
use std::io::{BufRead, BufReader, BufWriter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        return Err("usage: fst-builder WORDS.tsv OUT.fst".into());
    }
    let input = BufReader::new(std::fs::File::open(&args[1])?);
    let out = BufWriter::new(std::fs::File::create(&args[2])?);
    let mut map = fst::MapBuilder::new(out)?;
    for line in input.lines() {
        let line = line?;
        let (word, value) = line.split_once('\t').ok_or("line without a tab")?;
        map.insert(word, value.parse::<u64>()?)?;
    }
    map.finish()?;
    Ok(())
}
