//! Browser file glue: reading chosen or dropped files, downloading, copying to the clipboard.
//!
//! This module owns every use of `File`, `Blob` and object URLs. It hands bytes to the core
//! and takes text from it; it knows nothing about matrices or agents.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, FileList, HtmlAnchorElement, Url};

use traceboard_core::matrix::MAX_FILE_BYTES;

/// A file read into memory, or why it was not.
pub struct ReadFile {
    pub name: String,
    /// The path inside a chosen folder (`agents/qa.md`), or the name.
    pub path: String,
    pub bytes: Result<Vec<u8>, String>,
}

/// The files of a `FileList`, in order.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads a file's bytes, refusing files over the board's limit before reading them.
pub async fn read(file: &File) -> ReadFile {
    let name = file.name();
    let relative = js_sys::Reflect::get(file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty());
    let path = relative.unwrap_or_else(|| name.clone());
    let size = file.size() as u64;
    let bytes = if size > MAX_FILE_BYTES {
        Err(format!(
            "{name} is {} MB; the board reads files of up to {} MB.",
            traceboard_core::matrix::megabytes(size),
            MAX_FILE_BYTES / 1_048_576
        ))
    } else {
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => Ok(Uint8Array::new(&buffer).to_vec()),
            Err(_) => Err(format!("{name} could not be read by the browser.")),
        }
    };
    ReadFile { name, path, bytes }
}

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = leptos::prelude::document();
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The download has started from the click; the URL can go once the event loop turns.
    leptos::prelude::set_timeout(
        move || drop(Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Copies `text` to the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = leptos::prelude::window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(drop)
        .map_err(describe)
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused".to_owned())
}
