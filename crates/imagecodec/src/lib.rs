//! cufpress's image codec: decoding, EXIF orientation, resizing and encoding
//! of one source image into its web and e-mail variants. Bytes in, bytes out.
//!
//! Re-encoding from pixels is also the privacy rule: the encoders are given
//! no metadata, so EXIF (GPS position, camera serial), XMP and ICC chunks of
//! the source never reach a published file.

#![warn(missing_docs)]

use std::collections::HashSet;
use std::io::Cursor;

use fast_image_resize as fr;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use rayon::prelude::*;

/// Widths of the web `srcset` (never wider than the source).
pub const WEB_WIDTHS: [u32; 3] = [480, 960, 1440];
/// Width of the e-mail file: twice the ~600 px column, for sharp screens.
pub const EMAIL_WIDTH: u32 = 1200;
/// JPEG quality of every file, stepped down for the e-mail only when needed.
pub const JPEG_QUALITY: u8 = 80;
/// The lowest quality the e-mail file is stepped down to.
pub const JPEG_MIN_QUALITY: u8 = 56;
/// Above this, an e-mail image is too heavy (bytes).
pub const EMAIL_MAX_BYTES: usize = 200 * 1024;
/// Fewer distinct colours than this (in the narrowest variant) is a flat graphic.
const FLAT_COLOURS: usize = 4096;

/// Output format of a processed image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Photographs.
    Jpeg,
    /// Flat graphics and anything with transparency.
    Png,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// One encoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Pixels wide.
    pub width: u32,
    /// Pixels high.
    pub height: u32,
    /// JPEG quality used (0 for PNG).
    pub quality: u8,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Everything made from one source.
#[derive(Debug, Clone)]
pub struct Derived {
    /// Width of the source, once oriented.
    pub width: u32,
    /// Height of the source, once oriented.
    pub height: u32,
    /// Format of every variant.
    pub format: Format,
    /// Web variants, narrowest first.
    pub web: Vec<Encoded>,
    /// The e-mail variant.
    pub email: Encoded,
}

/// Why a source cannot be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// Not an image format the pipeline reads (empty: not an image at all).
    Unsupported(String),
    /// Cut short or damaged.
    Damaged(String),
}

/// Decodes `bytes`, applies the EXIF orientation and produces every variant.
pub fn derive(bytes: &[u8]) -> Result<Derived, CodecError> {
    let img = decode(bytes)?;
    let (width, height) = (img.width(), img.height());
    let has_alpha = img.color().has_alpha() && uses_alpha(&img);
    let img = if has_alpha {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    let widths = web_widths(width);
    let mut resized: Vec<DynamicImage> = widths
        .par_iter()
        .chain([EMAIL_WIDTH.min(width)].par_iter())
        .map(|&w| resize(&img, w))
        .collect::<Result<_, _>>()?;
    let email_img = resized.pop().expect("email variant");
    let format = if has_alpha || (!is_jpeg(bytes) && is_flat(&resized[0])) {
        Format::Png
    } else {
        Format::Jpeg
    };
    let encode_web = |format| {
        resized
            .par_iter()
            .map(|v| encode(v, format, JPEG_QUALITY))
            .collect::<Result<Vec<_>, _>>()
    };
    let (web, email) = rayon::join(
        || encode_web(format),
        || encode_email(&email_img, format, has_alpha),
    );
    let (mut web, (email, email_format)) = (web?, email?);
    if email_format != format {
        // A flat-looking PNG too heavy for the e-mail is photo-like after
        // all: the web variants follow it to JPEG, one image one format.
        web = encode_web(email_format)?;
    }
    Ok(Derived {
        width,
        height,
        format: email_format,
        web,
        email,
    })
}

/// The decoded, upright image.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, CodecError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP)) => {
            f
        }
        Some(f) => return Err(CodecError::Unsupported(format!("{f:?}"))),
        None => return Err(CodecError::Unsupported(String::new())),
    };
    if is_truncated(bytes, format) {
        return Err(CodecError::Damaged("fichier tronqué".into()));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| CodecError::Damaged(e.to_string()))?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Decoders fill a cut-off file with grey instead of failing: check the
/// end-of-file marker of each format ourselves.
fn is_truncated(bytes: &[u8], format: ImageFormat) -> bool {
    let end = bytes
        .iter()
        .rposition(|&b| b != 0 && !b.is_ascii_whitespace())
        .map_or(&bytes[..0], |i| &bytes[..=i]);
    match format {
        ImageFormat::Jpeg => !end.ends_with(&[0xFF, 0xD9]),
        ImageFormat::Png => !bytes.windows(4).rev().take(64).any(|w| w == b"IEND"),
        ImageFormat::Gif => !end.ends_with(&[0x3B]),
        ImageFormat::WebP => {
            let size = bytes
                .get(4..8)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
            bytes.len() < size + 8
        }
        _ => false,
    }
}

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8])
}

