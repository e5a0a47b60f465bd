//! Helpers shared by the fuzz targets in `fuzz_targets/`: cheap invariants about where the
//! grammars' borrowed output points, and the ways a target cuts its input into lines.

use eblog_grammars::common::Timestamp;

/// Panics unless the non-empty slice `inner` lies inside `outer` (by address). Empty
/// slices are exempt: a grammar may return a `""` that points anywhere.
pub fn assert_within(outer: &[u8], inner: &[u8], what: &str) {
    if inner.is_empty() {
        return;
    }
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    assert!(
        i >= o && i + inner.len() <= o + outer.len(),
        "{what}: {:?} is not a part of the input {:?}",
        String::from_utf8_lossy(inner),
        String::from_utf8_lossy(outer),
    );
}

/// [`assert_within`] for text.
pub fn assert_str_within(outer: &str, inner: &str, what: &str) {
    assert_within(outer.as_bytes(), inner.as_bytes(), what);
}

/// [`assert_str_within`] for an optional field.
pub fn assert_opt_within(outer: &str, inner: Option<&str>, what: &str) {
    if let Some(inner) = inner {
        assert_str_within(outer, inner, what);
    }
}

/// Panics unless `rest`, what a header parser left, is a suffix of `line` (by address).
pub fn assert_suffix(line: &[u8], rest: &[u8], what: &str) {
    let end = line.as_ptr() as usize + line.len();
    if rest.is_empty() {
        return;
    }
    assert!(
        rest.as_ptr() as usize >= line.as_ptr() as usize
            && rest.as_ptr() as usize + rest.len() == end,
        "{what}: the remaining input is not a suffix of the line"
    );
    assert!(rest.len() <= line.len(), "{what}: rest longer than line");
}

/// Panics when a timestamp's fraction fields contradict each other.
pub fn assert_timestamp(ts: &Timestamp, what: &str) {
    assert!(ts.fraction_digits <= 9, "{what}: {ts:?}");
    assert!(ts.nanos < 1_000_000_000, "{what}: {ts:?}");
    if ts.fraction_digits == 0 {
        assert_eq!(ts.nanos, 0, "{what}: {ts:?}");
    }
}

/// The input itself, then each of its `\n`-separated lines (without the `\n`) when it has
/// more than one.
pub fn byte_lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let many = data.contains(&b'\n');
    std::iter::once(data).chain(data.split(|&b| b == b'\n').filter(move |_| many))
}

/// [`byte_lines`] for text.
pub fn str_lines(text: &str) -> impl Iterator<Item = &str> {
    let many = text.contains('\n');
    std::iter::once(text).chain(text.split('\n').filter(move |_| many))
}

/// Forces a full walk of `value` (every field formatted), so that a lazily wrong slice
/// or a panicking `Debug` shows up.
pub fn touch<T: std::fmt::Debug>(value: &T) -> usize {
    format!("{value:?}").len()
}
