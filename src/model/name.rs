//! What a name is: the tidy form every reader gives the customer, seller
//! and group names it reads, so that the filters, the collectors and the
//! core compare names alike whichever reader read them.

/// Tidy a name: trim, collapse runs of white space (no-break spaces too)
/// into one space, drop zero-width characters and turn control characters
/// into spaces.
pub fn clean_name(raw: &str, out: &mut String) {
    out.clear();
    if is_tidy(raw) {
        out.push_str(raw); // the common case: nothing to tidy
        return;
    }
    let t = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    let mut gap = false;
    for c in t.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    // Normalised last, once invisible characters are gone: a zero-width
    // space between a letter and its combining mark kept them apart.
    if unicode_normalization::is_nfc_quick(out.chars()) != unicode_normalization::IsNormalized::Yes {
        // "Malmö" typed with a combining diaeresis is the same name.
        *out = unicode_normalization::UnicodeNormalization::nfc(out.as_str()).collect();
    }
}

/// Whether `clean_name` would leave `s` as it is: single spaces only
/// between words, no other white space, no control or invisible
/// characters, and NFC. One pass over the bytes, without branches, decides
/// names of ASCII and the letters of Latin-1 (`Malmö Åkeri AB`, U+00C0 to
/// U+00FF: two bytes led by 0xC3, none of them white space, control,
/// invisible or a combining mark, so such a name is NFC); the characters
/// are looked at only when there are others.
fn is_tidy(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let double = b.iter().zip(b.iter().skip(1)).fold(false, |acc, (&x, &y)| acc | ((x == b' ') & (y == b' ')));
    let control = b.iter().fold(false, |acc, &c| acc | (c < 0x20) | (c == 0x7f));
    if double || control {
        return false;
    }
    // A byte from 0x80 is a continuation (0x80-0xBF) or 0xC3, the lead of
    // U+00C0-U+00FF; 0xC2 would lead U+0080-U+00BF (controls, the no-break
    // space, the soft hyphen).
    let latin1 = b.iter().fold(true, |acc, &c| acc & (c < 0xC2 || c == 0xC3));
    latin1
        || (s.chars().all(|c| c.is_ascii() || !(c.is_whitespace() || c.is_control() || is_invisible(c)))
            && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes)
}

/// `is_tidy` character by character (as it was before the byte pass), to
/// check the byte pass against.
#[cfg(test)]
fn is_tidy_by_chars(s: &str) -> bool {
    let t = s.trim_start_matches(' ').trim_end_matches(' ');
    t.len() == s.len()
        && !s.contains("  ")
        && s.chars().all(|c| c == ' ' || !(c.is_whitespace() || c.is_control() || is_invisible(c)))
        && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}')
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_byte_pass_sees_tidy_names_as_the_characters_do(
            s in "[a-zA-Z 0-9\u{c0}-\u{ff}\u{80}-\u{bf}\u{100}-\u{17f}\u{300}-\u{310}\t\u{200b}\u{2028}\u{1}\u{7f}]{0,8}"
        ) {
            proptest::prop_assert_eq!(is_tidy(&s), is_tidy_by_chars(&s));
        }

        #[test]
        fn a_name_said_to_be_tidy_is_left_as_it_is(s in "[a-zA-Z åäöÅÄÖ\t\u{a0}\u{200b}\u{308}\u{1}\u{7f}-]{0,8}") {
            let mut out = String::new();
            clean_name(&s, &mut out);
            if is_tidy(&s) {
                proptest::prop_assert_eq!(&out, &s);
            }
            // Tidying twice changes nothing more.
            let mut again = String::new();
            clean_name(&out, &mut again);
            proptest::prop_assert_eq!(&again, &out);
        }
    }

    #[test]
    fn ordinary_names_are_seen_to_be_tidy() {
        for s in ["Acme AB", "Malmö Åkeri AB", "", "Ω"] {
            assert!(is_tidy(s), "{s:?}");
        }
        for s in [" Acme", "Acme ", "Acme  AB", "Acme\tAB", "Acme\u{a0}AB", "Acme\u{200b}", "Malmo\u{308}"] {
            assert!(!is_tidy(s), "{s:?}");
        }
    }

    #[test]
    fn names_are_tidied() {
        let mut s = String::new();
        clean_name("  Acme\u{a0}\u{a0}AB ", &mut s);
        assert_eq!(s, "Acme AB");
        clean_name("Ac\u{200b}me\tAB\u{1f}x", &mut s);
        assert_eq!(s, "Acme AB x");
        clean_name("Plain Name", &mut s);
        assert_eq!(s, "Plain Name");
        clean_name("Malmo\u{308}", &mut s);
        assert_eq!(s, "Malmö");
        // A zero-width space between a letter and its mark: the same name.
        clean_name("Malmo\u{200b}\u{308}", &mut s);
        assert_eq!(s, "Malmö");
    }
}
