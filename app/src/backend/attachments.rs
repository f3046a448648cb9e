//! Files attached to cases (screenshots, logs): the type is read from the bytes (magic
//! numbers, through `infer`), never from the name; a size limit; a name made safe to show
//! and to offer as a download. Stored in the database, which every instance shares.

use super::store::NewAttachment;
use crate::error::{AppError, InvalidReason};

/// The longest file name kept (longer names are cut).
const NAME_MAX_CHARS: usize = 120;

/// What may be attached: images, PDF, and plain-text logs.
const ALLOWED: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"];

/// Checks one file and makes its name safe; refused files say why on the `attachment` field.
pub fn check(file_name: &str, content: Vec<u8>, max_bytes: usize) -> Result<NewAttachment, AppError> {
    if content.len() > max_bytes {
        return Err(AppError::invalid("attachment", InvalidReason::TooLong { max: max_bytes }));
    }
    if content.is_empty() {
        return Err(AppError::invalid("attachment", InvalidReason::Required));
    }
    let content_type = match infer::get(&content) {
        Some(kind) if ALLOWED.contains(&kind.mime_type()) => kind.mime_type().to_owned(),
        Some(kind) => {
            return Err(AppError::invalid(
                "attachment",
                InvalidReason::Malformed { detail: format!("{} files are not accepted", kind.mime_type()) },
            ));
        }
        // No magic number: accepted only as a text log (UTF-8, no NUL bytes).
        None if !content.contains(&0) && std::str::from_utf8(&content).is_ok() => "text/plain".to_owned(),
        None => {
            return Err(AppError::invalid(
                "attachment",
                InvalidReason::Malformed { detail: "unknown file type (images, PDF and text logs are accepted)".into() },
            ));
        }
    };
    Ok(NewAttachment { file_name: safe_name(file_name), content_type, content })
}

/// The last path component, without control characters or quotes, at most 120 characters.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .take(NAME_MAX_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "attachment".into() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn type_comes_from_the_bytes_not_the_name() {
        let png = check("screenshot.txt", PNG.to_vec(), 1024).unwrap();
        assert_eq!(png.content_type, "image/png");
        let log = check("error.png", b"2026-11-03 ERROR boom\n".to_vec(), 1024).unwrap();
        assert_eq!(log.content_type, "text/plain");
    }

    #[test]
    fn executables_archives_and_unknown_binaries_are_refused() {
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
        assert!(matches!(check("setup.exe", exe, 1024), Err(AppError::Invalid { .. })));
        let zip = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
        assert!(check("logs.zip", zip, 1024).is_err());
        assert!(check("blob.bin", vec![0, 1, 2, 3, 0xff], 1024).is_err());
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let err = check("big.log", vec![b'a'; 2048], 1024).unwrap_err();
        assert_eq!(err, AppError::invalid("attachment", InvalidReason::TooLong { max: 1024 }));
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\Users\\a\\shot\r\n.png"), "shot.png");
        assert_eq!(safe_name("\"><script>.png"), "script.png");
        assert_eq!(safe_name(""), "attachment");
    }
}
