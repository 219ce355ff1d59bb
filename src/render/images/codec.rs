//! The codec of the image step (decode, orient, resize, encode), re-exported
//! from the `cufpress-imagecodec` crate, kept apart so it is compiled
//! optimised even in dev builds (the tests process multi-megabyte photos).

pub use cufpress_imagecodec::*;
