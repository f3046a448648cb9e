//! Files attached to cases (screenshots, logs): the type is read from the bytes (magic
//! numbers, through `infer`), never from the name; a size limit; a name made safe to show
//! and to offer as a download. Stored in the database, which every instance shares.

use super::cases::check_idempotency_key;
use super::store::{NewAttachment, Store, UserRecord};
use crate::domain::{Case, CaseNumber};
use crate::error::{AppError, InvalidReason};

/// The longest file name kept (longer names are cut).
const NAME_MAX_CHARS: usize = 120;

/// What may be attached: images, PDF, plain-text logs, and logs in a zip or gzip archive.
const ALLOWED: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"];
const ARCHIVES: &[&str] = &["application/zip", "application/gzip"];

/// An archive may expand to at most this many times its size...
const EXPANSION_RATIO_MAX: u64 = 100;
/// ...and never beyond this (a 10 MiB zip of logs expanding to 1 GiB is a bomb, not logs).
const EXPANDED_BYTES_MAX: u64 = 256 * 1024 * 1024;
const ARCHIVE_ENTRIES_MAX: usize = 10_000;

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
        Some(kind) if ARCHIVES.contains(&kind.mime_type()) => {
            check_archive(kind.mime_type(), &content)?;
            kind.mime_type().to_owned()
        }
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
                InvalidReason::Malformed {
                    detail: "unknown file type (images, PDF and text logs are accepted)".into(),
                },
            ));
        }
    };
    Ok(NewAttachment { file_name: safe_name(file_name), content_type, content })
}

/// Expands an archive without keeping it, to refuse a bomb (expanding beyond 100 times its
/// size, or 256 MiB), an unreadable or encrypted archive, or one of too many entries. The
/// declared sizes are not trusted: the bytes are counted as they come out.
fn check_archive(mime: &str, content: &[u8]) -> Result<(), AppError> {
    use std::io::Read;
    let refuse = |detail: &str| {
        tracing::warn!(mime, bytes = content.len(), detail, "archive refused");
        AppError::invalid("attachment", InvalidReason::Malformed { detail: detail.to_owned() })
    };
    let budget = (content.len() as u64).saturating_mul(EXPANSION_RATIO_MAX).min(EXPANDED_BYTES_MAX);
    let mut expanded: u64 = 0;
    let mut drain = |reader: &mut dyn Read| -> Result<(), AppError> {
        let mut limited = reader.take(budget.saturating_sub(expanded) + 1);
        let n = std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| refuse("the archive cannot be read"))?;
        expanded += n;
        if expanded > budget {
            return Err(refuse("the archive expands far beyond its size (an archive bomb)"));
        }
        Ok(())
    };
    if mime == "application/gzip" {
        return drain(&mut flate2::read::MultiGzDecoder::new(content));
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(content)).map_err(|_| refuse("the archive cannot be read"))?;
    if archive.len() > ARCHIVE_ENTRIES_MAX {
        return Err(refuse("the archive holds too many files"));
    }
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| refuse("the archive cannot be read (or is encrypted)"))?;
        drain(&mut entry)?;
    }
    Ok(())
}

/// Characters that change how the text around them is shown without being seen: bidi
/// embeddings, overrides and isolates (`invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`),
/// direction marks, zero-width characters and the byte-order mark.
fn invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The last path component, without control, bidi or zero-width characters or quotes, at
/// most 120 characters.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !invisible_format(*c) && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .take(NAME_MAX_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "attachment".into() } else { cleaned }
}

pub use super::store::FILES_PER_UPLOAD_MAX;

/// Attaches files to a case the user may see: every file is checked (type from its bytes,
/// size, archives expanded to refuse bombs) before any is kept; one refused file refuses
/// the upload, naming the file, and nothing changes.
pub async fn attach(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    files: Vec<(String, Vec<u8>)>,
    max_bytes: usize,
    idempotency_key: Option<&str>,
) -> Result<Case, AppError> {
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if let Some(key) = key {
        check_idempotency_key(key)?;
    }
    super::cases::case_for(store, user, number).await?;
    let attachments = match checked_files(files, max_bytes).await {
        Ok(attachments) => attachments,
        Err(e) => {
            tracing::info!(%number, user = user.id, error = %e, "upload refused");
            return Err(e);
        }
    };
    let case = store.add_attachments(number, user.case_scope(), user.id, &attachments, key).await?;
    tracing::info!(%number, user = user.id, files = attachments.len(), "files attached");
    Ok(case)
}

