//! Where in a JSON document a byte offset falls, as a path (`nodes[3].kind`).
//!
//! serde_json reports a type error by line and column only. The scenario
//! reader re-reads the document as one compact line, so the column is a byte
//! offset, and this turns it into the path a user can find in their file.
//! (A path-tracking deserializer did the same job, but it compiled the
//! scenario's `Deserialize` a second time, for its `Value` reader: 5.2 KB
//! gzip of wasm, BENCHMARKS.md section 5.)

/// One level of nesting the scan is inside.
enum Level {
    /// Inside an object; the key whose value comes (or came) last.
    Object(Option<String>),
    /// Inside an array; the index of the element begun last, if any.
    Array(Option<usize>),
}

/// The path of the innermost value that `text[..end]` has entered and not
/// left. Empty for the whole document. `text` must be well-formed JSON (it
/// comes from serializing a `serde_json::Value`); any `end` is accepted.
pub(crate) fn path_at(text: &str, end: usize) -> String {
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let mut levels: Vec<Level> = Vec::new();
    // In an object, a string seen before a `:` is a key.
    let mut expecting_key = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !b.is_ascii_whitespace() && !matches!(b, b']' | b'}' | b',' | b':') && !expecting_key {
            // A value begins: in an array it is the next element.
            if let Some(Level::Array(index)) = levels.last_mut() {
                index.get_or_insert(0);
            }
        }
        match b {
            b'{' => {
                levels.push(Level::Object(None));
                expecting_key = true;
            }
            b'[' => levels.push(Level::Array(None)),
            b'}' | b']' => {
                levels.pop();
                expecting_key = false;
            }
            b',' => match levels.last_mut() {
                Some(Level::Array(Some(index))) => *index += 1,
                Some(Level::Object(_)) => expecting_key = true,
                _ => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Level::Object(key)) = levels.last_mut() {
                        let stop = i.min(bytes.len());
                        *key = Some(String::from_utf8_lossy(&bytes[start..stop]).into_owned());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Array(Some(index)) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path at the end of `text`.
    fn at_end(text: &str) -> String {
        path_at(text, text.len())
    }

    #[test]
    fn names_keys_and_indexes_down_to_the_value_being_read() {
        assert_eq!(at_end(r#"{"a":{"b":[1,{"c":"x"#), "a.b[1].c");
        assert_eq!(at_end(r#"{"a":[7,8,9"#), "a[2]");
        assert_eq!(at_end(r#"{"a":1,"bogus""#), "bogus");
    }

    #[test]
    fn a_closed_value_is_left_and_its_container_named() {
        // Where serde notices a missing field: just past the object's `}`.
        assert_eq!(at_end(r#"{"nodes":[{"id":"a"}"#), "nodes[0]");
        assert_eq!(at_end(r#"{"a":{"b":1}}"#), "");
        assert_eq!(at_end(r#"["#), "");
    }

    #[test]
    fn quotes_and_brackets_inside_strings_are_text() {
        assert_eq!(at_end(r#"{"a\"]}":{"b":"[{,"#), "a\\\"]}.b");
    }
}
