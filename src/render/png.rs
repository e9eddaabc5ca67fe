//! Placeholder until the rasteriser lands.
pub struct Rasterizer;
impl Default for Rasterizer {
    fn default() -> Self {
        Rasterizer
    }
}
impl Rasterizer {
    pub fn new() -> Self {
        Rasterizer
    }
    pub fn png(&self, _svg: &str) -> Result<Vec<u8>, String> {
        Ok(Vec::new())
    }
}
