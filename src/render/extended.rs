//! A struct serialized with one more field after its own, as one struct.
//!
//! Serde's `flatten` would do the same through a map of unknown size, which Tera fills key by
//! key, naming each key anew and growing the map as it goes: for a post listed on every page
//! that shows it, a third of the cost of its listing.

use serde::ser::{Error, Impossible, Serialize, SerializeStruct, Serializer};

/// `inner`, a struct, with the field `name` after its own when `value` is set.
pub(crate) struct Extended<'a, T, V> {
    /// The struct.
    pub(crate) inner: &'a T,
    /// The added field's name.
    pub(crate) name: &'static str,
    /// Its value; no field when `None`.
    pub(crate) value: Option<&'a V>,
}

impl<T: Serialize, V: Serialize> Serialize for Extended<'_, T, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.inner.serialize(AddField {
            serializer,
            name: self.name,
            value: self.value,
        })
    }
}

/// A serializer that hands a struct on to `serializer` with one more field.
struct AddField<'a, S, V> {
    serializer: S,
    name: &'static str,
    value: Option<&'a V>,
}

/// The fields of the struct, then the added one.
struct Fields<'a, F, V> {
    fields: F,
    name: &'static str,
    value: Option<&'a V>,
}

impl<F: SerializeStruct, V: Serialize> SerializeStruct for Fields<'_, F, V> {
    type Ok = F::Ok;
    type Error = F::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), F::Error> {
        self.fields.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), F::Error> {
        self.fields.skip_field(key)
    }

    fn end(mut self) -> Result<F::Ok, F::Error> {
        if let Some(value) = self.value {
            self.fields.serialize_field(self.name, value)?;
        }
        self.fields.end()
    }
}

/// What anything but a struct gets: it has no fields to add one to.
fn not_a_struct<E: Error>() -> E {
    E::custom("only a struct can be extended with a field")
}

/// Refuses each kind of value that is no struct.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<S::Ok, S::Error> {
            Err(not_a_struct())
        })*
    };
}

impl<'a, S: Serializer, V: Serialize> Serializer for AddField<'a, S, V> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Fields<'a, S::SerializeStruct, V>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Fields {
            fields: self
                .serializer
                .serialize_struct(name, len + usize::from(self.value.is_some()))?,
            name: self.name,
            value: self.value,
        })
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use super::Extended;

    #[derive(serde::Serialize)]
    struct Post {
        title: &'static str,
        words: u32,
    }

    #[test]
    fn a_struct_gets_its_field_last_or_none() {
        let post = Post {
            title: "Été",
            words: 3,
        };
        let with = Extended {
            inner: &post,
            name: "card",
            value: Some(&"<article>"),
        };
        assert_eq!(
            serde_json::to_string(&with).unwrap(),
            r#"{"title":"Été","words":3,"card":"<article>"}"#
        );
        let without: Extended<'_, Post, &str> = Extended {
            inner: &post,
            name: "card",
            value: None,
        };
        assert_eq!(
            serde_json::to_string(&without).unwrap(),
            r#"{"title":"Été","words":3}"#
        );
        let value = tera::Value::from_serializable(&with);
        assert_eq!(
            value.as_map().map(|m| m.len()),
            Some(3),
            "Tera sees one struct of three fields"
        );
    }

    #[test]
    fn anything_but_a_struct_is_refused() {
        let extended = Extended {
            inner: &7u32,
            name: "card",
            value: Some(&"x"),
        };
        let error = serde_json::to_string(&extended).unwrap_err();
        assert!(error.to_string().contains("only a struct"), "{error}");
    }
}
