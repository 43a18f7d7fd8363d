//! The browser entry point: Trunk builds this binary and the page runs `main`.

fn main() {
    traceboard::ui::mount();
}
