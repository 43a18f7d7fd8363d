//! The address's fragment as `key=value` pairs (`#card=REQ-001&priority=high&q=login`): the
//! open card's details, the filters and the search, so a link or a reload shows the same
//! board. Read and written through the browser's `URLSearchParams`, which does the escaping;
//! writing replaces the address without a new history entry (and without a `hashchange`).

use wasm_bindgen::JsCast;
use web_sys::UrlSearchParams;

fn params() -> Option<UrlSearchParams> {
    let hash = leptos::prelude::window().location().hash().ok()?;
    UrlSearchParams::new_with_str(hash.trim_start_matches('#')).ok()
}

/// Every value of `key`, in order.
pub fn get_all(key: &str) -> Vec<String> {
    params().map_or_else(Vec::new, |p| {
        p.get_all(key)
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    })
}

/// The first value of `key`, when it is not empty.
pub fn get(key: &str) -> Option<String> {
    params()?.get(key).filter(|v| !v.is_empty())
}

/// Replaces every value of the `keys` with `pairs` (the keys not named stay as they are).
pub fn replace(keys: &[&str], pairs: &[(&str, String)]) {
    let window = leptos::prelude::window();
    let Some(params) = params() else { return };
    for key in keys {
        params.delete(key);
    }
    for (key, value) in pairs {
        params.append(key, value);
    }
    let query: String = params.unchecked_ref::<js_sys::Object>().to_string().into();
    let location = window.location();
    let mut url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if !query.is_empty() {
        url.push('#');
        url.push_str(&query);
    }
    if location.hash().unwrap_or_default().trim_start_matches('#') == query {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
