//! "Did you mean" suggestions for misspelt names (config keys, editions,
//! codes, crates) and license ids.

use std::cmp::Ordering;

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
///
/// Uses the Jaro-Winkler similarity (as cargo's and clap's suggestions do): it
/// favours a shared prefix, which is how most typos in keys look
/// (`licence` → `license`, `enterprize` → `enterprise`).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `; did you mean `x`?` or nothing, for appending to a message.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?")).unwrap_or_default()
}

/// For identifiers whose repair may be applied (SPDX license ids): the
/// nearest candidate name by case-insensitive Damerau–Levenshtein distance,
/// as the text it is written with, and whether it is the one clear intent.
/// Distant guesses are worse than none, so at most two edits are allowed and
/// never more than a third of the word. A single edit on a word of six or
/// more characters with one nearest candidate counts as clear.
pub fn nearest(word: &str, candidates: impl Iterator<Item = (&'static str, String)>) -> Option<(String, bool)> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<usize> = None;
    let mut at_best: Vec<String> = Vec::new();
    for (name, preferred) in candidates {
        let d = strsim::damerau_levenshtein(&lower, &name.to_ascii_lowercase());
        match best.map(|b| d.cmp(&b)) {
            None | Some(Ordering::Less) => {
                best = Some(d);
                at_best = vec![preferred];
            }
            Some(Ordering::Equal) => {
                if !at_best.contains(&preferred) {
                    at_best.push(preferred);
                }
            }
            Some(Ordering::Greater) => {}
        }
    }
    let d = best?;
    let len = word.chars().count();
    if d == 0 || d > 2 || d * 3 > len {
        return None;
    }
    let clear = d == 1 && len >= 6 && at_best.len() == 1;
    at_best.into_iter().next().map(|s| (s, clear))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_rejects_strangers() {
        let keys = ["license", "uses", "features"];
        assert_eq!(closest("licence", keys), Some("license"));
        assert_eq!(closest("feature", keys), Some("features"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(did_you_mean("enterprize", ["community", "enterprise"]), "did you mean `enterprise`?");
    }
}
