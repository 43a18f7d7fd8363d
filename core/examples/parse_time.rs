use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let _: &serde_json::value::RawValue = serde_json::from_str(&text).unwrap();
        let a = t.elapsed();
        let t = Instant::now();
        let m = traceboard_core::matrix::Matrix::parse_choosing(
            text.clone().into_bytes(),
            Some("requirements"),
        )
        .unwrap();
        let b = t.elapsed();
        let t = Instant::now();
        let mut n = 0;
        for i in 0..m.entries().len() {
            n += m.raw(i).unwrap().len();
        }
        let mut map: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for i in 0..m.entries().len() {
            map.insert(m.raw(i).unwrap(), i);
        }
        let c = t.elapsed();
        println!("validate {:?} parse_choosing {:?} hash {:?} {}", a, b, c, n);
    }
}
