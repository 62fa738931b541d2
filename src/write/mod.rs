//! Write: rendered files onto disk, atomically.
//!
//! In: the configuration and rendered files. Out: the output folder, replaced in one swap from a
//! staging folder (a failure leaves the previous output as it was), and the on-disk build cache
//! that lets a rebuild with the same inputs skip rendering.

pub(crate) mod cache;
pub(crate) mod lock;
pub(crate) mod output;