/// True when some pixel is not fully opaque.
fn uses_alpha(img: &DynamicImage) -> bool {
    img.to_rgba8().pixels().any(|p| p.0[3] < 255)
}

/// True for flat graphics (few distinct colours): posters, charts, logos.
fn is_flat(img: &DynamicImage) -> bool {
    let rgb = img.to_rgb8();
    let mut seen = HashSet::new();
    for p in rgb.pixels() {
        seen.insert(p.0);
        if seen.len() >= FLAT_COLOURS {
            return false;
        }
    }
    true
}

/// The web widths for a source `width` px wide: never upscaled.
pub fn web_widths(width: u32) -> Vec<u32> {
    let widest = WEB_WIDTHS[WEB_WIDTHS.len() - 1];
    let mut ws: Vec<u32> = WEB_WIDTHS.iter().copied().filter(|&w| w < width).collect();
    ws.push(width.min(widest));
    ws.dedup();
    ws
}

/// Height of `width` at the aspect ratio of `w`×`h` (at least 1).
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1))).max(1) as u32
}

fn resize(img: &DynamicImage, width: u32) -> Result<DynamicImage, CodecError> {
    if width == img.width() {
        return Ok(img.clone());
    }
    let height = scaled_height(img.width(), img.height(), width);
    let mut dst = DynamicImage::new(width, height, img.color());
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new()
        .resize(img, &mut dst, &options)
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    Ok(dst)
}

/// Encodes `img`; no metadata is ever written.
pub fn encode(img: &DynamicImage, format: Format, quality: u8) -> Result<Encoded, CodecError> {
    let mut bytes = Vec::new();
    let fail = |e: image::ImageError| CodecError::Damaged(e.to_string());
    match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut bytes, quality)
            .encode_image(&img.to_rgb8())
            .map_err(fail)?,
        Format::Png => {
            PngEncoder::new_with_quality(&mut bytes, CompressionType::Best, FilterType::Adaptive)
                .write_image(
                    img.as_bytes(),
                    img.width(),
                    img.height(),
                    img.color().into(),
                )
                .map_err(fail)?
        }
    }
    Ok(Encoded {
        width: img.width(),
        height: img.height(),
        quality: if format == Format::Jpeg { quality } else { 0 },
        bytes,
    })
}

/// The e-mail file: JPEG quality stepped down by 8 until under
/// [`EMAIL_MAX_BYTES`]; a heavy opaque PNG becomes a JPEG. Returns the file
/// and its format.
fn encode_email(
    img: &DynamicImage,
    format: Format,
    has_alpha: bool,
) -> Result<(Encoded, Format), CodecError> {
    if format == Format::Png {
        let png = encode(img, Format::Png, 0)?;
        if png.bytes.len() <= EMAIL_MAX_BYTES || has_alpha {
            return Ok((png, Format::Png));
        }
    }
    let mut quality = JPEG_QUALITY;
    loop {
        let e = encode(img, Format::Jpeg, quality)?;
        if e.bytes.len() <= EMAIL_MAX_BYTES || quality <= JPEG_MIN_QUALITY {
            return Ok((e, Format::Jpeg));
        }
        quality -= 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(web_widths(4000), vec![480, 960, 1440]);
        assert_eq!(web_widths(1200), vec![480, 960, 1200]);
        assert_eq!(web_widths(960), vec![480, 960]);
        assert_eq!(web_widths(300), vec![300]);
        assert_eq!(scaled_height(4000, 3000, 480), 360);
        assert_eq!(scaled_height(3, 1, 1), 1);
    }

    #[test]
    fn text_is_not_an_image_and_cut_files_are_damaged() {
        assert!(matches!(
            decode(b"bonjour, ceci n'est pas une image"),
            Err(CodecError::Unsupported(_))
        ));
        let img = DynamicImage::new_rgb8(64, 48);
        let jpeg = encode(&img, Format::Jpeg, 80).unwrap().bytes;
        assert!(decode(&jpeg).is_ok());
        assert!(matches!(
            decode(&jpeg[..jpeg.len() / 2]),
            Err(CodecError::Damaged(_))
        ));
    }

    #[test]
    fn flat_graphics_stay_png() {
        let flat = DynamicImage::new_rgb8(600, 400);
        let mut png = Vec::new();
        flat.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let d = derive(&png).unwrap();
        assert_eq!(d.format, Format::Png);
        assert_eq!((d.email.width, d.email.height), (600, 400));
        assert_eq!(d.web.len(), 2);
    }
}
