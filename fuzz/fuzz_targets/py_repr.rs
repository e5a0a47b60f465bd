//! Python `repr()` literals (`parse_py_repr`, `parse_py_repr_prefix`) and the Python
//! tracebacks under cfn-hup ERROR records, on arbitrary text (lossy UTF-8).
#![no_main]

use eblog_fuzz::{assert_opt_within, assert_str_within, touch};
use eblog_grammars::{py_repr, py_traceback};
use libfuzzer_sys::fuzz_target;

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    let whole = py_repr::parse_py_repr(text);
    let prefix = py_repr::parse_py_repr_prefix(text);
    match &prefix {
        Ok((value, used)) => {
            assert!(*used <= text.len(), "used {used} > {}", text.len());
            assert!(text.is_char_boundary(*used), "used {used} is inside a char");
            let rest = &text[*used..];
            // `parse_py_repr` is the prefix parse plus "only whitespace follows".
            match &whole {
                Ok(v) => {
                    assert_eq!(v, value, "whole and prefix parses differ");
                    assert!(rest.trim_start_matches(is_ws).is_empty());
                }
                Err(e) => {
                    assert!(!rest.trim_start_matches(is_ws).is_empty(), "{e}");
                    assert!(e.offset >= *used && e.offset <= text.len(), "{e}");
                }
            }
        }
        Err(e) => {
            assert!(
                e.offset <= text.len(),
                "error offset {} > {}",
                e.offset,
                text.len()
            );
            assert!(
                whole.is_err(),
                "whole parse succeeded where the prefix parse failed"
            );
        }
    }
    if let Err(e) = &whole {
        assert!(
            e.offset <= text.len(),
            "error offset {} > {}",
            e.offset,
            text.len()
        );
    }

    if let Some(tb) = py_traceback::parse_traceback(text) {
        for frame in &tb.frames {
            assert_str_within(text, frame, "traceback frame");
        }
        assert_opt_within(text, tb.exception, "traceback exception");
        touch(&tb);
    }
});
