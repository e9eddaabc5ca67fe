//! How the pipeline makes PNGs: drawn by the [`Rasterizer`], through the picture cache when
//! there is one (see [`crate::output::picture_cache`]).

use std::io;
use std::path::Path;

use crate::output::incremental::{Digest, digest};
use crate::output::picture_cache::{self, PictureCache};
use crate::output::{Picture, Rasterize};
use crate::render::png::{PNG_WIDTH, Rasterizer};

/// The rasterizer and, when there is one, the picture cache it looks in first and keeps what
/// it draws in. Every PNG is stamped for the cache ([`picture_cache::stamp`]), with a cache or
/// without, so that the site is the same either way.
pub(crate) struct Pictures {
    rasterizer: Rasterizer,
    cache: Option<PictureCache>,
    /// The rasterizer's maker, stamped.
    maker: String,
    /// Its digest, part of every picture's key ([`picture_cache::key`]).
    maker_digest: Digest,
}

impl Pictures {
    /// Pictures through the cache in `cache_dir` (`None`: no cache). A cache that cannot be
    /// opened is reported and done without: pictures are then drawn.
    pub(crate) fn open(cache_dir: Option<&Path>) -> Pictures {
        let rasterizer = Rasterizer::new();
        let maker = format!("{}, {}", rasterizer.maker(), picture_cache::STAMPED);
        let cache = cache_dir.and_then(|dir| {
            PictureCache::open(dir, picture_cache::DEFAULT_MAX_BYTES)
                .inspect_err(|e| {
                    tracing::warn!(
                        "picture cache: cannot use {}: {e}; pictures are drawn",
                        dir.display()
                    );
                })
                .ok()
        });
        let maker_digest = digest(maker.as_bytes());
        Pictures {
            rasterizer,
            cache,
            maker,
            maker_digest,
        }
    }

    /// The key of the picture of `svg`, in the cache and in its stamp.
    fn key(&self, svg: &[u8]) -> Digest {
        picture_cache::key(self.maker_digest, svg)
    }

    /// Draws the PNG of `svg`, stamped with its `key`.
    fn draw(&self, svg: &[u8], key: Digest) -> Result<Vec<u8>, String> {
        let picture = Rasterize::png(&self.rasterizer, svg)?;
        Ok(picture_cache::stamp(&picture.png, key))
    }

    /// Once a build or a round of `watch` has published: logs how the pictures were drawn
    /// (layers drawn, their time, reused and kept) and brings the picture cache back within
    /// its size (see [`PictureCache::trim`]); a failure to trim is only reported.
    pub(crate) fn settle(&self) {
        let (drawn, reused) = self.rasterizer.layer_counts();
        let (kept, bytes) = self.rasterizer.layers_kept();
        tracing::debug!(
            "pictures: {drawn} layers drawn in {} ms of CPU, {reused} reused; {kept} kept, {} KiB",
            self.rasterizer.layer_drawing_time().as_millis(),
            bytes / 1024
        );
        let Some(cache) = &self.cache else { return };
        match cache.trim() {
            Ok(0) => {}
            Ok(removed) => tracing::debug!("picture cache: removed {removed} old pictures"),
            Err(e) => tracing::warn!("picture cache: cannot trim {}: {e}", cache.dir().display()),
        }
    }
}

impl Rasterize for Pictures {
    fn png(&self, svg: &[u8]) -> Result<Picture, String> {
        let key = self.key(svg);
        if let Some(png) = self.cache.as_ref().and_then(|c| c.get(key, PNG_WIDTH)) {
            return Ok(Picture { png, cached: true });
        }
        let png = self.draw(svg, key)?;
        if let Some(cache) = &self.cache {
            cache.put(key, &png);
        }
        Ok(Picture { png, cached: false })
    }

    /// Publishes the cache's entry as a second name of it, or keeps what it draws as a second
    /// name of the published file: a picture's bytes are written once.
    fn write_png(&self, svg: &[u8], target: &Path) -> io::Result<bool> {
        let key = self.key(svg);
        if let Some(cache) = &self.cache
            && cache.publish(key, PNG_WIDTH, target)
        {
            return Ok(true);
        }
        let png = self.draw(svg, key).map_err(io::Error::other)?;
        std::fs::write(target, &png)?;
        if let Some(cache) = &self.cache {
            cache.keep_file(key, target);
        }
        Ok(false)
    }

    fn maker(&self) -> &str {
        &self.maker
    }
}