/// Checks uploaded files (type from the bytes, size, archive bombs), off the async threads:
/// expanding archives is CPU work. The first refused file names the error.
async fn checked_files(files: Vec<(String, Vec<u8>)>, max_bytes: usize) -> Result<Vec<NewAttachment>, AppError> {
    if files.is_empty() {
        return Err(AppError::invalid("file", InvalidReason::Required));
    }
    if files.len() > FILES_PER_UPLOAD_MAX {
        return Err(AppError::invalid("file", InvalidReason::TooLong { max: FILES_PER_UPLOAD_MAX }));
    }
    tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|(name, bytes)| {
                check(&name, bytes, max_bytes).map_err(|e| match e {
                    AppError::Invalid { reason, .. } => AppError::invalid(&format!("file {name}"), reason),
                    other => other,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// Files uploaded while a new case or a reply is written: checked now, so a refused file is
/// said at once and the draft keeps everything else; they join the case when it is filed
/// (by id in `CaseDraft::attachments`) or the reply when it is sent. Anyone signed in may
/// upload: an upload is only ever usable by its uploader, on a case they may write to.
pub async fn upload_for_draft(
    store: &Store,
    user: &UserRecord,
    files: Vec<(String, Vec<u8>)>,
    max_bytes: usize,
) -> Result<Vec<crate::domain::DraftFile>, AppError> {
    let files = match checked_files(files, max_bytes).await {
        Ok(files) => files,
        Err(e) => {
            tracing::info!(user = user.id, error = %e, "draft upload refused");
            return Err(e);
        }
    };
    let uploads = store.add_uploads(user.id, &files).await?;
    tracing::info!(user = user.id, files = uploads.len(), "files kept for a new case");
    Ok(uploads)
}

/// An attachment of a case the user may see; `NotFound` for a case out of scope exactly as
/// for a missing file.
pub async fn download(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    id: i64,
) -> Result<super::store::StoredAttachment, AppError> {
    super::cases::case_for(store, user, number).await?;
    store.attachment(number, id).await?.ok_or_else(|| {
        tracing::info!(%number, id, user = user.id, "attachment not found");
        AppError::NotFound
    })
}

/// Takes a file off the user's draft (their own uploads only).
pub async fn remove_upload(store: &Store, user: &UserRecord, id: i64) -> Result<(), AppError> {
    if store.remove_upload(user.id, id).await? {
        Ok(())
    } else {
        tracing::info!(user = user.id, id, "upload to remove not found");
        Err(AppError::NotFound)
    }
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
    fn executables_broken_archives_and_unknown_binaries_are_refused() {
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
        assert!(matches!(check("setup.exe", exe, 1024), Err(AppError::Invalid { .. })));
        let broken_zip = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
        assert!(check("logs.zip", broken_zip, 1024).is_err());
        assert!(check("blob.bin", vec![0, 1, 2, 3, 0xff], 1024).is_err());
    }

    fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, options).unwrap();
        zip.write_all(content).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn zipped_and_gzipped_logs_are_accepted() {
        let log: Vec<u8> = (0..2000).flat_map(|i| format!("2026-11-03 INFO line {i}\n").into_bytes()).collect();
        let zipped = check("logs.zip", zip_of("app.log", &log), 1 << 20).unwrap();
        assert_eq!(zipped.content_type, "application/zip");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &log).unwrap();
        let gzipped = check("app.log.gz", gz.finish().unwrap(), 1 << 20).unwrap();
        assert_eq!(gzipped.content_type, "application/gzip");
    }

    #[test]
    fn an_archive_bomb_is_refused() {
        // 64 MiB of zeros compresses to about 64 KiB: a thousandfold expansion.
        let bomb = zip_of("zeros.log", &vec![0u8; 64 * 1024 * 1024]);
        let err = check("logs.zip", bomb, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("archive bomb"), "{err}");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![0u8; 64 * 1024 * 1024]).unwrap();
        assert!(check("zeros.gz", gz.finish().unwrap(), 1 << 20).unwrap_err().to_string().contains("archive bomb"));
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
        // Shown as "invoiceexe.pdf" with the override; kept as what it is.
        assert_eq!(safe_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(safe_name("report\u{2066}\u{200B}.pdf"), "report.pdf");
    }
}
