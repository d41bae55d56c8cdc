//! A value kept in its encoding until it is first asked for: index data
//! read from the cache that most runs never look at (the function bodies a
//! file's reading left out, which only a check of that file reads) is not
//! decoded for every file of the workspace.

use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A value, or its postcard encoding until first asked for.
#[derive(Debug, Clone)]
pub struct Encoded<T> {
    /// The encoding read (empty for a value made in this run).
    bytes: Vec<u8>,
    /// The value, once decoded; `None` when the encoding does not decode.
    value: OnceLock<Option<T>>,
}

impl<T> Encoded<T> {
    /// A value made in this run.
    pub fn new(value: T) -> Self {
        Encoded { bytes: Vec::new(), value: OnceLock::from(Some(value)) }
    }
}

impl<T: DeserializeOwned> Encoded<T> {
    /// The value, decoded on first use; `None` when its encoding does not
    /// decode (the encoding is this binary's own and checksummed, so never
    /// in practice: a caller still treats it as knowing nothing).
    pub fn get(&self) -> Option<&T> {
        self.value.get_or_init(|| postcard::from_bytes(&self.bytes).ok()).as_ref()
    }
}

impl<T: Serialize> Serialize for Encoded<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value.get() {
            Some(Some(value)) => {
                let bytes = postcard::to_stdvec(value).map_err(serde::ser::Error::custom)?;
                serializer.serialize_bytes(&bytes)
            }
            // Never decoded (or not decodable): stored as it was read.
            _ => serializer.serialize_bytes(&self.bytes),
        }
    }
}

impl<'de, T> Deserialize<'de> for Encoded<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(deserializer)?.into_vec();
        Ok(Encoded { bytes, value: OnceLock::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::Encoded;

    #[test]
    fn a_value_survives_its_encoding_and_is_decoded_when_asked_for() {
        let made = Encoded::new(vec![3_u32, 1, 4]);
        let stored = postcard::to_stdvec(&made).unwrap();
        let read: Encoded<Vec<u32>> = postcard::from_bytes(&stored).unwrap();
        assert!(read.value.get().is_none(), "not decoded until asked for");
        assert_eq!(read.get(), Some(&vec![3, 1, 4]));
        // Stored again without being asked for: the same bytes.
        let again: Encoded<Vec<u32>> = postcard::from_bytes(&stored).unwrap();
        assert_eq!(postcard::to_stdvec(&again).unwrap(), stored);
        // An encoding that does not decode gives nothing, never a panic.
        let broken: Encoded<Vec<String>> =
            postcard::from_bytes(&postcard::to_stdvec(&[0xff_u8; 3][..]).unwrap()).unwrap();
        assert_eq!(broken.get(), None);
    }
}
